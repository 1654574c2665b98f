"""Shared fixtures: every test drives the real CLI against a throwaway database.

The environment is isolated (no KBO_* variables but KBO_DEBUG, a temporary HOME), rich's width is pinned
so whole outputs can be compared, and each test runs against a fresh database: a SQLite file, and again against
a fresh PostgreSQL schema when KBO_TEST_PG names a server (`postgresql+psycopg://user@host:port/db`).
Tests about SQLite files as such are marked `sqlite_only`.

A fixture made with `@prepared` (np_group, demo, and the modules' own: textile, committee ...) brings the
database to a state with kbo commands; they run once per session and engine, on a database of their own,
and each test that asks for the fixture starts from a copy of it, made the same way as the empty one.

The suite runs on every core (pytest-xdist, `-n auto`) unless told otherwise (`-n 0`, `-p no:xdist`, or
node ids on the command line); session fixtures (templates) are made once per worker.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
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


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """`-n auto` unless the command line chose (-n, --pdb, -p no:xdist) or names single tests (`file::test`).

    Here rather than in addopts, so that `pytest -p no:xdist` keeps working; it runs before xdist's own
    hook, which turns "auto" into the number of cores.
    """
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    chosen = config.option.numprocesses is not None or config.option.tx or config.getoption("usepdb", False)
    if not chosen and not any("::" in str(arg) for arg in config.args):
        config.option.numprocesses = "auto"


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No KBO_* variable of the caller's, HOME in the (empty) folder given, a pinned width, no colour."""
    for name in list(os.environ):
        if name.startswith("KBO_") and name != "KBO_TEST_PG":
            monkeypatch.delenv(name)
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("KBO_USER", "tester")
    monkeypatch.setenv("KBO_DEBUG", "1")  # a defect of kbo's own escapes as itself (users get one line)


def empty_folder(folder: Path) -> None:
    """Remove everything inside FOLDER (it stays)."""
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


@pytest.fixture(scope="session")
def home_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(autouse=True)
def isolated_env(home_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with an empty HOME of its own (one folder per worker, emptied before each test:
    a test asks for tmp_path only if it needs one, which spares thousands of folders per run)."""
    empty_folder(home_folder)
    isolate(monkeypatch, home_folder)
    set_language("en")  # messages raised outside the CLI (unit tests) are in English


@contextmanager
def isolated(home: Path) -> Iterator[None]:
    """`isolate` for a session fixture (the test's own monkeypatch is not there yet)."""
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, home)
        yield


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


# --- prepared states: fixtures whose kbo commands run once per session and engine ----------------------


@dataclass(frozen=True)
class Recipe:
    name: str
    make: Callable[..., Any]  # takes kbo, and sql or the parent's value by name; returns the fixture's value
    parent: str | None  # the prepared fixture it starts from
    module: str


#: the prepared fixtures of the whole suite, by name (names are unique across modules)
RECIPES: dict[str, Recipe] = {}
#: a recipe's value that stands for "the test's own kbo"
_KBO = object()


def prepared(parent: str | None = None) -> Callable[[Callable[..., Any]], Any]:
    """A fixture that brings the test's database to a state with kbo commands (and SQL), from `parent`'s.

    The decorated function takes `kbo` and, if it wants them, `sql` and the parent fixture's value (by the
    parent's name), as a fixture would; it returns the fixture's value (the kbo it was given: the test's own). Its commands run once per session and
    engine on a database of their own (asserting as they would in a test); a test asking for the fixture
    starts from a copy of that database (see `db_url`), instead of running them again.
    """

    def wrap(make: Callable[..., Any]) -> Any:
        name = make.__name__
        known = RECIPES.get(name)
        assert known is None or known.module == make.__module__, f"two prepared fixtures named {name!r}"
        RECIPES[name] = Recipe(name, make, parent, make.__module__)

        def fixture(kbo: Invoke, engine_name: str, request: pytest.FixtureRequest) -> Any:
            value = request.getfixturevalue(f"{engine_name}_states").value(name)
            return kbo if value is _KBO else value

        fixture.__doc__ = make.__doc__
        return pytest.fixture(name=name)(fixture)

    return wrap


def prepared_state(request: pytest.FixtureRequest) -> str | None:
    """The prepared fixture the test's database starts from: the last of the chain it asks for, or None."""
    names = [name for name in request.fixturenames if name in RECIPES]
    if not names:
        return None
    chains = {name: _chain(name) for name in names}
    last = max(names, key=lambda name: len(chains[name]))
    assert all(name in chains[last] for name in names), f"prepared fixtures from two chains: {names}"
    return last


def _chain(name: str) -> list[str]:
    chain: list[str] = []
    at: str | None = name
    while at is not None:
        chain.insert(0, at)
        at = RECIPES[at].parent
    return chain


class States:
    """One engine's prepared databases, made on first use: name -> (template, value)."""

    def __init__(self, empty: Any, copy: Callable[[Any, str], tuple[Any, str]], folder: Path) -> None:
        self.empty = empty  # the migrated template
        self.copy = copy  # (template, name) -> (new template, its URL)
        self.folder = folder
        self.made: dict[str, tuple[Any, Any]] = {}

    def template(self, name: str | None) -> Any:
        return self.empty if name is None else self._make(name)[0]

    def value(self, name: str) -> Any:
        return self._make(name)[1]

    def _make(self, name: str) -> tuple[Any, Any]:
        if name not in self.made:
            recipe = RECIPES[name]
            template, url = self.copy(self.template(recipe.parent), name)
            with isolated(self.folder / f"home-{name}"):
                kbo = make_invoke(url)
                with sql_runner(url) as sql:
                    given: dict[str, Any] = {"kbo": kbo, "sql": sql}
                    if recipe.parent is not None:
                        given[recipe.parent] = self.value(recipe.parent)
                        given[recipe.parent] = kbo if given[recipe.parent] is _KBO else given[recipe.parent]
                    wants = inspect.signature(recipe.make).parameters
                    value = recipe.make(**{arg: given[arg] for arg in wants})
            self.made[name] = (template, _KBO if value is kbo else value)
        return self.made[name]


@pytest.fixture(scope="session")
def sqlite_states(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> States:
    folder = tmp_path_factory.mktemp("states")

    def copy(template: Path, name: str) -> tuple[Path, str]:
        path = folder / f"{name}.db"
        shutil.copyfile(template, path)
        return path, str(path)

    return States(migrated_sqlite, copy, folder)


@pytest.fixture(scope="session")
def demo_sqlite(sqlite_states: States) -> Path:
    """The demo network in a SQLite file, loaded once per session (the `demo` fixture's template)."""
    return Path(sqlite_states.template("demo"))


@pytest.fixture
def db_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The test's own SQLite database: a copy of the migrated, empty template (or of a prepared state)."""
    template = request.getfixturevalue("sqlite_states").template(prepared_state(request))
    path = tmp_path / "kbo.db"
    shutil.copyfile(template, path)
    return path


ENGINES = ["sqlite", "postgresql"] if os.environ.get("KBO_TEST_PG") else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    from fuzzsupport import register_summary

    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite files; not run on PostgreSQL")
    register_summary(config)  # the hardening tally (test_fuzz.py, test_bad_files.py)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first (a stable sort), so that the workers start them early instead of ending on them."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
    template = request.getfixturevalue("postgresql_states").template(prepared_state(request))
    copies: PgCopies = request.getfixturevalue("pg_copies")
    name = copies.take(template)
    try:
        yield _with_database(os.environ["KBO_TEST_PG"], name)
    finally:
        copies.drop(name)


@prepared()
def demo(kbo: Invoke) -> Invoke:
    """`kbo` on a database that starts as the demo network (`kbo demo`)."""
    ok(kbo, "demo")
    return kbo


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


class PgCopies:
    """Databases on the KBO_TEST_PG server, made and dropped by one connection in a thread of their own.

    `take(template)` returns a database that is a fresh copy of the template, never used before: the one
    made ahead for it while the previous test ran, or a new one; it then makes the next one ahead. A used
    database is dropped in the background (`drop`). Copies are made from templates no test writes to, so
    a copy made ahead is the same as one made on demand.
    """

    def __init__(self, base: str) -> None:
        from sqlalchemy import create_engine

        self.admin = create_engine(base, isolation_level="AUTOCOMMIT", pool_size=1)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kbo-pg-copies")
        self.ahead: dict[str, Future[str]] = {}

    def _execute(self, statement: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of TEMPLATE), made now; returns its name."""
        name = f"kbo_test_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        self.thread.submit(self._execute, f'CREATE DATABASE "{name}"{copy}').result()
        return name

    def _make(self, template: str) -> str:
        name = f"kbo_test_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def take(self, template: str) -> str:
        made = self.ahead.pop(template, None)
        name = made.result() if made is not None else self.thread.submit(self._make, template).result()
        self.ahead[template] = self.thread.submit(self._make, template)
        return name

    def drop(self, name: str, *, wait: bool = False) -> None:
        done = self.thread.submit(self._execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if wait:
            done.result()

    def forget(self, template: str) -> None:
        """Drop the copy made ahead of TEMPLATE (before the template itself is dropped)."""
        made = self.ahead.pop(template, None)
        if made is not None:
            self.drop(made.result(), wait=True)

    def close(self) -> None:
        for template in list(self.ahead):
            self.forget(template)
        self.thread.shutdown(wait=True)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_copies() -> Iterator[PgCopies]:
    copies = PgCopies(os.environ["KBO_TEST_PG"])
    try:
        yield copies
    finally:
        copies.close()


@pytest.fixture(scope="session")
def pg_template(pg_copies: PgCopies) -> Iterator[str]:
    """A database on the KBO_TEST_PG server set up once with `kbo init`; each test gets a copy of it."""
    name = pg_copies.create()
    init = make_invoke(_with_database(os.environ["KBO_TEST_PG"], name))("init")  # set up once with `kbo init`
    assert init.exit_code == 0, init.stderr
    try:
        yield name
    finally:
        pg_copies.forget(name)
        pg_copies.drop(name, wait=True)


@pytest.fixture(scope="session")
def postgresql_states(
    pg_copies: PgCopies, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[States]:
    def copy(template: str, _name: str) -> tuple[str, str]:
        name = pg_copies.create(template)
        return name, _with_database(os.environ["KBO_TEST_PG"], name)

    states = States(pg_template, copy, tmp_path_factory.mktemp("pg-states"))
    try:
        yield states
    finally:
        for name, _value in states.made.values():
            pg_copies.forget(name)
            pg_copies.drop(name, wait=True)


@contextmanager
def sql_runner(db_url: str) -> Iterator[Callable[[str], list[tuple[Any, ...]]]]:
    """Run a statement on a database (either engine), committed; returns its rows as tuples."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")

    def run(query: str) -> list[tuple[Any, ...]]:
        with engine.begin() as conn:
            result = conn.execute(text(query))
            return [tuple(row) for row in result] if result.returns_rows else []

    try:
        yield run
    finally:
        engine.dispose()


@pytest.fixture
def sql(db_url: str) -> Iterator[Callable[[str], list[tuple[Any, ...]]]]:
    """Run a statement on the test's database (either engine), committed; returns its rows as tuples."""
    with sql_runner(db_url) as run:
        yield run


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


@prepared()
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
