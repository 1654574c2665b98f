"""Opening the database: engines, schema checks and upgrades, one transaction per command.

SQLite files are opened with foreign keys on, WAL journaling, a busy timeout and a sorter that may use every
core, and write commands take the write lock up front (`BEGIN IMMEDIATE`) so that concurrent kbo processes
queue instead of failing. A new or older SQLite file is upgraded automatically on open; a shared PostgreSQL
database is upgraded only on request (`kbo init`), and a database newer than this kbo is refused.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlmodel import Session

from kbo_cli.config import DatabaseTarget, redact
from kbo_cli.errors import DatabaseProblem, KboError
from kbo_cli.i18n import _
from kbo_cli.storage.migrations import HEAD

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.engine.interfaces import DBAPIConnection

SQLITE_BUSY_TIMEOUT_MS = 60_000
#: helper threads SQLite may start for one statement's large sort (`PRAGMA threads`): one per core this process may
#: use, at most SQLite's own limit of 8. The country's gap report sorts half a million rows: 0.75 of its time on
#: 2 cores. Sorts that fit in memory and queries that do not sort start none.
SQLITE_SORT_THREADS = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def make_engine(target: DatabaseTarget, *, write: bool) -> Engine:
    """An engine for the target. `write` makes SQLite transactions take the write lock at BEGIN."""
    if target.is_sqlite:
        _check_sqlite_file(target)
        engine = create_engine(target.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, poolclass=None)
        begin = "BEGIN IMMEDIATE" if write else "BEGIN"

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute(f"PRAGMA threads = {SQLITE_SORT_THREADS}")
            if write:
                cur.execute("PRAGMA journal_mode = WAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin)

        return engine
    try:
        engine = create_engine(target.url, pool_pre_ping=False)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ValueError) as exc:
        raise DatabaseProblem(
            _("cannot use the database address {url}", url=redact(target.url)),
            _("give a file path or a URL like postgresql+psycopg://user@host/dbname"),
        ) from exc
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _plan_for_all_rows(dbapi_conn: Any, _record: Any) -> None:
            """kbo reads its results whole, streamed through server-side cursors; PostgreSQL plans a cursor's
            query for its first 10% of rows (`cursor_tuple_fraction`), a plan slower for all of them (the
            country's gaps: 3.8 s -> 2.5 s on the server). Set per session, leaving PGOPTIONS as it is."""
            with dbapi_conn.cursor() as cur:
                cur.execute("SET cursor_tuple_fraction = 1")
            dbapi_conn.commit()

    return engine


def check_exists(target: DatabaseTarget) -> None:
    """For a command that only reads: a SQLite file that is not there yet is refused rather than created (a
    mistyped --db would otherwise answer from a new, empty database: "No gaps")."""
    path = target.sqlite_path
    if path is not None and (not path.exists() or (path.is_file() and path.stat().st_size == 0)):  # (0 bytes: new)
        raise DatabaseProblem(
            _("there is no database at {path}", path=path),
            _("check the --db path or KBO_DB; 'kbo init' or 'kbo demo' creates a database"),
        )


def remove_if_unused(path: Path, *, was_empty: bool = False) -> None:
    """Remove a SQLite file a failed command made (or empty it again, if it was an empty file), unless a table of
    it holds a row: another kbo may have written to it meanwhile (`kbo demo` on the same new path), and its work
    is kept."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            used = any(
                con.execute(f'SELECT 1 FROM "{n}" LIMIT 1').fetchone()  # the names come from the schema itself
                for n in names
                if n not in ("alembic_version", "sqlite_sequence")
            )
        finally:
            con.close()
    except sqlite3.Error:
        return  # busy, or not a database: left as it is
    if not used:
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if was_empty:
            path.write_bytes(b"")
        else:
            path.unlink(missing_ok=True)


def _check_sqlite_file(target: DatabaseTarget) -> None:
    path = target.sqlite_path
    assert path is not None
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseProblem(
            _("cannot read {path}: {reason}", path=path, reason=exc.strerror),
            _("check the file's permissions"),
        ) from exc
    if magic != _SQLITE_MAGIC:
        raise DatabaseProblem(
            _("{path} is not a kbo database (not a SQLite file)", path=path),
            _("check the --db path or KBO_DB; kbo creates a new database at a path that does not exist yet"),
        )


def schema_revision(engine: Engine) -> tuple[str | None, bool]:
    """(revision in alembic_version or None, whether the database has any other table)."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return None, bool(tables)
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return (row[0] if row else None), True


def known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("*.py")}


def driver_connection(conn: Connection) -> DBAPIConnection:
    """The database driver's own connection under `conn`, for what must bypass SQLAlchemy's transactions."""
    raw = conn.connection.dbapi_connection
    if raw is None:  # only once the connection was invalidated
        raise RuntimeError("the database connection is closed")
    return raw


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` in one transaction."""
    # Alembic (some 60 ms) loads only to upgrade, not each time an up-to-date database is opened
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # SQLite changes a table by copying it: references are checked once, at the end
            driver_connection(conn).execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseProblem(
                        _("the upgrade would break references between records"),
                        _("run 'kbo db check' and restore from a backup"),
                    )
        finally:
            if sqlite:
                driver_connection(conn).execute("PRAGMA foreign_keys = ON")


def ensure_schema(engine: Engine, target: DatabaseTarget, *, upgrade: bool) -> None:
    """Make sure the schema is at HEAD: upgrade SQLite (or anything when `upgrade`), else refuse."""
    current, has_tables = schema_revision(engine)
    if current == HEAD:
        return
    if current is None and has_tables:
        raise DatabaseProblem(
            _("{db} is not a kbo database", db=target.display()),
            _("check the --db path or KBO_DB; it holds tables that kbo did not create"),
        )
    if current is not None and current not in known_revisions():
        raise DatabaseProblem(
            _("the database {db} was made by a newer kbo (schema {rev})", db=target.display(), rev=current),
            _("upgrade kbo (pip install -U kbo) before using this database"),
        )
    if upgrade or target.is_sqlite:
        upgrade_schema(engine)
        return
    raise DatabaseProblem(
        _(
            "the database {db} needs an upgrade (schema {rev}, this kbo needs {head})",
            db=target.display(),
            rev=current or "-",
            head=HEAD,
        ),
        _("run 'kbo db upgrade' once to upgrade the shared database"),
    )


@contextmanager
def session_scope(engine: Engine, *, write: bool) -> Iterator[Session]:
    """One transaction: commits at the end when `write`, rolls back on any error.

    A read-only session is closed without a commit; the objects it loaded stay readable after it.
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            if write:
                session.commit()
        except BaseException:
            session.rollback()
            raise


def is_driver_error(exc: BaseException) -> bool:
    """An error of SQLAlchemy or of a database driver (the reports read some rows from the driver itself)."""
    if isinstance(exc, sa_exc.SQLAlchemyError | sqlite3.Error):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def translate_error(exc: BaseException, target: DatabaseTarget | None) -> KboError:
    """Turn a database driver error into a clean KboError (never showing a password)."""
    where = target.display() if target else _("(not opened yet)")
    text_ = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, sa_exc.IntegrityError):
        return DatabaseProblem(
            _("the change conflicts with what is stored: {detail}", detail=redact(str(exc.orig))[:200]),
            _("check for a duplicate code or name"),
        )
    if "locked" in text_ or "busy" in text_:
        return DatabaseProblem(
            _("the database {db} is busy: another program holds it", db=where),
            _("try again in a moment"),
        )
    if any(sign in text_ for sign in ("not a database", "malformed", "corrupt", "could not decode")):
        return DatabaseProblem(
            _("the database {db} is damaged or not a kbo database", db=where),
            _("restore it from a backup, or check the --db path"),
        )
    if "readonly" in text_ or "read-only" in text_:
        return DatabaseProblem(
            _("the database {db} is read-only", db=where),
            _("check the file's permissions, or work on a copy"),
        )
    if "full" in text_:
        return DatabaseProblem(_("the disk holding {db} is full", db=where), _("free some space and try again"))
    if "unable to open" in text_:
        return DatabaseProblem(_("cannot open the database {db}", db=where), _("check the path and its permissions"))
    if target is not None and target.is_sqlite and isinstance(exc, sa_exc.OperationalError | sqlite3.Error):
        return DatabaseProblem(
            _("the database {db} failed: {detail}", db=where, detail=str(getattr(exc, "orig", exc))[:200]),
            _("run 'kbo db check'; restore the file from a backup if it is damaged"),
        )
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return DatabaseProblem(
            _("cannot reach the database {db}", db=where),
            _("check that the server is running and the address, user and password are right"),
        )
    return DatabaseProblem(
        _("the database {db} failed: {detail}", db=where, detail=redact(str(exc).splitlines()[0])[:200]),
        _("try again; if it keeps failing, run the command with a copy of the database and report it"),
    )
