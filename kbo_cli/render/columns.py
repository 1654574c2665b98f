"""What a result is made of: its rows and one description of each of its columns.

Every list and report is a `Listing`: typed rows (named tuples or dataclasses from the domain) and a
sequence of `Col`s. One description serves every format: JSON and CSV take the machine columns (stable
English keys, raw values), tables and HTML the table columns (translated headers, values for people).
A column's `priority` says what a narrow terminal may hide (1: the values the command exists for, never
hidden; higher numbers go first) and `wrap` whether its text may wrap between words; everything else is
shown whole. Nothing here imports rich, so domain modules can describe their results cheaply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a value is shown to people (JSON and CSV carry it raw)."""

    TEXT = "text"  # free text or a name
    CODE = "code"  # a code or number that must be read whole (never cut, never wrapped)
    COUNT = "count"  # a whole number, right-aligned
    DECIMAL = "decimal"  # a decimal number, right-aligned, never "-0"
    SIGNED = "signed"  # a decimal shown with its sign (+5, -3)
    PERCENT = "percent"  # a percentage with a one-line bar
    DATE = "date"  # a date: 19 ม.ค. 2566 in Thai, ISO in English
    WHEN = "when"  # a timestamp, shown in local time
    FLAG = "flag"  # a yes/no shown as a tick
    TERM = "term"  # a vocabulary value (a `vocab.Term`), shown by its label
    STARS = "stars"  # an OPC star level, 1-5


#: how a column may be hidden on a narrow terminal: 1 never; higher numbers first
KEY, USEFUL, EXTRA = 1, 2, 3


@dataclass(frozen=True)
class Col:
    """One column of a result.

    `key` is the JSON/CSV key and, unless `value` says otherwise, the row attribute read. `show` turns a
    value into people's text where the kind alone does not say how (a category's name, an agency's
    short name); `style` colours it in tables. `machine=False` columns appear only in tables and HTML
    (for example code and name in one cell); `table=False` ones only in JSON and CSV.
    """

    key: str
    header: str  # msgid
    kind: Kind = Kind.TEXT
    priority: int = KEY
    wrap: bool = False
    machine: bool = True
    table: bool = True
    value: Callable[[Any], Any] | None = None
    show: Callable[[Any], str] | None = None
    style: Callable[[Any, Any], str | None] | None = None

    def get(self, row: Any) -> Any:
        if self.value is not None:
            return self.value(row)
        return row[self.key] if isinstance(row, dict) else getattr(row, self.key)

    def replace(self, **changes: Any) -> Col:
        """The same column with some of its description changed."""
        return dataclasses.replace(self, **changes)

    @property
    def right(self) -> bool:
        return self.kind in (Kind.COUNT, Kind.DECIMAL, Kind.SIGNED)


@dataclass
class Listing:
    """A result: rows and their columns, with what a table shows around them.

    `group_by` names leading columns whose repeated values a table leaves blank (a group's name is shown
    on its first row only); `notes` are printed under a table (definitions), after `count_note` (which is
    given the number of rows, so that the rows need not be counted beforehand); `totals` computes a footer
    row from all the rows.
    """

    rows: Iterable[Any]
    columns: Sequence[Col]
    title: str = ""
    empty: str = ""
    notes: Sequence[str] = ()
    group_by: tuple[str, ...] = ()
    row_style: Callable[[Any], str | None] | None = None
    totals: Callable[[list[Any]], dict[str, Any]] | None = None
    count_note: Callable[[int], str] | None = None  # a note under a table, from how many rows there are
    meta: dict[str, Any] = field(default_factory=dict)

    def machine_columns(self) -> list[Col]:
        return [c for c in self.columns if c.machine]

    def table_columns(self) -> list[Col]:
        return [c for c in self.columns if c.table]


def code_and_name(code: str, name: str) -> Callable[[Any], str]:
    """A table cell showing a record's code and its name together (`NPM01 กลุ่มทอผ้า...`)."""

    def value(row: Any) -> str:
        first, second = getattr(row, code) or "", getattr(row, name) or ""
        return f"{first} {second}".strip()

    return value


def keys(columns: Sequence[Col]) -> list[str]:
    return [c.key for c in columns if c.machine]
