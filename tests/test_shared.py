"""The shared database: upgrades, concurrent writers, status, check, backup, and faults."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from kbo_cli.storage.migrations import HEAD
from kbo_cli.thai.textnorm import place_key

from conftest import Invoke, make_invoke

REPO = Path(__file__).resolve().parent.parent


def engine_for(db_url: str):  # type: ignore[no-untyped-def]
    return create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")


def test_upgrade_from_the_first_migration_keeps_every_row(engine_name: str, db_url: str, sql, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kbo_cli.storage.db import upgrade_schema

    engine = engine_for(db_url)
    with engine.begin() as conn:  # the fixture set it up at HEAD (both engines): start again from 0001
        from kbo_cli.storage.models import SQLModel

        cascade = " CASCADE" if engine_name == "postgresql" else ""
        for table in [*(t.name for t in reversed(SQLModel.metadata.sorted_tables)), "alembic_version"]:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"{cascade}'))
    upgrade_schema(engine, "0001")
    with engine.begin() as conn:
        for g in range(1, 21):
            conn.execute(
                text(
                    "INSERT INTO producer_group (id, code, name, name_key, kind, district, created_at, updated_at) "
                    "VALUES (:id, :code, :name, :name, 'community', 'นาแก', '2024-01-01', '2024-01-01')"
                ),
                {"id": g, "code": f"G{g:04d}", "name": f"กลุ่มทอผ้าที่ {g}"},
            )
            for p in range(1, 6):
                pid = g * 10 + p
                conn.execute(
                    text(
                        "INSERT INTO product (id, code, name, name_key, group_id, category, created_at, updated_at) "
                        "VALUES (:id, :code, :name, :name, :g, 'textile', '2024-01-01', '2024-01-01')"
                    ),
                    {"id": pid, "code": f"P{pid:05d}", "name": f"ผ้าครามลายที่ {p}", "g": g},
                )
                for std in ("tcps", "tis", "organic", "label"):
                    conn.execute(
                        text(
                            "INSERT INTO checklist_entry (product_id, standard, status, updated_at) "
                            "VALUES (:p, :s, 'in_progress', '2024-01-01')"
                        ),
                        {"p": pid, "s": std},
                    )
    engine.dispose()
    kbo = make_invoke(db_url)
    if engine_name == "postgresql":  # a shared database is never upgraded behind the users' backs
        r = kbo("group", "list")
        assert r.exit_code == 1 and "needs an upgrade" in r.stderr and "kbo db upgrade" in r.stderr
        assert kbo("db", "upgrade").exit_code == 0
    rows = kbo("report", "progress", "-f", "json").json()
    assert len(rows) == 20 and all(r["applicable"] == 20 and r["in_progress"] == 20 for r in rows)
    assert sql("SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert sql("SELECT count(*) FROM checklist_entry") == [(400,)]
    keys = sql("SELECT district, name, code, sort_key FROM producer_group")  # given by 0008
    assert len(keys) == 20 and all(key == place_key(d, n, c) for d, n, c, key in keys)
    assert [r["group_code"] for r in rows] == [f"G{g:04d}" for g in (1, 10, *range(11, 20), 2, 20, *range(3, 10))]


def test_db_status_and_check(kbo: Invoke, np_group: str) -> None:
    status = {r["key"]: r["value"] for r in kbo("db", "status", "-f", "json").json()}
    assert status["schema"] == HEAD and status["up_to_date"] is True and status["producer_group"] == 1
    r = kbo("db", "check")
    assert r.exit_code == 0 and "sound" in r.stderr


@pytest.mark.sqlite_only
def test_db_check_finds_broken_references(kbo: Invoke, np_group: str, db_path: Path) -> None:
    import sqlite3

    kbo("product", "add", "ผ้าคราม", "--group", "DD01", "--category", "textile")
    with sqlite3.connect(db_path) as con:  # foreign keys are off in this raw connection
        con.execute("UPDATE product SET group_id = 999")
    r = kbo("db", "check", "-f", "json")
    assert r.exit_code == 1 and "problems" in r.stderr
    assert r.json()[0]["check"] == "foreign_key"


def test_backup_is_a_consistent_copy(kbo: Invoke, np_group: str, engine_name: str, tmp_path: Path) -> None:
    kbo("product", "add", "ผ้าคราม", "--group", "DD01", "--category", "textile")
    if engine_name == "sqlite":
        copy = tmp_path / "copy.db"
        assert kbo("db", "backup", str(copy)).exit_code == 0
        restored = make_invoke(str(copy))
    else:
        copy = tmp_path / "copy.json"
        assert kbo("db", "backup", str(copy)).exit_code == 0
        restored = make_invoke(str(tmp_path / "restored.db"))
        r = restored("import", str(copy))
        if r.exit_code != 0 and "No such command" in r.stderr:
            pytest.skip("kbo import comes with the spreadsheet work")
        assert r.exit_code == 0, r.stderr
    assert restored("product", "list", "-f", "json").json() == kbo("product", "list", "-f", "json").json()
    again = kbo("db", "backup", str(copy))
    assert again.exit_code == 1 and "already exists" in again.stderr and "--force" in again.stderr
    assert kbo("db", "backup", str(copy), "--force").exit_code == 0  # the option the hint names
    assert not list(tmp_path.glob(".*.part"))


def test_a_backup_to_a_json_file_is_a_dump_on_every_engine(kbo: Invoke, np_group: str, tmp_path: Path) -> None:
    kbo("product", "add", "ข้าวฮางงอก", "--group", "DD01", "--category", "food")
    copy = tmp_path / "สำรอง.json"
    assert kbo("db", "backup", str(copy)).exit_code == 0
    assert copy.read_text(encoding="utf-8").startswith('{"format": "kbo-dump"')
    restored = make_invoke(str(tmp_path / "restored.db"))
    assert restored("import", str(copy)).exit_code == 0
    assert restored("product", "list", "-f", "json").json() == kbo("product", "list", "-f", "json").json()


@pytest.mark.sqlite_only
def test_a_backup_where_nothing_can_be_written(kbo: Invoke, np_group: str) -> None:
    r = kbo("db", "backup", "/proc/kbo-backup.db")
    assert r.exit_code != 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("Error: cannot write /proc/kbo-backup.db: "), r.stderr


@pytest.mark.sqlite_only
def test_values_written_by_another_program_are_found_by_check_and_never_a_traceback(
    demo: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as con:  # what a spreadsheet tool or a hand edit leaves behind
        con.execute("UPDATE plan_action SET due_on = '31/12/2569' WHERE id = 1")
        con.execute("UPDATE checklist_entry SET issued_on = '2569-02-30' WHERE id = 1")
        con.execute("UPDATE opc_score SET part1 = 'ยี่สิบ' WHERE id = 1")
    r = demo("db", "check", "-f", "json")
    assert r.exit_code == 1
    found = {p["problem"] for p in r.json() if p["check"] == "values"}
    assert found == {
        "plan_action.due_on holds a value kbo cannot read, e.g. '31/12/2569' (rows: 1)",
        "checklist_entry.issued_on holds a value kbo cannot read, e.g. '2569-02-30' (rows: 1)",
        "opc_score.part1 holds a value kbo cannot read, e.g. 'ยี่สิบ' (rows: 1)",
    }, r.stdout
    monkeypatch.delenv("KBO_DEBUG")  # as users run kbo: one line and a hint, whatever fails
    for command, error in (
        (("plan", "list"), "Error: a value stored in the database cannot be read"),  # read as a date: named so
        (("checklist", "show", "NPM01-01"), "Error: a value stored in the database cannot be read"),
        (("opc", "list"), "Error: kbo stopped on an unexpected problem"),  # text summed with numbers, by kbo
    ):
        r = demo(*command)
        assert r.exit_code == 1 and "Traceback" not in r.stderr, r.stderr
        first, hint = r.stderr.splitlines()[:2]
        assert first.startswith(error) and "kbo db check" in hint, r.stderr


@pytest.mark.sqlite_only
def test_db_check_finds_rules_between_records_broken_by_another_program(demo: Invoke, db_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE producer_group SET subdistrict = 'ท่าจำปา' WHERE code = 'NPM05'")  # ท่าอุเทน's
        con.execute(
            "UPDATE judge_score SET member_id = (SELECT min(id) FROM committee_member WHERE year != judge_score.year)"
            " WHERE id = 1"
        )
    r = demo("db", "check", "-f", "json")
    assert r.exit_code == 1
    rules = sorted(p["problem"] for p in r.json() if p["check"] == "rules")
    assert len(rules) == 2, rules
    assert rules[0] == "judge_score.member_id: a score is by a member of another round, e.g. score 1 (scores: 1)"
    assert rules[1] == "producer_group.subdistrict: 'ท่าจำปา' is not a sub-district of ธาตุพนม (group NPM05)"


@pytest.mark.sqlite_only
def test_text_that_is_not_utf8_in_the_database(demo: Invoke, db_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE producer_group SET name = CAST(X'E0B8FF41' AS TEXT) WHERE id = 1")
    for command in (("report", "gaps"), ("report", "progress", "-f", "csv"), ("group", "list")):
        r = demo(*command)
        assert r.exit_code == 1 and "Traceback" not in r.stderr, (command, r.stderr)
        assert r.stderr.startswith("Error: the database") and "damaged" in r.stderr, r.stderr


@pytest.mark.sqlite_only
def test_a_damaged_page_read_by_the_reports(demo: Invoke, db_path: Path, tmp_path: Path) -> None:
    """The reports read some rows from the driver itself, past SQLAlchemy: its errors are translated too."""
    import sqlite3

    with sqlite3.connect(db_path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page,) = con.execute("SELECT max(pageno) FROM dbstat WHERE name = 'product'").fetchone()
        (size,) = con.execute("PRAGMA page_size").fetchone()
    data = bytearray(db_path.read_bytes())
    data[(page - 1) * size : page * size] = b"\xff" * size
    db_path.write_bytes(bytes(data))
    for command in (("report", "candidates"), ("report", "summary", "--out", str(tmp_path / "s.html"))):
        r = demo(*command)
        assert r.exit_code == 1 and "Traceback" not in r.stderr, (command, r.stderr)
        assert "damaged" in r.stderr.splitlines()[0], r.stderr
    # a backup copies the damaged pages as they are: written (something to salvage), and said so
    r = demo("db", "backup", str(tmp_path / "สำรอง.db"))
    assert r.exit_code == 0 and "Warning: the database is damaged, and so is its copy (" in r.stderr, r.stderr


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import typer
    from kbo_cli.cli import app
    url, worker, n, gate = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    kbo = typer.main.get_command(app)  # what app() builds on each call, built once
    (gate / worker).touch()
    deadline = time.monotonic() + 60
    while len(list(gate.iterdir())) < 4 and time.monotonic() < deadline:  # all four write at the same time
        time.sleep(0.01)
    for i in range(n):
        code = kbo.main(["--db", url, "--lang", "en", "checklist", "set", f"P{worker}", "label", "--note", f"{worker}-{i}"])
        assert code == 0, code
""")


@pytest.mark.slow
def test_concurrent_writers_all_succeed(kbo: Invoke, np_group: str, db_url: str, sql, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """4 processes x 60 `checklist set` at once on one database: every write lands, no 'locked' error."""
    writes = 60
    for w in range(4):
        assert (
            kbo(
                "product", "add", f"ผ้าครามผืนที่ {w}", "--group", "DD01", "--category", "textile", "--code", f"P{w}"
            ).exit_code
            == 0
        )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    gate = tmp_path / "started"
    gate.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, str(w), str(writes), str(gate)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err and "Error" not in err
    notes = sql(
        "SELECT p.code, e.note FROM checklist_entry e JOIN product p ON p.id = e.product_id "
        "WHERE e.standard = 'label' ORDER BY p.code"
    )
    assert notes == [(f"P{w}", f"{w}-{writes - 1}") for w in range(4)]
    sets = sql("SELECT count(*) FROM change_set WHERE command LIKE 'kbo checklist set%'")
    assert sets == [(4 * writes,)]


def test_an_unreachable_server_never_shows_the_password() -> None:
    kbo = make_invoke("postgresql+psycopg://kbo:s3cr3t-pw@127.0.0.1:1/kbo")
    r = kbo("group", "list")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot reach the database postgresql+psycopg://kbo:***@127.0.0.1:1/kbo")
    assert "s3cr3t" not in r.stderr + r.stdout and "Traceback" not in r.stderr


@pytest.mark.sqlite_only
def test_a_read_only_database(kbo: Invoke, np_group: str, db_path: Path) -> None:
    ro = make_invoke(f"sqlite:///file:{db_path}?mode=ro&uri=true")
    r = ro("group", "add", "กลุ่มใหม่", "--district", "นาแก")
    assert r.exit_code == 1 and r.stderr.startswith("Error: the database") and "read-only" in r.stderr
    assert len(kbo("group", "list", "-f", "json").json()) == 1


@pytest.mark.sqlite_only
def test_a_full_disk(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True, check=False
        ).returncode
        != 0
    ):
        pytest.skip("cannot mount a small file system here")
    try:
        kbo = make_invoke(str(mount / "kbo.db"))
        assert kbo("init", "--province", "48").exit_code == 0
        filler = mount / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        r = kbo("demo")
        assert r.exit_code == 1, r.stderr
        assert "full" in r.stderr and "Traceback" not in r.stderr
        filler.unlink()
        assert kbo("group", "list", "-f", "json").json() == []  # nothing half-written
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _wait_until_writing(db_url: str, sql, proc: subprocess.Popen) -> None:  # type: ignore[type-arg,no-untyped-def]
    """Return once the import has written rows inside its (uncommitted) transaction."""
    wal = Path(db_url + "-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if "://" not in db_url:
            if wal.exists() and wal.stat().st_size > 2_000_000:
                return
        elif sql(  # this test's database only: other tests (pytest-xdist workers) share the server
            "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname = current_database() "
            "AND application_name <> 'pytest' AND pid <> pg_backend_pid()"
        )[0][0]:
            time.sleep(0.3)  # well inside the transaction
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_a_killed_import_leaves_the_database_as_it_was(
    kbo: Invoke,
    np_group: str,
    db_url: str,
    sql,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """SIGKILL in the middle of a large import: integrity holds and no row of the import is there."""
    import csv
    import signal

    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["group_code", "group_name", "district", "product_code", "product_name", "category", "standard", "status"]
        )
        for i in range(60_000):
            out.writerow(
                [
                    f"K{i // 10:05d}",
                    f"กลุ่มที่ {i // 10}",
                    "นาแก",
                    f"K{i:06d}",
                    f"ผ้าครามผืนที่ {i}",
                    "textile",
                    "tcps",
                    "in_progress",
                ]
            )
    before = {t: sql(f"SELECT count(*) FROM {t}") for t in ("producer_group", "product", "checklist_entry", "change")}
    env = {**os.environ, "PYTHONPATH": str(REPO), "KBO_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kbo_cli", "--db", db_url, "import", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _wait_until_writing(db_url, sql, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    after = {t: sql(f"SELECT count(*) FROM {t}") for t in before}
    assert after == before
    r = kbo("db", "check")
    assert r.exit_code == 0, r.stderr
    assert kbo("group", "add", "กลุ่มหลังการทดสอบ", "--district", "นาแก").exit_code == 0  # still writable


def test_postgresql_sessions_plan_for_all_rows_and_keep_pgoptions(
    engine_name: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kbo streams whole results through cursors: its sessions plan them for all rows; what the site sets
    through PGOPTIONS (a schema, a name: PostgreSQL keeps names ASCII) still holds."""
    if engine_name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    from kbo_cli.config import resolve_database
    from kbo_cli.storage.db import make_engine

    monkeypatch.setenv("PGOPTIONS", "-c application_name=kbo-test")
    engine = make_engine(resolve_database(db_url), write=False)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW cursor_tuple_fraction")).scalar() == "1"
            assert conn.execute(text("SHOW application_name")).scalar() == "kbo-test"
    finally:
        engine.dispose()


def test_every_migration_can_be_taken_back(db_url: str) -> None:
    """Each migration's downgrade works, from the newest schema down to none, and the upgrade back gives the
    same tables (both engines; 0004's named CHECK constraints are dropped by their full names)."""
    from alembic import command
    from alembic.config import Config

    from kbo_cli.storage.db import MIGRATIONS_DIR, driver_connection, upgrade_schema
    from kbo_cli.storage.models import SQLModel

    engine = engine_for(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # as upgrade_schema does: SQLite copies a table to change it
            driver_connection(conn).execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    upgrade_schema(engine)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {*SQLModel.metadata.tables, "alembic_version"}
    engine.dispose()


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "command", ["group add กลุ่มทอผ้าบ้านนาคู่ --district นาแก", "report gaps -f csv", "group list -f json"]
)
def test_a_closed_standard_output_is_said_before_anything_is_done(tmp_path: Path, command: str) -> None:
    """`kbo … >&-`: a change was saved and then reported as failed, and the machine formats stopped on the
    unexpected-problem line. Now one error, and nothing written."""
    db = tmp_path / "kbo.db"
    kbo = make_invoke(str(db))
    assert kbo("init", "--province", "48").exit_code == 0
    run = subprocess.run(
        f"{sys.executable} -m kbo_cli --db {db} --lang en {command} >&-",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.startswith("Error: there is nowhere to write the output: standard output is closed\nHint: ")
    assert kbo("group", "list", "-f", "json").json() == []


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("meeting edit 2 --remove-group NPM03", "Error: NPM03 is not recorded as attending meeting #2"),
        ("meeting edit 2 --remove-group NPM01 -g NPM01", "Error: NPM01 is both added and removed"),
        ("group add กลุ่มโทรผิด --district นาแก --phone abc", "Error: 'abc' is not a phone number: it has no digits"),
        ("export a.json --template t.xlsx", "Error: give either a file to export to or --template, not both"),
    ],
)
def test_input_that_contradicts_itself_or_the_records_is_refused(demo: Invoke, command: str, error: str) -> None:
    """A removal of who was not there, one name added and removed at once, a phone number with no digit, two
    targets for one export: each was taken (or half done) without a word."""
    before = demo("history", "-f", "json").json()
    r = demo(*shlex.split(command))
    assert r.exit_code != 0 and r.stderr.startswith(error), r.stderr
    assert demo("history", "-f", "json").json() == before


def test_a_json_file_in_utf16_is_named_so(tmp_path: Path) -> None:
    dump = tmp_path / "สำรอง.json"
    dump.write_bytes('{"format": "kbo-dump"}'.encode("utf-16"))
    r = make_invoke(str(tmp_path / "kbo.db"))("import", str(dump))
    assert r.exit_code == 2 and "it is UTF-16 text; kbo reads UTF-8" in r.stderr and "\\x" not in r.stderr
