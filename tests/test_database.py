"""Opening databases: defaults, migrations from an empty file, and every bad path as one clean error."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kbo_cli.storage.migrations import HEAD

from conftest import Invoke, make_invoke


@pytest.mark.sqlite_only
def test_migrations_create_the_schema_from_an_empty_file(tmp_path: Path) -> None:
    db_path = tmp_path / "new.db"
    db_path.touch()
    kbo = make_invoke(str(db_path))
    r = kbo("init")
    assert r.exit_code == 0, r.stderr
    assert "Database ready" in r.stderr
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert kbo("init").exit_code == 0  # idempotent


@pytest.mark.sqlite_only
def test_sqlite_connections_are_set_up_for_kbo(tmp_path: Path) -> None:
    """Foreign keys enforced, a long busy timeout, and a sorter that may use every core (the country's gap report
    sorts half a million rows), on every connection kbo opens."""
    from kbo_cli.config import resolve_database
    from kbo_cli.storage.db import SQLITE_BUSY_TIMEOUT_MS, SQLITE_SORT_THREADS, make_engine

    db_path = tmp_path / "set-up.db"
    assert make_invoke(str(db_path))("init").exit_code == 0
    engine = make_engine(resolve_database(str(db_path)), write=False)
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("foreign_keys", "busy_timeout", "threads")
            }
    finally:
        engine.dispose()
    with sqlite3.connect(":memory:") as plain:  # SQLite caps the setting at its build's limit (0: no threads)
        build_limit = plain.execute("PRAGMA threads = 100").fetchone()[0]
    assert pragma == {
        "foreign_keys": 1,
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
        "threads": min(SQLITE_SORT_THREADS, build_limit),
    }
    assert 1 <= SQLITE_SORT_THREADS <= 8


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    db_path = tmp_path / "fresh.db"
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from kbo_cli.storage.db import MIGRATIONS_DIR, upgrade_schema
    from kbo_cli.storage.migrations import HEAD
    from kbo_cli.storage.models import SQLModel

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD
    engine = create_engine(f"sqlite:///{db_path}")
    upgrade_schema(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_default_database_lives_in_the_user_data_folder() -> None:
    from typer.testing import CliRunner

    from kbo_cli.cli import app

    r = CliRunner().invoke(app, ["--lang", "en", "init"])
    assert r.exit_code == 0, r.stderr
    assert (Path(os.environ["HOME"]) / ".local" / "share" / "kbo" / "kbo.db").is_file()


def test_kbo_db_environment_variable(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from kbo_cli.cli import app

    monkeypatch.setenv("KBO_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    assert (tmp_path / "env.db").is_file()


def assert_clean_error(r, first_line: str, code: int = 1) -> None:  # type: ignore[no-untyped-def]
    assert r.exit_code == code
    lines = r.stderr.splitlines()
    assert lines[0].startswith(first_line), r.stderr
    assert lines[1].startswith("Hint: ")
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    assert_clean_error(make_invoke(str(tmp_path))("report", "gaps"), f"Error: {tmp_path} is a folder")


def test_a_command_that_only_reads_does_not_create_a_database(tmp_path: Path) -> None:
    """A mistyped --db answered from a new, empty database ("No gaps") and left it behind."""
    typo = tmp_path / "ฐานข้อมูลพิมพ์ผิด.db"
    for command in (("report", "gaps"), ("group", "list"), ("report", "progress", "-f", "csv"), ("db", "status")):
        assert_clean_error(make_invoke(str(typo))(*command), f"Error: there is no database at {typo}")
    assert not typo.exists()
    # a command that writes and fails leaves nothing behind either (it left a new, empty database)
    r = make_invoke(str(typo))("group", "add", "", "--district", "นาแก")
    assert r.exit_code != 0 and not typo.exists()
    typo.touch()  # an empty file: no database yet, for a command that only reads
    assert_clean_error(make_invoke(str(typo))("report", "gaps"), f"Error: there is no database at {typo}")
    assert typo.stat().st_size == 0
    r = make_invoke(str(typo))("group", "add", "", "--district", "นาแก")  # and a failed write leaves it empty
    assert r.exit_code != 0 and typo.stat().st_size == 0
    assert make_invoke(str(typo))("demo").exit_code == 0  # a command that writes creates it, as before


def test_a_missing_folder(tmp_path: Path) -> None:
    r = make_invoke(str(tmp_path / "nope" / "x.db"))("report", "gaps")
    assert_clean_error(r, f"Error: the folder {tmp_path / 'nope'} does not exist")


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("ข้อมูลกลุ่มผู้ผลิต\n", encoding="utf-8")
    r = make_invoke(str(path))("group", "add", "กลุ่มใหม่", "--district", "นาแก")
    assert_clean_error(r, f"Error: {path} is not a kbo database")
    assert path.read_text(encoding="utf-8") == "ข้อมูลกลุ่มผู้ผลิต\n"


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    r = make_invoke(str(path))("group", "list")
    assert_clean_error(r, f"Error: {path} is not a kbo database")
    with sqlite3.connect(path) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["customers"]


@pytest.mark.sqlite_only
def test_a_corrupt_database(kbo: Invoke, np_group: str, db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    for offset in range(100, len(data), 7):
        data[offset] = 0xA5
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    assert_clean_error(kbo("group", "list"), "Error: the database")


@pytest.mark.sqlite_only
def test_a_newer_schema_is_refused(kbo: Invoke, np_group: str, db_path: Path) -> None:
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    assert_clean_error(kbo("group", "list"), "Error: the database")
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)


def test_kbo_options_given_twice_are_refused(kbo: Invoke, np_group: str) -> None:
    # the `kbo` fixture runs `kbo --db DB --lang en ...`: here --lang comes a second time, before the command
    # (the message is in the language asked for last)
    r = kbo("--lang", "th", "group", "list")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [
        "ข้อผิดพลาด: ใส่ --lang มากกว่าหนึ่งครั้ง",
        "คำแนะนำ: ใส่เพียงครั้งเดียว: ตัวเลือกนี้รับค่าเดียว",
    ]
    r = kbo("report", "gaps", "--district", "ธาตุพนม", "-d", "นาแก", "-f", "csv")
    assert_clean_error(r, "Error: --district/-d was given more than once", 2)
    assert kbo("report", "gaps", "-d", "ธาตุพนม", "-f", "csv").exit_code == 0  # once is fine
    help_ = kbo("report", "gaps", "-d", "ธาตุพนม", "-d", "นาแก", "--help")  # --help is answered first, as Click does
    assert help_.exit_code == 0 and help_.stdout.startswith("Usage: kbo report gaps")


def test_python_dash_m_and_help_do_not_load_the_database_layer() -> None:
    # nor the writers of the output nor the vocabularies (their data files): `kbo --help` loads every group
    heavy = ("sqlalchemy", "pydantic", "rich", "kbo_cli.render.output", "kbo_cli.render.machine", "kbo_cli.vocab")
    code = (
        "import sys, atexit\n"
        f"atexit.register(lambda: print([m for m in {heavy!r} if m in sys.modules] or 'LIGHT'))\n"
        "sys.argv = ['kbo', '--help']\n"
        "import runpy; runpy.run_module('kbo_cli', run_name='__main__')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "kbo demo" in out.stdout
    assert out.stdout.strip().endswith("LIGHT")


def test_every_command_has_a_summary_and_an_example() -> None:
    import typer

    from kbo_cli.cli import app

    root = typer.main.get_command(app)

    def walk(cmd, path: str) -> list:  # type: ignore[no-untyped-def,type-arg]
        if hasattr(cmd, "list_commands"):  # groups are built when asked for (see kbo_cli.cli.GROUPS)
            ctx = typer.Context(cmd)
            return [
                pair for name in cmd.list_commands(ctx) for pair in walk(cmd.get_command(ctx, name), f"{path} {name}")
            ]
        return [(path, cmd)]

    commands = walk(root, "kbo")
    assert len(commands) >= 15
    for path, cmd in commands:
        assert cmd.help and cmd.help.strip(), path
        assert "Example:" in cmd.help, f"{path} has no Example: line"


@pytest.mark.sqlite_only
def test_a_report_whose_reader_goes_away_ends_quietly(demo_sqlite: Path, tmp_path: Path) -> None:
    """`kbo report gaps -f json | head -2`: the reader closes the pipe early; kbo stops without a traceback or
    a message about cursors it could not close (the rows stream straight from SQLite's driver)."""
    db = tmp_path / "demo.db"
    db.write_bytes(demo_sqlite.read_bytes())
    env = {**os.environ, "KBO_DB": str(db)}
    for fmt in ("json", "csv"):
        code = "from kbo_cli.cli import main; main()"
        cmd = [sys.executable, "-c", code, "report", "gaps", "-f", fmt]
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.readline()
            proc.stdout.close()
            err = proc.stderr.read().decode()
        assert (
            proc.returncode in (0, 1) and "Traceback" not in err and "cursor" not in err and "Exception" not in err
        ), err


def test_a_failed_command_keeps_a_new_database_another_command_wrote_to(tmp_path: Path) -> None:
    """Another kbo may write to the new file while this one fails (`kbo demo` beside a failing import on the same
    new path): its work is kept; only a file no one wrote to goes."""
    from kbo_cli.storage.db import remove_if_unused

    used = tmp_path / "ใช้แล้ว.db"
    assert make_invoke(str(used))("init", "--province", "48").exit_code == 0
    assert make_invoke(str(used))("group", "add", "กลุ่มทอผ้าบ้านนาคู่", "--district", "นาแก").exit_code == 0
    remove_if_unused(used)
    assert make_invoke(str(used))("group", "list", "-f", "json").json()[0]["name"] == "กลุ่มทอผ้าบ้านนาคู่"
    unused = tmp_path / "ว่าง.db"
    assert make_invoke(str(unused))("db", "upgrade").exit_code == 0  # the schema, and no row
    remove_if_unused(unused)
    assert not unused.exists()
