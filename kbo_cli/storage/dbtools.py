"""Looking after the database: status, integrity checks and consistent backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Enum, Float, Integer, Numeric, func, or_, select, text
from sqlmodel import Session, SQLModel

from kbo_cli.config import DatabaseTarget
from kbo_cli.domain import network
from kbo_cli.i18n import _
from kbo_cli.storage import db
from kbo_cli.storage.migrations import HEAD
from kbo_cli.storage.models import ProducerGroup, table_of
from kbo_cli.thai.textnorm import place_key
from kbo_cli.transfer.dump import dump
from kbo_cli.transfer.files import atomic_path, check_target


def database_status(target: DatabaseTarget) -> list[dict[str, Any]]:
    """Where the database is, its schema against this kbo's, and how much it holds."""
    db.check_exists(target)  # asking about a file that is not there creates none
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
        if problems:  # a damaged file: reading its values would fail on the damage
            return problems
        problems += _unreadable_values(session)
        if problems:  # the rules below read the values
            return problems
        return _broken_rules(session) + _stale_sort_keys(session)
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
    return problems + _broken_rules(session) + _stale_sort_keys(session)


def _broken_rules(session: Session) -> list[dict[str, str]]:
    """The rules between records the commands keep (`records.across`), broken by another program."""
    from kbo_cli.domain.records import across

    return [{"check": "rules", "problem": b.text} for b in across(session)]


def _unreadable(column: Any) -> Any:
    """SQL true for a value of `column` kbo cannot read back: SQLite stores whatever another program writes
    (a date as 31/12/2569, a score as text), PostgreSQL refuses it. None for columns that take any text."""
    kind = column.type
    kind_of = func.typeof(column)
    if isinstance(kind, Enum):
        return column.notin_(kind.enums)
    if isinstance(kind, DateTime):
        return or_(kind_of != "text", func.datetime(column).is_(None))
    if isinstance(kind, Date):
        return or_(kind_of != "text", func.date(func.julianday(column)).is_distinct_from(column))
    if isinstance(kind, Boolean):
        return column.notin_((0, 1))
    if isinstance(kind, Integer):
        return kind_of != "integer"
    if isinstance(kind, Float | Numeric):
        return kind_of.notin_(("integer", "real"))
    return None


def _unreadable_values(session: Session) -> list[dict[str, str]]:
    """Values in a form kbo cannot read (written by another program than kbo): one problem per column. A query
    per column, each reading the column's index where it has one: one scan per table with every column's test
    took twice as long on the 212,000-product register (3.5 s against 1.6 s)."""
    problems: list[dict[str, str]] = []
    conn = session.connection()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            wrong = _unreadable(column)
            if wrong is None:
                continue
            query = select(func.count(), func.min(func.quote(column))).where(column.is_not(None), wrong)
            count, example = conn.execute(query).one()
            if count:
                problem = _(
                    "{table}.{column} holds a value kbo cannot read, e.g. {value} (rows: {count})",
                    count=count,
                    table=table.name,
                    column=column.name,
                    value=str(example)[:40],
                )
                problems.append({"check": "values", "problem": problem})
    return problems


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


def backup_database(
    session: Session, target: DatabaseTarget, file: Path, *, force: bool = False
) -> tuple[Path, str | None]:
    """A consistent copy: SQLite's online backup, or a kbo JSON dump for PostgreSQL and for a .json file.
    Written under a temporary name, which becomes `file` once the copy is whole. Returns the file, and for a
    SQLite copy what SQLite's own check finds wrong in it (None when it is sound): a damaged database copies
    page by page as it is, and its backup should not be trusted unawares."""
    file = check_target(
        file, force=force, example="kbo-backup.json" if not target.is_sqlite else "kbo-backup.db"
    ).absolute()
    problem = None
    with atomic_path(file) as tmp:
        if target.is_sqlite and file.suffix.lower() != ".json":
            tmp.open("wb").close()  # a place that cannot be written fails here, as an OSError atomic_path names
            raw = db.driver_connection(session.connection())
            dest = sqlite3.connect(tmp)
            try:
                raw.backup(dest)
                found = str(dest.execute("PRAGMA quick_check(1)").fetchone()[0])
                problem = None if found == "ok" else found
            except sqlite3.DatabaseError as exc:  # too damaged to check
                problem = str(exc)
            finally:
                dest.close()
        else:
            with tmp.open("w", encoding="utf-8") as out:
                dump(session, out)
    return file, problem
