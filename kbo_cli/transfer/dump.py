"""kbo JSON dumps: every table's rows, restorable into an empty database with the same content.

`kbo db backup` on PostgreSQL and `kbo export FILE.json` write one; `kbo import FILE.json` restores it.
Shape: {"format": "kbo-dump", "version": 1, "schema": "<alembic revision>", "tables": {name: [row, ...]}}
with one row per line, dates and timestamps as ISO text (timestamps in UTC with their offset), tables
parents first. Both directions stream: a dump of the whole country is written and read row by row, in
little memory. A restore holds every row to the rules the commands apply (`domain.records`), so a
hand-edited dump cannot bring in what kbo would refuse; any problem, and nothing is restored.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

import ijson
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, select, text
from sqlmodel import Session, SQLModel

from kbo_cli.domain.records import Across, across, problems
from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import _
from kbo_cli.storage.migrations import HEAD
from kbo_cli.storage.models import DERIVED, place_key_values
from kbo_cli.storage.rows import insert_rows
from kbo_cli.thai.textnorm import name_key
from kbo_cli.transfer.rejected import ImportRejected, RowError

FORMAT = "kbo-dump"
VERSION = 1
_BATCH = 5000
#: problems listed before a restore stops reading
MAX_PROBLEMS = 200


def plain(value: Any) -> Any:
    """JSON for a stored value: timestamps always in UTC with their offset (SQLite keeps them naive)."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def tables() -> list[Any]:
    return list(SQLModel.metadata.sorted_tables)


Keep = Callable[[str, dict[str, Any]], dict[str, Any] | None]


def dump(
    session: Session, out: IO[str], *, names: tuple[str, ...] | None = None, keep: Keep | None = None
) -> dict[str, int]:
    """Write the database (or the tables named) as a dump, streaming; `keep` may drop or change rows.

    Returns the rows written per table.
    """
    counts: dict[str, int] = {}
    out.write(json.dumps({"format": FORMAT, "version": VERSION, "schema": HEAD})[:-1])
    out.write(', "tables": {')
    chosen = [t for t in tables() if names is None or t.name in names]
    for i, table in enumerate(chosen):
        out.write(("," if i else "") + f"\n  {json.dumps(table.name)}: [")
        n = 0
        pk = list(table.primary_key.columns)
        shown = [c for c in table.columns if c.name not in DERIVED]  # computed again when restored
        for row in session.execute(select(*shown).order_by(*pk).execution_options(yield_per=_BATCH)):
            values: dict[str, Any] = dict(row._mapping)
            if keep is not None:
                kept = keep(table.name, values)
                if kept is None:
                    continue
                values = kept
            out.write(
                ("," if n else "") + "\n    " + json.dumps({k: plain(v) for k, v in values.items()}, ensure_ascii=False)
            )
            n += 1
        out.write("\n  ]" if n else "]")
        counts[table.name] = n
    out.write("\n}}\n")
    return counts


# --- restoring ------------------------------------------------------------------------------------------


def _as_datetime(value: Any) -> datetime:
    """A timestamp; one with an offset as the same moment in UTC, as kbo keeps them (one without: UTC already)."""
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value)
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def _as_date(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def _as_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _as_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    return value


def _as_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(value)
    return float(value)


def _as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _as_is(value: Any) -> Any:
    return value


def _reader(column: Any) -> Callable[[Any], Any]:
    """How a JSON value (not null) becomes the column's Python type; each raises ValueError when it cannot."""
    kind = column.type
    for sql_type, read in (
        (DateTime, _as_datetime),
        (Date, _as_date),
        (Boolean, _as_bool),
        (Integer, _as_int),
        (Float, _as_float),
        (String, _as_str),
    ):
        if isinstance(kind, sql_type):
            return read
    return _as_is


@dataclass(frozen=True)
class _Shape:
    """What a restore checks of each row of a table, worked out once (the country's dump has 2.3 million rows,
    and SQLAlchemy's column collections are slow to ask)."""

    readers: dict[str, Callable[[Any], Any]]  # by column name
    required: tuple[str, ...]  # columns a row must give
    keyed: bool  # has a `name_key`, derived from `name`


@cache
def _shape(table: Any) -> _Shape:
    return _Shape(
        readers={c.name: _reader(c) for c in table.columns},
        required=tuple(
            c.name
            for c in table.columns
            if c.name not in DERIVED
            and not c.nullable
            and c.default is None
            and not (c.primary_key and c.autoincrement is True)
        ),
        keyed="name_key" in table.c,
    )


def _stream(path: Path) -> Iterator[tuple[str, Any]]:
    """(key, value) for the dump's header fields, then ("row", (table, row)) for every row, as read.

    A dump is flat: an object of header fields and `tables`, each table an array of flat objects. Anything
    else (a nested value, nesting deeper than that) is refused as soon as it is seen, so a hostile file
    costs nothing.
    """

    def fail(reason: str) -> InvalidValue:
        return InvalidValue(
            _("cannot read {path}: {reason}", path=path.name, reason=reason),
            _("give a file written by 'kbo export FILE.json' or 'kbo db backup'"),
        )

    try:
        with path.open("rb") as fh:
            start = fh.read(3)
            if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise fail(_("it is UTF-16 text; kbo reads UTF-8"))
            if start != codecs.BOM_UTF8:  # a byte-order mark, as Windows editors write: read past it
                fh.seek(0)
            events = ijson.basic_parse(fh, use_float=True)
            if next(events, (None, None))[0] != "start_map":
                raise fail(_("not a kbo JSON export"))
            for event, value in events:
                if event == "end_map":
                    return
                key = value
                event, value = next(events)
                if key in ("format", "version", "schema"):
                    if event not in ("string", "number"):
                        raise fail(_("{field} is not a value", field=key))
                    yield key, value
                elif key == "tables" and event == "start_map":
                    yield from _tables(events, fail)
                else:
                    raise fail(_("{field} is not part of a kbo JSON export", field=str(key)[:40]))
    except (ijson.JSONError, ValueError, OverflowError, UnicodeDecodeError) as exc:
        raise fail(str(exc)[:120] or "JSON") from exc


def _tables(events: Iterator[tuple[str, Any]], fail: Callable[[str], InvalidValue]) -> Iterator[tuple[str, Any]]:
    for event, name in events:
        if event == "end_map":
            return
        if next(events)[0] != "start_array":
            raise fail(_("the table {table} is not a list of rows", table=str(name)[:40]))
        for event, _value in events:
            if event == "end_array":
                break
            if event != "start_map":
                raise fail(_("a row of {table} is not an object", table=str(name)[:40]))
            row: dict[str, Any] = {}
            for event, key in events:
                if event == "end_map":
                    break
                event, value = next(events)
                if event in ("start_map", "start_array"):
                    raise fail(_("a row of {table} holds a nested value", table=str(name)[:40]))
                row[key] = value
            yield "row", (name, row)


def restore_file(session: Session, path: Path) -> tuple[dict[str, int], list[Across]]:
    """Load a dump into an empty database, keeping every id; returns rows restored per table, and the rules
    between records the dump breaks that kbo can work with (a backup made before a rule existed still
    restores: `kbo db check` lists them too). A dump breaking one kbo cannot work with is refused."""
    known = {t.name: t for t in tables()}
    conn = session.connection()
    for table in known.values():
        if table.name != "kbo_setting" and conn.execute(select(table).limit(1)).first() is not None:
            raise Conflict(
                _("a dump restores only into an empty database; {table} has data", table=table.name),
                _("restore into a new file: kbo --db restored.db import FILE.json"),
            )
    header: dict[str, Any] = {}
    counts: dict[str, int] = {}
    found: list[RowError] = []
    batch: list[dict[str, Any]] = []
    batch_table: Any = None
    cleared_settings = False

    def flush() -> None:
        if batch and not found:
            insert_rows(conn, batch_table, batch)
        batch.clear()

    for key, value in _stream(path):
        if key != "row":
            header[key] = value
            continue
        if header.get("format") != FORMAT:
            raise InvalidValue(
                _("{path} is not a kbo JSON export", path=path.name),
                _("give a file written by 'kbo export FILE.json' or 'kbo db backup'"),
            )
        if header.get("version") != VERSION:
            raise InvalidValue(
                _("this dump has version {v}; this kbo reads version {mine}", v=header.get("version"), mine=VERSION),
                _("use the kbo that made it"),
            )
        if str(header.get("schema", HEAD)) > HEAD:  # revisions are numbered 0001, 0002 ...: one after HEAD is newer
            raise InvalidValue(
                _(
                    "this dump was made by a newer kbo (schema {schema}; this kbo knows {mine})",
                    schema=str(header.get("schema"))[:20],
                    mine=HEAD,
                ),
                _("update kbo (pip install -U kbo), then restore it"),
            )
        name, raw = value
        table = known.get(name)
        if table is None:
            raise InvalidValue(_("the dump has an unknown table {table}", table=name), _("was it made by a newer kbo?"))
        if table is not batch_table:
            flush()
            batch_table = table
        if name == "kbo_setting" and not cleared_settings:
            conn.execute(table.delete())
            cleared_settings = True
        counts[name] = counts.get(name, 0) + 1
        row = _checked_row(table, raw, counts[name], found)
        if row is not None:
            batch.append(row)
            if len(batch) >= _BATCH:
                flush()
        if len(found) >= MAX_PROBLEMS:
            break
    if found:
        raise ImportRejected(found)
    flush()
    broken = across(session)  # the rules between records, once they are all in (row 0: no one row)
    if any(b.breaks for b in broken):
        raise ImportRejected([RowError(b.table, 0, b.column, b.message) for b in broken if b.breaks])
    if not header:
        raise InvalidValue(
            _("{path} is not a kbo JSON export", path=path.name),
            _("give a file written by 'kbo export FILE.json' or 'kbo db backup'"),
        )
    if conn.dialect.name == "postgresql":  # ids were given: move each sequence past them
        for table in known.values():
            if "id" in table.c and table.c.id.autoincrement:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return counts, broken


def _checked_row(table: Any, raw: dict[str, Any], number: int, found: list[RowError]) -> dict[str, Any] | None:
    """A dump's row as stored values, once it keeps kbo's rules; its problems are added to `found`."""

    def bad(column: str, message: str) -> None:
        found.append(RowError(table.name, number, column, message))

    shape = _shape(table)
    row: dict[str, Any] = {}
    for key, value in raw.items():
        read = shape.readers.get(key)
        if read is None:
            bad(str(key)[:40], _("not a column of {table}", table=table.name))
            continue
        try:
            row[key] = None if value is None else read(value)
        except (ValueError, TypeError, OverflowError):
            bad(key, _("cannot be {value}", value=str(value)[:40]))
    for column in shape.required:
        if column not in row:
            bad(column, _("a value is required"))
    if shape.keyed and isinstance(row.get("name"), str):
        row["name_key"] = name_key(row["name"])  # never trust a stored matching key: it is derived
    if table.name == "producer_group":
        row.pop("sort_key", None)  # nor a stored sort key
        if all(isinstance(row.get(k), str) for k in ("district", "name", "code")):
            place_key_values(row)
    for problem in problems(table.name, row):
        column, _sep, message = problem.partition(": ")
        bad(column, message) if message else bad("", problem)
    return row
