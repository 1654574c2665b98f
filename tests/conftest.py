"""Shared fixtures: every test drives the real CLI against a throwaway database.

The environment is isolated (no KBO_* variables, a temporary HOME), rich's width is pinned so whole
outputs can be compared, and each test runs against a fresh database: a SQLite file, and again against
a fresh PostgreSQL schema when KBO_TEST_PG names a server (`postgresql+psycopg://user@host:port/db`).
Tests about SQLite files as such are marked `sqlite_only`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kbo_cli.cli import app
from kbo_cli.i18n import set_language


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.stdout)


Invoke = Callable[..., Run]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("KBO_") and name != "KBO_TEST_PG":
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("KBO_USER", "tester")
    set_language("en")  # messages raised outside the CLI (unit tests) are in English


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once per session: each test starts from a copy."""
    from sqlalchemy import create_engine

    from kbo_cli.storage.db import upgrade_schema

    path = tmp_path_factory.mktemp("template") / "kbo.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    engine.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_sqlite: Path) -> Path:
    """The test's own SQLite database: a copy of the migrated, empty template."""
    path = tmp_path / "kbo.db"
    shutil.copyfile(migrated_sqlite, path)
    return path


ENGINES = ["sqlite", "postgresql"] if os.environ.get("KBO_TEST_PG") else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite files; not run on PostgreSQL")


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("a test about SQLite files")
    return str(request.param)


@pytest.fixture
def db_url(engine_name: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The database every `kbo` call of the test uses: a SQLite path, or a fresh PostgreSQL database."""
    if engine_name == "sqlite":
        yield str(request.getfixturevalue("db_path"))
        return
    yield from pg_database_url(request.getfixturevalue("pg_template"))


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database on the KBO_TEST_PG server set up once with `kbo init`; each test gets a copy of it."""
    from sqlalchemy import create_engine, text

    base = os.environ["KBO_TEST_PG"]
    name = f"kbo_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    init = make_invoke(_with_database(base, name))("init")  # a shared database is set up once with `kbo init`
    assert init.exit_code == 0, init.stderr
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_database_url(template: str) -> Iterator[str]:
    """A URL to a new database copied from the template (PostgreSQL copies it as files: fast), dropped after."""
    from sqlalchemy import create_engine, text

    base = os.environ["KBO_TEST_PG"]
    name = f"kbo_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _with_database(base, name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sql(db_url: str) -> Iterator[Callable[[str], list[tuple[Any, ...]]]]:
    """Run a statement on the test's database (either engine), committed; returns its rows as tuples."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")

    def run(query: str) -> list[tuple[Any, ...]]:
        with engine.begin() as conn:
            result = conn.execute(text(query))
            return [tuple(row) for row in result] if result.returns_rows else []

    yield run
    engine.dispose()


@cache
def kbo_command() -> Any:
    """kbo's Click command, built once (Typer's test runner would rebuild it from the functions on every call)."""
    return typer.main.get_command(app)


@dataclass
class Outcome(Run):
    exception: BaseException | None = None
    exc_info: Any = None


def run_kbo(argv: list[str], input: str | None = None) -> Outcome:
    """Run `kbo ARGV` in-process, as the console script would, through Click's public test isolation."""
    runner = CliRunner()
    exception, exc_info, code = None, None, 0
    with runner.isolation(input=input) as streams:
        try:
            kbo_command().main(args=argv, prog_name="kbo")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:  # a crash: the test sees it (kbo should never let one through)
            exception, exc_info, code = exc, sys.exc_info(), 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return Outcome(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), exception, exc_info)


def make_invoke(db: str, lang: str = "en") -> Invoke:
    def invoke(*args: str, input: str | None = None, lang_: str | None = None) -> Run:
        result = run_kbo(["--db", db, "--lang", lang_ or lang, *args], input=input)
        if result.exception is not None:
            raise result.exception
        return result

    return invoke


@pytest.fixture
def kbo(db_url: str) -> Invoke:
    """Run `kbo --db <test db> --lang en ARGS...`; returns exit code, stdout and stderr."""
    return make_invoke(db_url, "en")


@pytest.fixture
def kbo_th(db_url: str) -> Invoke:
    """The same in Thai, the default language."""
    return make_invoke(db_url, "th")


@pytest.fixture
def np_group(kbo: Invoke) -> str:
    """A Nakhon Phanom database with one producer group; returns its code."""
    assert kbo("init", "--province", "48").exit_code == 0
    r = kbo("group", "add", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง", "--district", "เรณูนคร", "--code", "DD01")
    assert r.exit_code == 0, r.stderr
    return "DD01"


def ok(kbo: Invoke, *args: str, lang_: str | None = None, input: str | None = None) -> Run:
    """Run `kbo ARGS...`, which must succeed; returns the run."""
    r = kbo(*args, lang_=lang_, input=input)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def certified(product: str, standard: str, cert: str, *more: str) -> tuple[str, ...]:
    """The arguments of `kbo checklist set` that record PRODUCT certified for STANDARD with number CERT."""
    return ("checklist", "set", product, standard, "--status", "certified", "--cert", cert, *more)


def certify(kbo: Invoke, product: str, standard: str, cert: str, *more: str) -> Run:
    """Record PRODUCT certified for STANDARD with number CERT (MORE: further options, e.g. `--issued`)."""
    return ok(kbo, *certified(product, standard, cert, *more))


def opc_parts(part1: str, part2: str, part3: str) -> tuple[str, ...]:
    """The options of `kbo opc set` and `kbo opc score` that give the three parts of an OPC score."""
    return ("--part1", part1, "--part2", part2, "--part3", part3)
