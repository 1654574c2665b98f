"""Large results and large inserts: a query's rows read as they come, on PostgreSQL its CSV written by the
server itself, and many rows inserted in one go.

The national register's reports run to half a million rows. On SQLite they are the driver's own tuples,
which it reads from the file one at a time; on PostgreSQL a server-side cursor sends them 5,000 at a time.
A report that is a query's rows unchanged (`QueryRows`) can also be written as CSV by PostgreSQL
(`COPY ... TO STDOUT`), in C on the server: the rules of kbo's CSV writer (render/machine.py) are given to it
as `CsvCell`s and become SQL here, so that the bytes are the same as Python's csv.writer would write.
On SQLite, `insert_rows` hands the rows of a bulk insert to the driver as plain tuples.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from itertools import groupby
from operator import itemgetter, methodcaller
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar, cast

from sqlalchemy import String, bindparam, case, func, insert, literal, not_
from sqlalchemy.exc import DBAPIError, StatementError

from kbo_cli.storage.db import driver_connection

if TYPE_CHECKING:
    import psycopg
    from psycopg.abc import Buffer
    from sqlalchemy.engine import Connection, CursorResult, Dialect
    from sqlalchemy.schema import Table
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.expression import Select

R = TypeVar("R", bound=tuple[Any, ...])
_BATCH = 5000  # rows per fetch of PostgreSQL's server-side cursor


def streamed_rows(connection: Connection, query: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    """The rows of a large query as they come, for queries whose columns need no converting (text, numbers; a
    boolean comes as 1 or 0 from SQLite). On SQLite they are the driver's own tuples: SQLAlchemy's rows and
    result processing would be a tenth of the country's gap report. On PostgreSQL a server-side cursor streams
    them. `query` carries no execution options of its own (SQLAlchemy would buffer a first row out of the
    driver's reach)."""
    if connection.dialect.name == "sqlite":
        return _driver_rows(connection.execute(query))
    return iter(connection.execute(query.execution_options(yield_per=_BATCH)))


def _driver_rows(result: CursorResult[Any]) -> Iterator[Sequence[Any]]:
    """The driver's rows of `result`; its cursor is closed once they are read to the end or no longer wanted, so
    that no statement is left running (a merge of several queries stops reading some before their end). A
    report cut short (its reader gone, Ctrl-C) may leave this to after the connection closed: nothing is left to
    close then."""
    cursor = result.cursor
    try:
        for row in cast("Iterable[Sequence[Any]]", cursor):  # noqa: UP028 - `yield from` would close it itself
            yield row
    finally:
        with contextlib.suppress(sqlite3.Error):
            cursor.close()


class CsvCell(NamedTuple):
    """One column of a query's CSV: which of the query's columns, and how csv.writer writes its values."""

    position: int  # of the query's column
    kind: Literal["text", "flag"]  # text (or a vocabulary code), or true/false
    guarded: bool = False  # text starting like a formula gets a leading apostrophe (`formula_start`)


class QueryRows(Generic[R]):
    """A large query's rows, each made a `row_type` (a named tuple of the query's columns), read as they come
    once they are iterated; or, on PostgreSQL and before that, written as CSV by the server (`server_csv`)."""

    def __init__(self, connection: Connection, query: Select[*tuple[Any, ...]], row_type: type[R]) -> None:
        self.connection, self.query, self.row_type = connection, query, row_type
        self._rows: Iterator[R] | None = None

    def __iter__(self) -> Iterator[R]:
        if self._rows is None:  # the rows are made as they come, in C: no Python call of ours for each
            make = cast("Callable[[Sequence[Any]], R]", getattr(self.row_type, "_make"))  # noqa: B009
            self._rows = map(make, streamed_rows(self.connection, self.query))
        return self._rows

    def __next__(self) -> R:
        return next(iter(self))

    def plain(self) -> Iterator[Sequence[Any]]:
        """The rows as the driver's plain tuples of `row_type`'s fields, for a writer that takes them by position
        (half a million named tuples made and dropped are a twentieth of the country's gap report)."""
        if self._rows is not None:
            raise RuntimeError("the rows were read already")
        self._rows = iter(())
        return streamed_rows(self.connection, self.query)

    def server_csv(
        self, header: str, cells: Sequence[CsvCell], formula_start: Sequence[str], out: IO[str]
    ) -> int | None:
        """`copy_csv` of the rows into `out` on PostgreSQL, if none were read yet (they are all read then), and how
        many; None, and nothing written, where the database cannot."""
        if self._rows is not None or self.connection.dialect.name != "postgresql":
            return None
        self._rows = iter(())
        return copy_csv(self.connection, self.query, header, cells, formula_start, out)


def copy_csv(
    connection: Connection,
    query: Select[*tuple[Any, ...]],
    header: str,
    cells: Sequence[CsvCell],
    formula_start: Sequence[str],
    out: IO[str],
) -> int:
    """Write `header`, then the rows of `query` as CSV lines made by PostgreSQL (`COPY ... TO STDOUT`) the way
    Python's csv.writer(lineterminator="\\n") writes these cells: a cell is quoted when it holds a comma, a quote
    or a line break; an empty text and nothing are both an empty cell. (One difference: PostgreSQL also quotes a
    carriage return inside a text, which csv.writer leaves bare; kbo stores none, `textnorm.clean_text`.) The
    header is written once the server has accepted the query. Returns how many rows were written."""
    import psycopg  # loaded already, by SQLAlchemy's dialect

    columns = list(query.selected_columns)
    statement = query.with_only_columns(*(_cell_sql(columns[c.position], c, formula_start) for c in cells)).compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    psycopg_connection = cast("psycopg.Connection[Any]", driver_connection(connection))
    try:
        with psycopg_connection.cursor() as cursor:
            with cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)", statement.params) as copy:
                out.write(header)
                write = _text_writer(out, psycopg_connection.info.encoding)
                while data := copy.read():
                    write(data)
            return cursor.rowcount
    except psycopg.Error as exc:  # as SQLAlchemy would have raised it, for the command's one error message
        raise DBAPIError.instance(str(statement), statement.params, exc, psycopg.Error) from exc


def _text_writer(out: IO[str], encoding: str) -> Callable[[Buffer], object]:
    """Where the server's CSV, text in `encoding`, goes into `out`: as it is into the bytes under `out` where they
    are the same text (both UTF-8, and a line ends in "\\n" alike), else decoded and written as text."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and os.linesep == "\n" and _is_utf8(encoding) and _is_utf8(getattr(out, "encoding", None)):
        out.flush()
        return cast("Callable[[Buffer], object]", buffer.write)
    decode = codecs.getincrementaldecoder(encoding)().decode  # the server sends whole rows: nothing is left over
    return lambda data: out.write(decode(data))


def _is_utf8(encoding: str | None) -> bool:
    return codecs.lookup(encoding or "ascii").name == "utf-8"


def _cell_sql(column: ColumnElement[Any], cell: CsvCell, formula_start: Sequence[str]) -> ColumnElement[Any]:
    if cell.kind == "flag":
        return case((column, "true"), (not_(column), "false"))
    if cell.guarded:
        starts = func.left(func.ltrim(column, "'"), 1)  # after any apostrophes, as `machine.starts_like_formula`
        column = case((starts.in_(formula_start), literal("'", String) + column), else_=column)
    return func.nullif(column, "")  # csv.writer writes "" bare, COPY quotes it; nothing is bare in both


# --- large inserts ----------------------------------------------------------------------------------------


def insert_rows(connection: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """INSERT `rows` (each the values of some of `table`'s columns; a column left out takes its default), an
    executemany for each run of rows that give the same columns.

    On SQLite, a run whose left-out columns have no default that SQLAlchemy fills in goes to the driver as plain
    tuples, each value converted by its column type's own bind processor: SQLAlchemy's handling of each row's
    parameters took a third of the driver's time. Other runs, and PostgreSQL, go through SQLAlchemy's insert.
    Errors are SQLAlchemy's either way: a value its type cannot take is a StatementError, as with SQLAlchemy's
    insert, and the driver's errors come through `exec_driver_sql`."""
    sqlite = connection.dialect.name == "sqlite"
    for _columns, run in groupby(rows, key=methodcaller("keys")):
        same = list(run)
        plan = _driver_insert(connection.dialect, table, frozenset(same[0])) if sqlite else None
        if plan is None:
            connection.execute(insert(table), same)
            continue
        statement, order, converts = plan
        values = list(map(itemgetter(*order), same)) if len(order) > 1 else [(row[order[0]],) for row in same]
        if converts:
            try:
                values = [_converted(value, converts) for value in values]
            except (TypeError, ValueError, LookupError) as exc:
                raise StatementError(str(exc), statement, None, exc) from exc
        connection.exec_driver_sql(statement, values)


def _converted(value: tuple[Any, ...], converts: Sequence[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    cells = list(value)
    for at, convert in converts:
        cells[at] = convert(cells[at])
    return tuple(cells)


@cache
def _driver_insert(
    dialect: Dialect, table: Table, columns: frozenset[str]
) -> tuple[str, tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...]] | None:
    """The driver's INSERT of `columns` into `table`, the columns in the order of its parameters, and the
    conversions of their values by position; None where a column is not the table's (SQLAlchemy's insert says
    so) or where SQLAlchemy must fill in a column left out."""
    if not columns <= set(table.c.keys()) or any(c.default is not None for c in table.columns if c.name not in columns):
        return None
    compiled = insert(table).values({name: bindparam(name) for name in columns}).compile(dialect=dialect)
    order = tuple(compiled.positiontup or ())
    if set(order) != columns:
        return None
    converts = tuple(
        (at, convert)
        for at, name in enumerate(order)
        if (convert := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    )
    return compiled.string, order, converts
