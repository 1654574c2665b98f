"""Shared fixtures: every test drives the real CLI against a throwaway database.

The environment is isolated (no KBO_* variables, a temporary HOME), rich's width is pinned so whole
outputs can be compared, and each test runs against a fresh database: a SQLite file, and again against
a fresh PostgreSQL schema when KBO_TEST_PG names a server (`postgresql+psycopg://user@host:port/db`).
Tests about SQLite files as such are marked `sqlite_only`.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kbo.db"


ENGINES = ["sqlite", "postgresql"] if os.environ.get("KBO_TEST_PG") else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite files; not run on PostgreSQL")


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("a test about SQLite files")
    return str(request.param)


@pytest.fixture
def db_url(engine_name: str, db_path: Path) -> Iterator[str]:
    """The database every `kbo` call of the test uses: a SQLite path, or a fresh PostgreSQL schema."""
    if engine_name == "sqlite":
        yield str(db_path)
        return
    yield from pg_schema_url()


def pg_schema_url() -> Iterator[str]:
    """A URL to a new, empty schema on the KBO_TEST_PG server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    base = os.environ["KBO_TEST_PG"]
    schema = f"kbo_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    init = make_invoke(url)("init")  # a shared database is set up once with `kbo init`
    assert init.exit_code == 0, init.stderr
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
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


def make_invoke(db: str, lang: str = "en") -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, lang_: str | None = None) -> Run:
        argv = ["--db", db, "--lang", lang_ or lang, *args]
        result = runner.invoke(app, argv, input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

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
