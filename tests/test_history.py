"""History of changes and undo, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import String, cast, func, null, select

from kbo_cli.config import resolve_database
from kbo_cli.render.html import unhinted
from kbo_cli.storage.db import make_engine, session_scope
from kbo_cli.storage.history import record_inserts, track
from kbo_cli.storage.models import Change, ProducerGroup, table_of

from conftest import Invoke, certify, make_invoke, ok, prepared


@prepared(parent="np_group")
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


def test_a_generated_code_is_recorded_as_the_record_was_added(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    """kbo gives a record without a code its code after the first flush (from its id): history shows one insert
    with that code, not a temporary code and its change."""
    ok(kbo, "group", "add", "วิสาหกิจชุมชนข้าวฮางงอกบ้านนาคู่", "--district", "นาแก")
    ok(kbo, "product", "add", "ข้าวฮางงอกหอมมะลิ", "--group", "วิสาหกิจชุมชนข้าวฮางงอกบ้านนาคู่", "--category", "food")
    [(group,)] = sql("SELECT code FROM producer_group WHERE code <> 'DD01'")
    [(product,)] = sql("SELECT code FROM product")
    rows = ok(kbo, "history", "-f", "json").json()
    mine = [r for r in rows if r["table"] in ("producer_group", "product")]
    assert [(r["table"], r["action"], r["new"]) for r in mine[:2]] == [
        ("product", "insert", product),
        ("producer_group", "insert", group),
    ]
    assert not any("~" in str(r["old"]) + str(r["new"]) for r in rows)
    ok(kbo, "undo")
    ok(kbo, "undo")
    assert sql("SELECT code FROM producer_group") == [("DD01",)]


def test_undo_reverts_the_last_command_and_is_recorded(product: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    kbo = product
    ok(kbo, "checklist", "set", "P1", "tcps", "--status", "submitted", "--note", "ยื่นที่ สอจ. แล้ว")
    certify(kbo, "P1", "tcps", "มผช. 8/2546")
    r = ok(kbo, "undo")
    assert "Undid “kbo checklist set P1 tcps --status certified" in r.stderr
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
    assert r.stderr.startswith("Error: cannot undo “kbo checklist set P1 label --status in_progress”: somchai changed")
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
    assert table.count("+ group ") == 20  # the records by their names, not their tables
    rows = ok(kbo, "history", "--limit", "1", "-f", "json").json()
    assert len(rows) == 30 and {r["action"] for r in rows} == {"insert"}
    assert ok(kbo, "history", "--limit", "1", "-f", "csv").stdout.count("\n") == 31


def test_the_history_an_import_has_the_database_write_is_what_json_dumps_writes(  # type: ignore[no-untyped-def]
    kbo: Invoke, np_group: str, tmp_path: Path, sql, db_url: str
) -> None:
    """An import's history is written by the database (INSERT ... SELECT): the same JSON text as json.dumps,
    quotes and backslashes escaped, NULL fields left out, on both engines; and undo still takes it back."""
    sheet = tmp_path / "flat.csv"
    sheet.write_text(
        "group_code,group_name,district,product_code,product_name,category,standard,status\n"
        'QG1,"กลุ่ม ""ดาวทอง"" \\ บ้านนา",นาแก,QP1,"ผ้า ""คราม"" \\\\ ลายนาค",textile,tcps,submitted\n'
        'QG1,"กลุ่ม ""ดาวทอง"" \\ บ้านนา",นาแก,QP2,น้ำพริก\\เผา,food,fda,in_progress\n',
        encoding="utf-8",
    )
    ok(kbo, "import", str(sheet))
    ((set_id,),) = sql("SELECT max(id) FROM change_set")
    written = dict(sql(f"SELECT table_name || ' ' || row_id, new FROM change WHERE change_set_id = {set_id}"))
    expected = {}
    for id_, code, name, district in sql("SELECT id, code, name, district FROM producer_group WHERE code = 'QG1'"):
        expected[f"producer_group {id_}"] = {"code": code, "name": name, "district": district}
        assert '"' in name and "\\" in name
    for id_, code, name, category, group_id in sql("SELECT id, code, name, category, group_id FROM product"):
        expected[f"product {id_}"] = {"code": code, "name": name, "category": category, "group_id": group_id}
    for id_, product_id, standard, status in sql("SELECT id, product_id, standard, status FROM checklist_entry"):
        expected[f"checklist_entry {id_}"] = {"product_id": product_id, "standard": standard, "status": status}
    assert written == {k: json.dumps(v, ensure_ascii=False) for k, v in expected.items()}
    assert '"status": "submitted"' in "".join(written.values())  # entries as the whole file left them
    ok(kbo, "undo")
    assert sql("SELECT count(*) FROM product") == [(0,)] and sql("SELECT count(*) FROM checklist_entry") == [(0,)]
    assert sql("SELECT code FROM producer_group") == [("DD01",)]

    # a NULL field is left out, as json.dumps of the row without it
    engine = make_engine(resolve_database(db_url), write=True)
    with session_scope(engine, write=False) as session:
        track(session, user="tester", command="test")
        group = table_of(ProducerGroup)
        query = select(group.c.id, group.c.code, group.c.name, cast(null(), String).label("district"))
        record_inserts(session, "producer_group", query)
        record_inserts(session, "producer_group", [dict(row._mapping) for row in session.execute(query)])
        change = table_of(Change)
        newest = select(func.max(change.c.change_set_id)).scalar_subquery()
        by_sql, by_python = session.execute(
            select(change.c.new).where(change.c.change_set_id == newest).order_by(change.c.id)
        ).scalars()
        assert (
            by_sql == by_python == json.dumps({"code": "DD01", "name": "กลุ่มทอผ้าย้อมครามบ้านดอนแดง"}, ensure_ascii=False)
        )
        session.rollback()
    engine.dispose()


def test_a_table_of_history_speaks_the_users_words(product: Invoke) -> None:
    """Records by name (a checklist entry, not checklist_entry), days in Buddhist Era and statuses by their labels
    in Thai; the machine formats keep the stored names and values."""
    kbo = product
    certify(kbo, "P1", "tcps", "มผช. 8/2546", "--issued", "2568-01-10")
    table = " ".join(ok(kbo, "history", "P1", "-n", "1", "-f", "html", lang_="th").stdout.split())
    assert "~ รายการตรวจ" in unhinted(table) and "status: ยังไม่เริ่ม → ได้รับการรับรองแล้ว" in unhinted(table)
    assert "issued_on: – → 10 ม.ค. 2568" in unhinted(table) and "2025-01-10" not in table
    rows = ok(kbo, "history", "P1", "-f", "json").json()
    assert {(r["table"], r["field"], r["new"]) for r in rows} >= {("checklist_entry", "issued_on", "2025-01-10")}
