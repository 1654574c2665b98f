"""Looking after the database: status, integrity checks and consistent backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlmodel import Session, SQLModel

from kbo_cli.config import DatabaseTarget
from kbo_cli.domain import network
from kbo_cli.i18n import _
from kbo_cli.storage import db
from kbo_cli.storage.migrations import HEAD
from kbo_cli.storage.models import ProducerGroup, table_of
from kbo_cli.thai.textnorm import place_key
from kbo_cli.transfer.dump import dump
from kbo_cli.transfer.files import check_target


def database_status(target: DatabaseTarget) -> list[dict[str, Any]]:
    """Where the database is, its schema against this kbo's, and how much it holds."""
    engine = db.make_engine(target, write=False)
    try:
        current, _has_tables = db.schema_revision(engine)
        rows: list[dict[str, Any]] = [
            {"key": "database", "value": target.display()},
            {"key": "engine", "value": engine.dialect.name},
            {"key": "schema", "value": current or "-"},
            {"key": "kbo_schema", "value": HEAD},
            {"key": "up_to_date", "value": current == HEAD},
        ]
        if target.sqlite_path and target.sqlite_path.exists():
            rows.append({"key": "size_bytes", "value": target.sqlite_path.stat().st_size})
        if current == HEAD:
            with Session(engine) as s:
                rows.append({"key": "province", "value": network.province_code(s) or "-"})
                for name in ("producer_group", "product", "checklist_entry", "change_set"):
                    table = SQLModel.metadata.tables[name]
                    rows.append({"key": name, "value": s.execute(select(func.count()).select_from(table)).scalar_one()})
        return rows
    finally:
        engine.dispose()


def integrity_problems(session: Session) -> list[dict[str, str]]:
    """Everything wrong with the database: storage integrity (SQLite) and broken references (both)."""
    problems: list[dict[str, str]] = []
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        for (result,) in conn.execute(text("PRAGMA integrity_check")):
            if result != "ok":
                problems.append({"check": "integrity", "problem": str(result)})
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            problems.append({"check": "foreign_key", "problem": f"{row[0]} row {row[1]} -> {row[2]}"})
        return problems + _stale_sort_keys(session)
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            child, parent = fk.parent, fk.column
            orphans = conn.execute(
                select(func.count()).select_from(table).where(child.isnot(None), ~child.in_(select(parent)))
            ).scalar_one()
            if orphans:
                problems.append(
                    {
                        "check": "foreign_key",
                        "problem": f"{table.name}.{child.name}: {orphans} rows -> {parent.table.name}",
                    }
                )
    return problems + _stale_sort_keys(session)


def _stale_sort_keys(session: Session) -> list[dict[str, str]]:
    """Producer groups whose stored sort key is not their place's (changed by another program than kbo)."""
    groups = table_of(ProducerGroup)
    query = select(groups.c.code, groups.c.district, groups.c.name, groups.c.sort_key)
    stale = [
        code
        for code, district, name, key in session.connection().execute(query.execution_options(yield_per=5000))
        if key != place_key(district, name, code)
    ]
    if not stale:
        return []
    shown = ", ".join(stale[:10]) + (" …" if len(stale) > 10 else "")
    problem = _("the stored sort key of {count} producer groups is out of date: {codes}", count=len(stale), codes=shown)
    return [{"check": "sort_key", "problem": problem}]


def backup_database(session: Session, target: DatabaseTarget, file: Path) -> Path:
    """A consistent copy: SQLite's online backup, or a kbo JSON dump for PostgreSQL."""
    file = check_target(file).absolute()
    if target.is_sqlite:
        raw = db.driver_connection(session.connection())
        dest = sqlite3.connect(file)
        try:
            raw.backup(dest)
        finally:
            dest.close()
        return file

    tmp = file.with_name(file.name + ".part")
    with tmp.open("w", encoding="utf-8") as out:
        dump(session, out)
    tmp.replace(file)
    return file
