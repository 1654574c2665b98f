"""History of changes and undo, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke, certify, make_invoke, ok


@pytest.fixture
def product(kbo: Invoke, np_group: str) -> Invoke:
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "P1")
    return kbo


def test_every_change_is_recorded_with_old_and_new_values(product: Invoke) -> None:
    kbo = product
    certify(kbo, "P1", "tcps", "มผช. 8/2546", "--issued", "2568-01-10")
    rows = ok(kbo, "history", "P1", "-f", "json").json()
    latest = [r for r in rows if r["change_set"] == rows[0]["change_set"]]
    assert {(r["field"], r["old"], r["new"]) for r in latest} == {
        ("status", "not_started", "certified"),
        ("certificate_no", None, "มผช. 8/2546"),
        ("issued_on", None, "2025-01-10"),
        ("expires_on", None, "2028-01-09"),
    }
    assert latest[0]["user"] == "tester"
    assert (
        latest[0]["command"] == "kbo checklist set P1 tcps --status certified --cert 'มผช. 8/2546' --issued 2568-01-10"
    )
    assert set(rows[0]) == {
        "change_set",
        "at",
        "user",
        "command",
        "undone_by",
        "table",
        "record",
        "action",
        "field",
        "old",
        "new",
    }
    added = [r for r in rows if r["action"] == "insert" and r["table"] == "product"]
    assert added and added[0]["new"] == "P1"
    # the group's history includes its products' changes
    assert {r["change_set"] for r in rows} <= {r["change_set"] for r in ok(kbo, "history", "DD01", "-f", "json").json()}
    assert ok(kbo, "history", "--since", "2100-01-01", "-f", "json").json() == []


def test_undo_reverts_the_last_command_and_is_recorded(product: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = product
    ok(kbo, "checklist", "set", "P1", "tcps", "--status", "submitted", "--note", "ยื่นที่ สอจ. แล้ว")
    certify(kbo, "P1", "tcps", "มผช. 8/2546")
    r = ok(kbo, "undo")
    assert "Undid 'kbo checklist set P1 tcps --status certified" in r.stderr
    assert sql("SELECT status, certificate_no, note FROM checklist_entry WHERE standard = 'tcps'") == [
        ("submitted", None, "ยื่นที่ สอจ. แล้ว")
    ]
    ok(kbo, "undo")  # and the one before
    assert sql("SELECT status, note FROM checklist_entry WHERE standard = 'tcps'") == [("not_started", None)]
    undos = [r for r in ok(kbo, "history", "-f", "json").json() if r["command"] == "kbo undo"]
    assert len({r["change_set"] for r in undos}) == 2


def test_undo_of_a_removal_brings_everything_back(product: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = product
    certify(kbo, "P1", "tcps", "มผช. 8/2546")
    ok(kbo, "finding", "add", "P1", "ลวดลายโดดเด่น", "--kind", "strength")
    ok(kbo, "plan", "add", "P1", "ทำฉลากใหม่", "--agency", "university")
    ok(kbo, "visit", "add", "--product", "P1", "--by", "พช.")
    tables = ["producer_group", "product", "checklist_entry", "finding", "plan_action", "visit", "visit_product"]
    before = {t: sql(f"SELECT * FROM {t} ORDER BY 1") for t in tables}
    ok(kbo, "group", "remove", "DD01", "--cascade", "--yes")
    assert sql("SELECT count(*) FROM product") == [(0,)]
    r = ok(kbo, "undo")
    assert "records restored" in r.stderr
    assert {t: sql(f"SELECT * FROM {t} ORDER BY 1") for t in tables} == before


def test_undo_refuses_when_someone_else_changed_the_same_records(product: Invoke, db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kbo = product
    ok(kbo, "checklist", "set", "P1", "label", "--status", "in_progress")
    monkeypatch.setenv("KBO_USER", "somchai")
    ok(make_invoke(db_url), "checklist", "set", "P1", "label", "--note", "ส่งแบบฉลากให้ ม.นครพนม")
    monkeypatch.setenv("KBO_USER", "tester")
    r = kbo("undo")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot undo 'kbo checklist set P1 label --status in_progress': somchai changed")
    assert "Hint: ask somchai first" in r.stderr


def test_nothing_to_undo(kbo: Invoke) -> None:
    r = kbo("undo")
    assert r.exit_code == 1 and r.stderr.startswith("Error: nothing to undo")


def test_undo_takes_back_a_whole_import(kbo: Invoke, np_group: str, tmp_path, sql) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "products.csv"
    path.write_text(
        "code,name,group_code,category\nQ1,ผ้าครามลายนาค,DD01,textile\nQ2,น้ำพริกเผา,DD01,food\n", encoding="utf-8"
    )
    ok(kbo, "import", str(path))
    ok(kbo, "checklist", "set", "Q1", "tcps", "--status", "submitted")
    ok(kbo, "undo")  # the checklist change
    assert sql("SELECT count(*) FROM product") == [(2,)] and sql("SELECT count(*) FROM checklist_entry") == [(11,)]
    r = ok(kbo, "undo")  # the import, as one unit
    assert "kbo import" in r.stderr
    assert sql("SELECT count(*) FROM product") == [(0,)] and sql("SELECT count(*) FROM checklist_entry") == [(0,)]
    assert sql("SELECT count(*) FROM producer_group") == [(1,)]


def test_a_table_shows_a_big_command_in_short_and_the_machine_formats_in_full(
    kbo: Invoke, np_group: str, tmp_path: Path
) -> None:
    sheet = tmp_path / "groups.csv"
    names = [f"กลุ่มทอผ้าบ้านหนองบัว หมู่ {n}" for n in range(1, 31)]
    sheet.write_text("name,district\n" + "".join(f"{name},นาแก\n" for name in names), encoding="utf-8")
    ok(kbo, "import", str(sheet))
    table = ok(kbo, "history", "--limit", "1", "--wide").stdout
    assert "… and 10 more records changed" in table  # 30 groups added: 20 shown, then how many more
    assert table.count("+ producer_group") == 20
    rows = ok(kbo, "history", "--limit", "1", "-f", "json").json()
    assert len(rows) == 30 and {r["action"] for r in rows} == {"insert"}
    assert ok(kbo, "history", "--limit", "1", "-f", "csv").stdout.count("\n") == 31
