"""kbo product and kbo checklist: products with their checklists, end to end, with Thai names."""

from __future__ import annotations

from conftest import Invoke, certify, ok


def add_textile(kbo: Invoke) -> str:
    r = kbo(
        "product",
        "add",
        "ผ้าฝ้ายย้อมครามลายขิด",
        "--group",
        "DD01",
        "--category",
        "textile",
        "--description",
        "ผ้าฝ้ายทอมือย้อมครามธรรมชาติ",
        "-f",
        "json",
    )
    assert r.exit_code == 0, r.stderr
    return r.json()["code"]


def test_add_creates_the_checklist_for_the_category(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    code = add_textile(kbo)
    assert code == "P00001"
    data = kbo("checklist", "show", code, "-f", "json").json()
    assert data["product"] == {
        "code": "P00001",
        "name": "ผ้าฝ้ายย้อมครามลายขิด",
        "group_code": "DD01",
        "category": "textile",
    }
    assert [e["standard"] for e in data["entries"]] == ["tcps", "tis", "organic", "label"]
    assert {e["status"] for e in data["entries"]} == {"not_started"}
    required = {e["standard"]: e["required"] for e in data["entries"]}
    assert required == {"tcps": True, "tis": False, "organic": False, "label": True}
    assert set(data["entries"][0]) == {
        "standard",
        "standard_name",
        "required",
        "status",
        "certificate_no",
        "issued_on",
        "expires_on",
        "note",
    }


def test_product_found_by_thai_name_and_listed(kbo: Invoke, np_group: str) -> None:
    add_textile(kbo)
    shown = kbo("product", "show", "ผ้าฝ้ายย้อมครามลายขิด", "-f", "json").json()
    assert shown["code"] == "P00001" and shown["group_code"] == "DD01" and shown["applicable"] == 4
    listed = kbo("product", "list", "--group", "DD01", "-f", "json").json()
    assert [p["code"] for p in listed] == ["P00001"]
    assert kbo("product", "list", "--category", "food", "-f", "json").json() == []
    assert kbo("product", "list", "--district", "เรณูนคร", "-f", "json").json()[0]["district"] == "เรณูนคร"
    header = kbo("product", "list", "-f", "csv").stdout.splitlines()[0]
    assert header == "code,name,group_code,group_name,district,category,certified,applicable,percent"


def test_checklist_set_records_status_certificate_and_dates(kbo: Invoke, np_group: str) -> None:
    code = add_textile(kbo)
    r = certify(
        kbo, code, "tcps", "มผช. 8/2546", "--issued", "2567-03-15", "--note", "ผ่านการตรวจจาก สอจ.", "-f", "json"
    )
    tcps = next(e for e in r.json()["entries"] if e["standard"] == "tcps")
    assert tcps["status"] == "certified"
    assert tcps["certificate_no"] == "มผช. 8/2546"
    assert tcps["issued_on"] == "2024-03-15"
    assert tcps["expires_on"] == "2027-03-14"  # 36 months from the catalogue
    assert tcps["note"] == "ผ่านการตรวจจาก สอจ."
    # only the fields given change
    r = kbo("checklist", "set", code, "tcps", "--note", "ต่ออายุปี 2570", "-f", "json")
    tcps = next(e for e in r.json()["entries"] if e["standard"] == "tcps")
    assert tcps["status"] == "certified" and tcps["certificate_no"] == "มผช. 8/2546"
    assert tcps["note"] == "ต่ออายุปี 2570"


def test_checklist_csv_shape(kbo: Invoke, np_group: str) -> None:
    code = add_textile(kbo)
    lines = kbo("checklist", "show", code, "-f", "csv").stdout.splitlines()
    assert lines[0] == ("product_code,standard,standard_name,required,status,certificate_no,issued_on,expires_on,note")
    assert lines[1].startswith("P00001,tcps,Thai Community Product Standard,true,not_started,")
    assert len(lines) == 5


def test_changing_the_category_keeps_entries_that_still_apply(kbo: Invoke, np_group: str) -> None:
    code = add_textile(kbo)
    kbo("checklist", "set", code, "tcps", "--status", "submitted", "--note", "ยื่นแล้ว")
    kbo("checklist", "set", code, "tis", "--status", "in_progress")
    r = kbo("product", "edit", code, "--category", "herbal")
    assert r.exit_code == 0, r.stderr
    assert "Warning: the entry for tis (in progress) was removed" in r.stderr
    entries = {e["standard"]: e for e in kbo("checklist", "show", code, "-f", "json").json()["entries"]}
    assert list(entries) == ["fda", "gmp", "tcps", "gap", "organic", "halal", "label"]
    assert entries["tcps"]["status"] == "submitted" and entries["tcps"]["note"] == "ยื่นแล้ว"
    assert entries["fda"]["status"] == "not_started"


def test_edit_changes_only_the_fields_given(kbo: Invoke, np_group: str) -> None:
    code = add_textile(kbo)
    r = kbo("product", "edit", code, "--name", "ผ้าครามลายนาคน้อย", "-f", "json")
    assert r.exit_code == 0
    data = r.json()
    assert data["name"] == "ผ้าครามลายนาคน้อย" and data["category"] == "textile"
    assert data["description"] == "ผ้าฝ้ายทอมือย้อมครามธรรมชาติ"


def test_remove_product_removes_its_checklist(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    code = add_textile(kbo)
    assert kbo("product", "remove", code, "--yes").exit_code == 0
    assert sql("SELECT count(*) FROM product") == [(0,)]
    assert sql("SELECT count(*) FROM checklist_entry") == [(0,)]


def test_standard_that_does_not_apply_is_refused(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    code = add_textile(kbo)
    before = sql("SELECT * FROM checklist_entry ORDER BY id")
    r = kbo("checklist", "set", code, "fda", "--status", "certified")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: Thai FDA does not apply to Cloth and clothing products such as P00001")
    assert "Hint: standards for this category: TCPS, TIS, Organic Thailand, Labelling" in r.stderr
    assert sql("SELECT * FROM checklist_entry ORDER BY id") == before


def test_invalid_status_category_and_standard(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    code = add_textile(kbo)
    r = kbo("checklist", "set", code, "tcps", "--status", "done")
    assert r.exit_code == 2 and r.stderr.startswith("Error: unknown status 'done'")
    assert "not_started, in_progress, submitted, certified, failed, not_applicable" in r.stderr
    r = kbo("product", "add", "น้ำพริกปลาร้า", "--group", "DD01", "--category", "snack")
    assert r.exit_code == 2 and r.stderr.startswith("Error: unknown category 'snack'")
    assert "food, beverage, textile, craft, herbal" in r.stderr
    r = kbo("checklist", "set", code, "iso9001", "--status", "certified")
    assert r.exit_code == 2 and r.stderr.startswith("Error: unknown standard 'iso9001'")
    assert sql("SELECT count(*) FROM product") == [(1,)]


def test_unknown_and_ambiguous_product(kbo: Invoke, np_group: str) -> None:
    add_textile(kbo)
    kbo("group", "add", "กลุ่มทอผ้าบ้านนาทม", "--district", "นาทม", "--code", "NT01")
    kbo("product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "NT01", "--category", "textile")
    r = kbo("checklist", "show", "ผ้าฝ้ายย้อมครามลายขิด")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: 'ผ้าฝ้ายย้อมครามลายขิด' matches 2 records: P00001")
    r = kbo("product", "show", "ผ้าไหมลายขิด")
    assert r.exit_code == 1 and r.stderr.startswith("Error: no product 'ผ้าไหมลายขิด'")
    assert "Hint: did you mean:" in r.stderr and "ผ้าฝ้ายย้อมครามลายขิด" in r.stderr


def test_standards_list(kbo: Invoke) -> None:
    data = kbo("standards", "list", "-f", "json").json()
    assert [s["code"] for s in data] == ["fda", "gmp", "tcps", "tis", "gap", "organic", "halal", "label"]
    food = kbo("standards", "list", "--category", "food", "-f", "json").json()
    assert "tis" not in [s["code"] for s in food]
    assert next(s for s in food if s["code"] == "fda")["required_for"] == "food"
    table = kbo("standards", "list", lang_="th").stdout
    assert "มาตรฐานผลิตภัณฑ์ชุมชน" in table and "อย." in table


def test_edit_with_nothing_new_is_refused(kbo: Invoke, np_group: str) -> None:
    code = add_textile(kbo)
    r = kbo("product", "edit", code, "--category", "textile")
    assert r.exit_code == 2 and r.stderr.startswith("Error: nothing to change")
    r = kbo("group", "edit", "DD01", "--district", "เรณูนคร")
    assert r.exit_code == 2 and r.stderr.startswith("Error: nothing to change")


def test_an_issue_date_on_an_entry_not_certified_is_pointed_out(kbo: Invoke, np_group: str) -> None:
    """GMP given an issue date while it is not started: kept as typed, but said, since it counts as certified only
    once its status says so."""
    ok(kbo, "product", "add", "ผ้าครามมัดหมี่", "--group", "DD01", "--category", "textile", "--code", "P1")
    r = ok(kbo, "checklist", "set", "P1", "มผช.", "--issued", "1/3/2569")
    assert "Warning: it has an issue date but its status is not started" in r.stderr
    r = ok(kbo, "checklist", "set", "P1", "มผช.", "--status", "certified", "--cert", "มผช. 8/2546")
    assert "Warning" not in r.stderr
