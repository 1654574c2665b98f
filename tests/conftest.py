"""Shared fixtures: every test drives the real CLI against a throwaway database file.

The environment is isolated (no KBO_* variables, a temporary HOME), rich's width is pinned so whole
outputs can be compared, and each test gets a fresh database: a SQLite file, and also a fresh
PostgreSQL schema when KBO_TEST_PG names a server (see `db_url`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbo_cli.cli import app


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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kbo.db"


@pytest.fixture
def db_url(db_path: Path) -> str:
    """The database every `kbo` call of the test uses."""
    return str(db_path)


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
