"""JSON and CSV for programs: stable English keys, raw values, streamed row by row.

JSON is an array of objects, one per row, with the listing's machine columns as keys. CSV has the same
keys as its header row. The one CSV writer of kbo (used by every `-f csv` and by `kbo export FILE.csv`)
makes text cells that a spreadsheet would run as a formula inert: a text cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading apostrophe (`'=1+1`), as OWASP advises for CSV
injection; numbers are written as they are (`-3` stays a number). kbo's importer removes that apostrophe
again, so an export imports back unchanged; text that starts with apostrophes and then like a formula (`'=x`)
gets one more, so that it does too. On PostgreSQL, a report that is one query's rows unchanged (the
gap report) has its CSV written by the server by these same rules, given to it as SQL (`_server_csv`,
`storage.rows.copy_csv`): the same bytes, without passing each row through Python.
"""

from __future__ import annotations

import csv
import json
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from functools import partial
from itertools import chain, compress, islice, repeat
from operator import itemgetter
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Literal,
    NamedTuple,
    Protocol,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

from kbo_cli.render.columns import Col, Kind, Listing
from kbo_cli.render.values import csv_text, machine

if TYPE_CHECKING:
    from kbo_cli.storage.rows import CsvCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: the kinds whose cells may hold text that starts like a formula (vocabulary codes and dates never do)
_TEXT_KINDS = (Kind.TEXT, Kind.CODE)
_CHUNK = 256  # small, so that one formula-like cell sends few rows through the slow path


def starts_like_formula(text: str) -> bool:
    """Whether `text` starts like a formula, after any apostrophes: kbo's guard puts one more apostrophe before
    it, and its importer takes one off (`unguarded`), so that text starting `'=` also imports back as it was."""
    return text.lstrip("'").startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    return "'" + text if starts_like_formula(text) else text


def unguarded(text: str) -> str:
    """A cell as kbo wrote it, with the apostrophe of its guard taken off (`'=1+1` → `=1+1`, `''=x` → `'=x`)."""
    return text[1:] if text[:1] == "'" and starts_like_formula(text) else text


def write_json(listing: Listing, out: IO[str]) -> int:
    columns = listing.machine_columns()
    getters = [(c.key, _getter(c)) for c in columns]
    count = 0
    rows = iter(listing.rows)
    first = next(rows, None)  # read before anything is written: a query that fails leaves no half output
    out.write("[")
    for row in chain((first,), rows) if first is not None else ():
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps({key: machine(get(row)) for key, get in getters}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def csv_rows(columns: Sequence[Col], rows: Iterable[Any]) -> Iterator[Sequence[Any]]:
    """Each row as CSV cells (before neutralising).

    Rows that are named tuples declare their fields' types; a field whose type csv.writer already writes
    as `csv_text` would (text, whole numbers, dates, vocabulary codes, nothing) is passed through as it is,
    and the others are converted a column of a few hundred rows at a time, so that a report of half a
    million rows is not converted cell by cell in Python. Rows that can be read as plain tuples of their
    named tuple's fields (`storage.rows.QueryRows.plain`) are, when the cells are taken by position.
    """
    row_type: type | None = getattr(rows, "row_type", None)
    fast = _fast_cells(columns, row_type) if row_type is not None and hasattr(rows, "plain") else None
    if fast is not None:
        rows = cast("_PlainRows", rows).plain()
    else:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return iter(())
        rows = chain((first,), rows)
        fast = _fast_cells(columns, type(first))
    if fast is None:
        getters = [_getter(c) for c in columns]
        return ([csv_text(get(row)) for get in getters] for row in rows)
    return rows if fast is _AS_IS else chain.from_iterable(map(fast, iter(lambda: list(islice(rows, _CHUNK)), [])))


class _PlainRows(Protocol):
    """Named-tuple rows that can also be read as plain tuples of the same fields (`storage.rows.QueryRows`)."""

    def plain(self) -> Iterator[Sequence[Any]]: ...


def _getter(column: Col) -> Callable[[Any], Any]:
    """A column's value in a row; a flag's as True or False also where SQLite gave 1 or 0."""
    if column.kind is Kind.FLAG:
        return lambda row: None if (value := column.get(row)) is None else bool(value)
    return column.get


_FLAG_CELLS = {True: "true", False: "false", None: ""}  # 1 and 0 (SQLite) hash as True and False


def _AS_IS(rows: list[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    return rows


def _column_writer(hint: Any) -> Callable[[Sequence[Any]], Iterable[Any]] | None:
    """How a column of fields of this declared type becomes CSV cells: None when csv.writer writes them right
    as they are."""
    kinds = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    if all(k in (str, int, date, type(None)) or (isinstance(k, type) and issubclass(k, StrEnum)) for k in kinds):
        return None
    if all(k in (bool, type(None)) for k in kinds):
        return partial(map, _FLAG_CELLS.__getitem__)
    if all(k in (float, type(None)) for k in kinds):
        return partial(map, _FloatCells().__getitem__)
    return partial(map, csv_text)


class _FloatCells(dict[Any, str]):
    """Floats as `csv_text` writes them (never -0.0, NaN and nothing as an empty cell), each distinct value
    written once: a report's floats are points and totals that repeat, and csv.writer takes three times
    longer over a float than over its text."""

    def __missing__(self, value: float | None) -> str:
        text = "" if value is None or value != value else repr(value + 0.0)
        if value == value and len(self) < _FLOATS_KEPT:  # NaN is never found again: not kept
            self[value] = text
        return text


_FLOATS_KEPT = 10_000


def _fast_cells(columns: Sequence[Col], row_type: type) -> Callable[[list[Any]], Iterable[Sequence[Any]]] | None:
    """A function from some rows to their cells, for named-tuple rows whose columns are plain fields; else None."""
    fields: tuple[str, ...] | None = getattr(row_type, "_fields", None)
    if not fields or not columns or any(c.value is not None or c.key not in fields for c in columns):
        return None
    try:
        hints = get_type_hints(row_type)
    except (NameError, TypeError):
        return None
    positions = [fields.index(c.key) for c in columns]
    converts = [(i, writer) for i, c in enumerate(columns) if (writer := _column_writer(hints.get(c.key, Any)))]
    if positions == list(range(len(fields))) and not converts:
        return _AS_IS

    def cells(rows: list[Any]) -> Iterable[Sequence[Any]]:
        by_field = list(zip(*rows, strict=True))
        out = [by_field[at] for at in positions]
        for i, writer in converts:
            out[i] = tuple(writer(out[i]))
        return zip(*out, strict=True)

    return cells


def write_csv(listing: Listing, out: IO[str]) -> int:
    columns = listing.machine_columns()
    header = [c.key for c in columns]
    server = _server_csv(listing.rows, columns)
    if server is not None and (count := server(_csv_line(header), out)) is not None:
        return count
    return write_csv_rows(
        header,
        csv_rows(columns, listing.rows),
        out,
        text_columns=[i for i, c in enumerate(columns) if c.kind in _TEXT_KINDS],
    )


class _ServerRows(Protocol):
    """Rows the database can write as CSV itself (`storage.rows.QueryRows`)."""

    row_type: type[Any]

    def server_csv(
        self, header: str, cells: Sequence[CsvCell], formula_start: Sequence[str], out: IO[str]
    ) -> int | None: ...


def _server_csv(rows: Iterable[Any], columns: Sequence[Col]) -> Callable[[str, IO[str]], int | None] | None:
    """How the database writes these rows' CSV, with a header line, by the rules of this module (on PostgreSQL:
    `storage.rows.copy_csv`); None where the rows' fields are not all plain text or flags."""
    if not hasattr(rows, "server_csv") or len(columns) < 2:  # csv.writer quotes a lone empty cell; COPY does not
        return None
    from kbo_cli.storage.rows import CsvCell  # loaded already, with the rows

    server = cast("_ServerRows", rows)
    fields: tuple[str, ...] = getattr(server.row_type, "_fields", ())
    try:
        hints = get_type_hints(server.row_type)
    except (NameError, TypeError):
        return None
    cells = []
    for c in columns:
        kind = _SQL_KINDS.get(_plain_type(hints.get(c.key))) if c.value is None and c.key in fields else None
        if kind is None:
            return None
        cells.append(CsvCell(fields.index(c.key), kind, guarded=kind == "text" and c.kind in _TEXT_KINDS))
    return lambda header, out: server.server_csv(header, cells, FORMULA_START, out)


#: the fields' types whose values the database's CSV writes as csv.writer does
_SQL_KINDS: dict[Any, Literal["text", "flag"]] = {str: "text", StrEnum: "text", bool: "flag"}


def _plain_type(hint: Any) -> Any:
    """A field's type without its `| None`; a vocabulary's StrEnum as StrEnum; None for unions of types."""
    kinds = (
        [k for k in get_args(hint) if k is not type(None)] if get_origin(hint) in (Union, types.UnionType) else [hint]
    )
    if len(kinds) != 1:
        return None
    kind = kinds[0]
    return StrEnum if isinstance(kind, type) and issubclass(kind, StrEnum) else kind


def _csv_line(cells: Sequence[str]) -> str:
    lines: list[str] = []
    csv.writer(_Lines(write=lines.append), lineterminator="\n").writerow(cells)
    return "".join(lines)


def write_csv_rows(
    header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[str], text_columns: Sequence[int] | None = None
) -> int:
    """Write a header and rows of cells, neutralising formula-like text cells; returns the rows written.

    Rows are written in chunks; the text columns of a chunk are scanned at C speed for a cell that could
    start a formula, and only the rows that hold one are copied and changed, so that large reports cost
    little more than plain csv.writer.
    """
    text_columns = list(range(len(header))) if text_columns is None else list(text_columns)
    rows = iter(rows)
    chunk = list(islice(rows, _CHUNK))  # read before anything is written: a query that fails leaves no half output
    csv.writer(out, lineterminator="\n").writerow(header)
    count = 0
    lines: list[str] = []
    writer = csv.writer(_Lines(write=lines.append), lineterminator="\n")
    while chunk:
        flagged = _formula_columns(chunk, text_columns)
        writer.writerows(_neutralised(chunk, flagged) if flagged else chunk)
        out.write("".join(lines))
        lines.clear()
        count += len(chunk)
        chunk = list(islice(rows, _CHUNK))
    return count


class _Lines(NamedTuple):
    """Where csv.writer puts a chunk's lines, to be written out together."""

    write: Callable[[str], None]


def _formula_columns(rows: list[Sequence[Any]], text_columns: list[int]) -> list[int]:
    """The columns where a text cell of these rows may start like a formula (only a hint: each is looked at
    cell by cell then)."""
    return [i for i in text_columns if _starts_like_formula(list(filter(None, map(itemgetter(i), rows))))]


#: the first characters of text that may need the guard: a formula's, or an apostrophe (each one character)
_FORMULA_CHARS = frozenset((*FORMULA_START, "'"))
#: a text starting like a formula sorts below this (every formula character is below it): Thai text and codes
#: do not, so that the smallest text of a column, found at C speed without taking any text apart, clears it
_ABOVE_FORMULA = chr(max(map(ord, FORMULA_START)) + 1)


def _starts_like_formula(values: list[Any]) -> bool:
    try:  # text: the smallest, then if need be every first character, at C speed
        return min(values, default=_ABOVE_FORMULA) < _ABOVE_FORMULA and not _FORMULA_CHARS.isdisjoint(
            map(str.__getitem__, values, repeat(0))
        )
    except TypeError:  # numbers or dates among them: only text is ever guarded (`_neutralised`)
        texts = [value for value in values if isinstance(value, str)]
        return _starts_like_formula(texts)  # texts alone compare: no TypeError again


def _neutralised(rows: list[Sequence[Any]], columns: list[int]) -> list[Sequence[Any]]:
    """The rows with formula-like text in `columns` made inert; only the rows that have such text are copied."""
    rows = list(rows)
    for i in columns:
        values = list(map(itemgetter(i), rows))
        for n in compress(range(len(rows)), map(_guarded_text, values)):
            cells = list(rows[n])
            cells[i] = "'" + values[n]
            rows[n] = cells
    return rows


def _guarded_text(value: Any) -> bool:
    return isinstance(value, str) and starts_like_formula(value)
