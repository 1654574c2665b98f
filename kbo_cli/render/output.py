"""One renderer for every list, show and report: a rich table for people, JSON or CSV for programs.

Data goes to stdout, messages to stderr. JSON and CSV use stable English keys (the `key` of each
Column); tables use translated headers. Rows are consumed as they come, so JSON and CSV stream: a
report over the whole country never has to fit in memory.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from kbo_cli.i18n import _

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """One column: its stable key, its header (an msgid), and how a table shows it."""

    key: str
    header: str
    justify: str = "left"
    show: Callable[[Any, Row], RenderableType] | None = None
    style: str | None = None
    wrap: bool = False  # long free text wraps; names and codes stay on one line (Thai has no spaces to break at)
    min_width: int | None = None


#: width of tables written to a pipe or file when COLUMNS is not set (a terminal gives its own width)
PIPE_WIDTH = 200


@cache
def stdout() -> Console:
    import os

    from rich.console import Console

    piped = not sys.stdout.isatty() and not os.environ.get("COLUMNS")
    return Console(soft_wrap=False, width=PIPE_WIDTH if piped else None)


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)  # one message, one line: never wrapped


def message(text: str, style: str | None = None) -> None:
    """A message for the user (never data): goes to stderr."""
    stderr().print(text, style=style, markup=False, highlight=False)


def warn(text: str) -> None:
    message(_("Warning: {text}", text=text), style="yellow")


def plain(value: Any) -> Any:
    """A value as JSON or CSV carries it: dates as ISO strings, enums as their codes."""
    if isinstance(value, datetime):  # stored in UTC; SQLite hands timestamps back without their offset
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def emit(
    rows: Iterable[Row],
    columns: list[Column],
    fmt: Format,
    *,
    title: str | None = None,
    row_style: Callable[[Row], str | None] | None = None,
    footer: Callable[[list[Row]], Row] | None = None,
    empty: str | None = None,
) -> int:
    """Write rows in the chosen format; returns how many rows were written."""
    if fmt is Format.json:
        return _emit_json(rows, columns)
    if fmt is Format.csv:
        return _emit_csv(rows, columns)
    return _emit_table(rows, columns, title=title, row_style=row_style, footer=footer, empty=empty)


def emit_object(obj: Mapping[str, Any]) -> None:
    """A single JSON object (for `show` commands)."""
    json.dump(_jsonable(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return plain(value)


def _emit_json(rows: Iterable[Row], columns: list[Column]) -> int:
    out = sys.stdout
    keys = [c.key for c in columns]
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps({k: plain(row.get(k)) for k in keys}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _emit_csv(rows: Iterable[Row], columns: list[Column]) -> int:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    keys = [c.key for c in columns]
    writer.writerow(keys)
    count = 0
    simple = (str, int, float)
    for row in rows:
        writer.writerow([v if type(v) in simple else "true" if v is True else "false" if v is False
                         else _csv_cell(v) for v in map(row.get, keys)])
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _emit_table(
    rows: Iterable[Row],
    columns: list[Column],
    *,
    title: str | None,
    row_style: Callable[[Row], str | None] | None,
    footer: Callable[[list[Row]], Row] | None,
    empty: str | None,
) -> int:
    from rich import box
    from rich.table import Table

    materialized = list(rows)
    if not materialized:
        message(empty or _("Nothing to show."))
        return 0
    table = Table(title=title, box=box.SIMPLE_HEAVY, show_footer=footer is not None, title_justify="left")
    totals = footer(materialized) if footer else {}
    for col in columns:
        table.add_column(
            _(col.header),
            justify=col.justify,  # type: ignore[arg-type]
            style=col.style,
            no_wrap=not col.wrap,
            overflow="fold" if col.wrap else "ellipsis",
            min_width=col.min_width or (9 if col.key.endswith("code") else min(len(_(col.header)), 6)),
            footer=_cell(col, totals.get(col.key), totals) if footer else "",
        )
    for row in materialized:
        table.add_row(*(_cell(col, row.get(col.key), row) for col in columns), style=row_style(row) if row_style else None)
    stdout().print(table)
    return len(materialized)


def _cell(col: Column, value: Any, row: Row) -> RenderableType:
    if col.show is not None:
        return col.show(value, row)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    from rich.text import Text

    return Text(str(plain(value)))


def key_values(pairs: Iterable[tuple[str, Any]], *, title: str | None = None) -> None:
    """A two-column table of label/value pairs (for `show` commands)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for label, value in pairs:
        table.add_row(Text(label), value if not isinstance(value, str) else Text(value))
    stdout().print(table)
