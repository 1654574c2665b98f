"""kbo group: add, list, show, edit, remove, with Thai names, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke, ok


def count(sql, table: str) -> int:  # type: ignore[no-untyped-def]
    return int(sql(f"SELECT count(*) FROM {table}")[0][0])


def test_add_generates_a_short_code_and_shows_the_group(kbo: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    r = kbo(
        "group",
        "add",
        "วิสาหกิจชุมชนแปรรูปปลาส้มบ้านท่าเรือ",
        "--district",
        "ท่าอุเทน",
        "--subdistrict",
        "ท่าจำปา",
        "--village",
        "บ้านท่าเรือ หมู่ 4",
        "--contact",
        "นางบุญมี ใจดี",
        "--phone",
        "080-000-0101",
        "--kind",
        "enterprise",
        "-f",
        "json",
    )
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert data["code"] == "G0001"
    assert data["name"] == "วิสาหกิจชุมชนแปรรูปปลาส้มบ้านท่าเรือ"
    assert data["district"] == "ท่าอุเทน"
    assert data["kind"] == "enterprise"
    assert data["products"] == 0
    assert "Added group G0001" in r.stderr
    assert count(sql, "producer_group") == 1


def test_group_is_found_by_code_or_exact_thai_name(kbo: Invoke, np_group: str) -> None:
    by_code = kbo("group", "show", "dd01", "-f", "json")
    by_name = kbo("group", "show", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง", "-f", "json")
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.json() == by_name.json()
    assert by_code.json()["code"] == "DD01"


def test_list_in_all_formats(kbo: Invoke, np_group: str) -> None:
    kbo("group", "add", "กลุ่มจักสานไม้ไผ่บ้านโพนทอง", "--district", "นาแก", "--code", "PT01")
    table = kbo("group", "list")
    assert table.exit_code == 0
    assert "กลุ่มจักสานไม้ไผ่บ้านโพนทอง" in table.stdout and "DD01" in table.stdout
    rows = kbo("group", "list", "-f", "json").json()
    assert [r["code"] for r in rows] == ["PT01", "DD01"]  # นาแก before เรณูนคร in Thai order
    assert set(rows[0]) == {
        "code",
        "name",
        "kind",
        "district",
        "subdistrict",
        "village",
        "contact",
        "phone",
        "products",
    }
    csv_lines = kbo("group", "list", "-f", "csv").stdout.splitlines()
    assert csv_lines[0] == "code,name,kind,district,subdistrict,village,contact,phone,products"
    assert csv_lines[1].startswith("PT01,กลุ่มจักสานไม้ไผ่บ้านโพนทอง,community,นาแก")
    only = kbo("group", "list", "--district", "เรณูนคร", "-f", "json").json()
    assert [r["code"] for r in only] == ["DD01"]


def test_edit_changes_only_the_fields_given(kbo: Invoke, np_group: str) -> None:
    before = kbo("group", "show", "DD01", "-f", "json").json()
    r = kbo("group", "edit", "DD01", "--phone", "080-000-0202", "--contact", "นางสาวมาลี ศรีสุข", "-f", "json")
    assert r.exit_code == 0, r.stderr
    after = r.json()
    assert after["phone"] == "080-000-0202" and after["contact"] == "นางสาวมาลี ศรีสุข"
    assert {k: v for k, v in after.items() if k not in ("phone", "contact")} == {
        k: v for k, v in before.items() if k not in ("phone", "contact")
    }


def test_remove_refuses_a_group_with_products_unless_cascade(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    assert kbo("product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile").exit_code == 0
    r = kbo("group", "remove", "DD01", "--yes")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: the group DD01 still has 1 products")
    assert "--cascade" in r.stderr
    assert count(sql, "product") == 1
    r = kbo("group", "remove", "DD01", "--cascade", "--yes")
    assert r.exit_code == 0, r.stderr
    assert count(sql, "producer_group") == count(sql, "product") == count(sql, "checklist_entry") == 0


def test_remove_asks_for_confirmation(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    r = kbo("group", "remove", "DD01", input="n\n")
    assert r.exit_code == 1
    assert "nothing was changed" in r.stderr
    assert r.stdout == ""  # the question is asked on stderr: stdout holds data only
    assert count(sql, "producer_group") == 1
    r = kbo("group", "remove", "DD01", input="")  # no answer at all (not a terminal)
    assert r.exit_code == 1 and r.stdout == "" and "\nError: nothing was changed" in r.stderr
    r = kbo("group", "remove", "DD01", input="ไม่\n")
    assert r.exit_code == 1 and count(sql, "producer_group") == 1
    r = kbo("group", "remove", "DD01", input="ใช่\n")  # yes in Thai: also "ย", or "ั", the y key on a Thai keyboard
    assert r.exit_code == 0
    assert count(sql, "producer_group") == 0


def test_duplicate_code_is_refused_and_nothing_written(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    r = kbo("group", "add", "กลุ่มอื่น", "--district", "นาแก", "--code", "dd01")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == "Error: the code DD01 is already used by กลุ่มทอผ้าย้อมครามบ้านดอนแดง"
    assert r.stderr.splitlines()[1].startswith("Hint: ")
    assert count(sql, "producer_group") == 1


def test_an_edit_to_a_code_in_use_is_refused_in_kbos_words(kbo: Invoke, np_group: str) -> None:
    """Not the database's own words (UNIQUE constraint failed: producer_group.code), for groups and products."""
    ok(kbo, "group", "add", "กลุ่มจักสานบ้านนาคำ", "--district", "นาแก", "--code", "NK01")
    ok(kbo, "product", "add", "ผ้าครามมัดหมี่", "--group", "DD01", "--category", "textile", "--code", "DD01-01")
    ok(kbo, "product", "add", "กระติบข้าว", "--group", "NK01", "--category", "craft", "--code", "NK01-01")
    for command, taken, name in (
        (("group", "edit", "NK01", "--code", "dd01"), "DD01", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง"),
        (("product", "edit", "NK01-01", "--code", "DD01-01"), "DD01-01", "ผ้าครามมัดหมี่"),
    ):
        r = kbo(*command)
        assert r.exit_code == 1 and "UNIQUE" not in r.stderr, r.stderr
        assert r.stderr.splitlines()[0] == f"Error: the code {taken} is already used by {name}"
    assert [g["code"] for g in ok(kbo, "group", "list", "-f", "json").json()] == ["NK01", "DD01"]


@pytest.mark.parametrize("name", ["\u200f\u200e", "\u0301", "\u034f", "\u180e", "ั้", " \u200b "])
def test_a_name_with_nothing_to_read_is_refused(kbo: Invoke, np_group: str, name: str) -> None:
    """Bidi marks, format characters or marks alone: a name no one could read on a list or a certificate."""
    r = kbo("group", "add", name, "--district", "นาแก")
    assert r.exit_code == 2 and r.stderr.startswith("Error: the group name cannot be empty"), r.stderr


def test_a_long_name_is_refused_with_the_real_limit(kbo: Invoke, np_group: str) -> None:
    for length in (250, 450):  # before and after the cheap check made before cleaning
        r = kbo("group", "add", "ก" * length, "--district", "นาแก")
        assert r.stderr.startswith(f"Error: the group name is too long ({length} characters, at most 200)")


def test_kbo_user_is_checked_like_a_typed_name(kbo: Invoke, np_group: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """KBO_USER is stored as the author of every change: an escape sequence would recolour later screens."""
    monkeypatch.setenv("KBO_USER", "a\x1b[31mb")
    r = kbo("group", "add", "กลุ่มจักสานบ้านนาคำ", "--district", "นาแก")
    assert r.exit_code == 2 and "user name (KBO_USER) holds a control character (U+001B)" in r.stderr
    monkeypatch.setenv("KBO_USER", "\u0301")  # a mark alone: stored, it would make every dump unrestorable
    r = kbo("group", "add", "กลุ่มจักสานบ้านนาคำ", "--district", "นาแก")
    assert r.exit_code == 2 and "user name (KBO_USER) cannot be empty" in r.stderr, r.stderr
    monkeypatch.setenv("KBO_USER", "  สมชาย   ใจดี ")
    ok(kbo, "group", "add", "กลุ่มจักสานบ้านนาคำ", "--district", "นาแก", "--code", "NK01")
    assert ok(kbo, "history", "-f", "json").json()[0]["user"] == "สมชาย ใจดี"


def test_init_refuses_a_province_whose_districts_the_groups_are_not_in(kbo: Invoke, np_group: str) -> None:
    r = kbo("init", "--province", "เชียงใหม่")
    assert r.exit_code == 1 and r.stderr.startswith(
        "Error: the network's groups are not all in Chiang Mai: 'เรณูนคร' is not a district of Chiang Mai"
    ), r.stderr


def test_a_province_set_after_the_groups_takes_their_districts_as_group_add_does(kbo: Invoke) -> None:
    """Before a province is set any district is stored as typed; `init --province` then reads them as
    `group add` would (อ.นาแก is นาแก), and refuses only those that are not the province's."""
    ok(kbo, "group", "add", "กลุ่มทอผ้าบ้านนาคำ", "--district", "อ.นาแก")
    ok(kbo, "init", "--province", "48")
    again = ok(kbo, "init", "--province", "48")  # the province it has: nothing to refuse
    assert "Nakhon Phanom (48)" in again.stdout + again.stderr


def test_empty_name_is_refused(kbo: Invoke, np_group: str, sql) -> None:  # type: ignore[no-untyped-def]
    r = kbo("group", "add", "   ", "--district", "นาแก")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: the group name cannot be empty")
    assert "Traceback" not in r.stderr
    assert count(sql, "producer_group") == 1


def test_unknown_group_lists_the_closest_names(kbo: Invoke, np_group: str) -> None:
    r = kbo("group", "show", "กลุ่มทอผ้าย้อมครามบ้านดอนแดน")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no producer group 'กลุ่มทอผ้าย้อมครามบ้านดอนแดน'")
    assert "Hint: did you mean: DD01 กลุ่มทอผ้าย้อมครามบ้านดอนแดง" in r.stderr


def test_same_name_in_two_districts_is_ambiguous(kbo: Invoke, np_group: str) -> None:
    assert kbo("group", "add", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง", "--district", "นาแก", "--code", "DD02").exit_code == 0
    r = kbo("group", "show", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: 'กลุ่มทอผ้าย้อมครามบ้านดอนแดง' matches 2 records: DD01")
    assert "DD02" in r.stderr
    assert "use the code" in r.stderr


def test_invalid_kind_is_a_usage_error(kbo: Invoke, np_group: str) -> None:
    r = kbo("group", "add", "กลุ่มใหม่", "--district", "นาแก", "--kind", "cooperative")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: unknown kind of group 'cooperative'")
    assert "community, enterprise, individual, sme" in r.stderr


def test_an_edit_names_what_changed_in_the_users_words(kbo: Invoke, np_group: str) -> None:
    r = ok(kbo, "group", "edit", "DD01", "--contact", "นางสมศรี ใจดี", "--phone", "0812345678", lang_="th")
    assert "แก้ไข ผู้ติดต่อ, หมายเลขโทรศัพท์ ของกลุ่ม DD01 แล้ว" in r.stderr
    ok(kbo, "product", "add", "ผ้าครามมัดหมี่", "--group", "DD01", "--category", "textile", "--code", "DD01-01")
    r = ok(kbo, "product", "edit", "DD01-01", "--description", "ผ้าฝ้ายย้อมครามธรรมชาติ")
    assert "Changed description of product DD01-01" in r.stderr
    r = ok(kbo, "checklist", "set", "DD01-01", "tcps", "--status", "รอผล", lang_="th")
    assert "บันทึก มผช. ของ DD01-01 แล้ว" in r.stderr  # the standard as officials write it, not its code (tcps)


def test_a_community_enterprise_is_known_by_its_name(kbo: Invoke, np_group: str, tmp_path: Path) -> None:
    """No kind given: a name beginning วิสาหกิจชุมชน is a community enterprise, on the command line and in a sheet."""
    added = ok(kbo, "group", "add", "วิสาหกิจชุมชนทอผ้าบ้านนาคู่", "--district", "นาแก", "--code", "E1", "-f", "json")
    assert added.json()["kind"] == "enterprise"
    assert ok(kbo, "group", "show", "DD01", "-f", "json").json()["kind"] == "community"
    sheet = tmp_path / "groups.csv"
    sheet.write_text(
        "code,name,district\nE2,วิสาหกิจชุมชนข้าวฮางงอกบ้านดงขวาง,นาแก\nC2,กลุ่มจักสานบ้านนาเลา,นาแก\n",
        encoding="utf-8",
    )
    ok(kbo, "import", str(sheet))
    assert ok(kbo, "group", "show", "E2", "-f", "json").json()["kind"] == "enterprise"
    assert ok(kbo, "group", "show", "C2", "-f", "json").json()["kind"] == "community"


def test_a_rename_to_a_name_in_use_is_refused_in_kbos_words(kbo: Invoke, np_group: str, tmp_path: Path) -> None:
    """An edit or an import row that gives a group (or a product) the name another has in its district (group):
    kbo's error with the row, not the database's UNIQUE constraint text."""
    ok(kbo, "group", "add", "กลุ่มจักสานบ้านนาคำ", "--district", "เรณูนคร", "--code", "NK01")
    r = kbo("group", "edit", "NK01", "--name", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง")
    assert r.exit_code == 1 and r.stderr.startswith("Error: a group named 'กลุ่มทอผ้าย้อมครามบ้านดอนแดง' already exists")
    ok(kbo, "product", "add", "ผ้าครามมัดหมี่", "--group", "DD01", "--category", "textile", "--code", "DD01-01")
    ok(kbo, "product", "add", "ผ้าพันคอย้อมคราม", "--group", "DD01", "--category", "textile", "--code", "DD01-02")
    r = kbo("product", "edit", "DD01-02", "--name", "ผ้าครามมัดหมี่")
    assert r.exit_code == 1 and "this group already has a product named 'ผ้าครามมัดหมี่' (DD01-01)" in r.stderr
    sheet = tmp_path / "products.csv"
    sheet.write_text("code,name,group_code,category\nDD01-02,ผ้าครามมัดหมี่,DD01,textile\n", encoding="utf-8")
    r = kbo("import", str(sheet), "--dry-run")
    assert r.exit_code == 1 and "row 2, column name: this group already has a product named" in r.stderr
    assert "UNIQUE" not in r.stderr
    # one product takes the name another gives up on an earlier row: the rows after see the new names
    sheet.write_text(
        "code,name,group_code,category\nDD01-01,ผ้าครามมัดหมี่ลายใหม่,DD01,textile\nDD01-02,ผ้าครามมัดหมี่,DD01,textile\n",
        encoding="utf-8",
    )
    ok(kbo, "import", str(sheet))
    assert ok(kbo, "product", "show", "DD01-02", "-f", "json").json()["name"] == "ผ้าครามมัดหมี่"
