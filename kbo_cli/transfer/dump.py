"""A kbo JSON dump: every table's rows, restorable into an empty database with the same content.

Used by `kbo db backup` on PostgreSQL and by `kbo export FILE.json`; `kbo import FILE.json` restores it.
Shape: {"format": "kbo-dump", "version": 1, "schema": "<alembic revision>", "tables": {name: [row, ...]}}
with dates and timestamps as ISO text. Tables are written parents first, so they restore in order.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import IO, Any

from sqlalchemy import Date, DateTime, insert, select, text
from sqlmodel import Session, SQLModel

from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import _
from kbo_cli.storage.migrations import HEAD

FORMAT = "kbo-dump"
VERSION = 1
_BATCH = 5000


def _plain(value: Any) -> Any:
    """JSON text for a value; timestamps always in UTC with their offset (SQLite keeps them naive)."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def tables() -> list[Any]:
    return list(SQLModel.metadata.sorted_tables)


def dump(session: Session, out: IO[str]) -> dict[str, int]:
    """Write the whole database as JSON, streaming row by row; returns rows written per table."""
    counts: dict[str, int] = {}
    out.write(json.dumps({"format": FORMAT, "version": VERSION, "schema": HEAD})[:-1])
    out.write(', "tables": {')
    for i, table in enumerate(tables()):
        out.write(("," if i else "") + f"\n  {json.dumps(table.name)}: [")
        n = 0
        pk = list(table.primary_key.columns)
        for row in session.execute(select(table).order_by(*pk).execution_options(yield_per=_BATCH)):
            out.write(("," if n else "") + "\n    " + json.dumps(
                {k: _plain(v) for k, v in row._mapping.items()}, ensure_ascii=False))
            n += 1
        out.write("\n  ]" if n else "]")
        counts[table.name] = n
    out.write("\n}}\n")
    return counts


def _decode(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if key not in table.c:
            raise InvalidValue(_("the dump has an unknown column {table}.{column}", table=table.name, column=key),
                               _("was it made by a newer kbo?"))
        column_type = table.c[key].type
        if value is not None and isinstance(column_type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def is_dump(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def restore(session: Session, data: dict[str, Any]) -> dict[str, int]:
    """Load a dump into an empty database, keeping every id; returns rows restored per table."""
    if data.get("version") != VERSION:
        raise InvalidValue(_("this dump has version {v}; this kbo reads version {mine}",
                             v=data.get("version"), mine=VERSION), _("use the kbo that made it"))
    conn = session.connection()
    for table in tables():
        if table.name == "kbo_setting":
            continue
        if conn.execute(select(table).limit(1)).first() is not None:
            raise Conflict(_("a dump restores only into an empty database; {table} has data", table=table.name),
                           _("restore into a new file: kbo --db restored.db import FILE.json"))
    counts = {}
    for table in tables():
        rows = [_decode(table, r) for r in data.get("tables", {}).get(table.name, [])]
        if table.name == "kbo_setting":
            conn.execute(table.delete())
        for start in range(0, len(rows), _BATCH):
            conn.execute(insert(table), rows[start:start + _BATCH])
        counts[table.name] = len(rows)
    if conn.dialect.name == "postgresql":  # ids were given: move each sequence past them
        for table in tables():
            if "id" in table.c and table.c.id.autoincrement:
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts
