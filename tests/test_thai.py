"""Thai first: dates as officials write them, certificate numbers, names typed two ways, Thai order,
districts, expiry, and every message in both languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kbo_cli.thai import dates as thaidate
from kbo_cli.thai import textnorm

from conftest import Invoke, certify, ok, prepared


@prepared(parent="np_group")
def textile(kbo: Invoke, np_group: str) -> Invoke:
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "P1")
    ok(kbo, "product", "add", "น้ำพริกปลาร้าบอง", "--group", "DD01", "--category", "food", "--code", "F1")
    return kbo


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "2566-01-19",
        "19/01/2566",
        "19-01-2566",
        "19 ม.ค. 2566",
        "19 มกราคม 2566",
        "2023-01-19",
        "19/01/2023",
        "๑๙/๐๑/๒๕๖๖",
        "๑๙ ม.ค. ๒๕๖๖",
        "19 ม.ค. พ.ศ. 2566",
        "19 มค 2566",
        "  19  มกราคม   2566 ",
        "19 Jan 2023",
    ],
)
def test_every_written_form_of_a_date(typed: str) -> None:
    assert thaidate.parse_date(typed) == date(2023, 1, 19)


def test_dates_are_stored_iso_and_shown_in_each_language(textile: Invoke) -> None:
    certify(textile, "P1", "tcps", "มผช. 8/2546", "--issued", "๑๕ มีนาคม ๒๕๖๗")
    entry = textile("checklist", "show", "P1", "-f", "json").json()["entries"][0]
    assert (entry["issued_on"], entry["expires_on"]) == ("2024-03-15", "2027-03-14")
    assert "15 มี.ค. 2567" in textile("checklist", "show", "P1", lang_="th").stdout
    assert "2024-03-15" in textile("checklist", "show", "P1", lang_="en").stdout
    assert "2024-03-15" in textile("checklist", "show", "P1", "-f", "csv", lang_="th").stdout


def test_a_bad_date_on_the_command_line(textile: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    r = textile("checklist", "set", "P1", "tcps", "--issued", "30 ก.พ. 2567")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: '30 ก.พ. 2567' is not a date: there is no such day")
    assert "Hint: write a date like 2566-01-19, 19/01/2566" in r.stderr
    assert sql(
        "SELECT issued_on FROM checklist_entry e JOIN product p ON p.id = e.product_id "
        "WHERE p.code = 'P1' AND e.standard = 'tcps'"
    ) == [(None,)]
    th = textile("checklist", "set", "P1", "tcps", "--issued", "30 ก.พ. 2567", lang_="th")
    assert th.stderr.startswith("ข้อผิดพลาด: ")


# --- certificate numbers -----------------------------------------------------------------------------


def test_certificate_numbers_on_the_command_line(textile: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    r = certify(textile, "F1", "อย.", "๔๘๒๐๐๑๒๓๒๐๐๐๑", "-f", "json")
    assert r.json()["entries"][0]["certificate_no"] == "48-2-00123-2-0001"
    table = ok(textile, "checklist", "show", "F1").stdout
    assert "Province of the site" in table and "48 Nakhon Phanom" in table
    assert "producer licensed by the provincial office" in table
    r = textile("checklist", "set", "F1", "fda", "--cert", "48-9-00123-2-0001")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: '48-9-00123-2-0001' is not a valid certificate number")
    assert "XX-X-XXXXX-X-XXXX" in r.stderr
    assert sql("SELECT certificate_no FROM checklist_entry WHERE standard = 'fda'") == [("48-2-00123-2-0001",)]


def test_certified_without_a_number_is_a_warning_gap(textile: Invoke) -> None:
    r = ok(textile, "checklist", "set", "P1", "tcps", "--status", "certified")
    assert "Warning: certified without a certificate number" in r.stderr
    gaps = {
        (g["standard"], g["status"])
        for g in ok(textile, "report", "gaps", "--group", "DD01", "-f", "json").json()
        if g["product_code"] == "P1"
    }
    assert ("tcps", "number_missing") in gaps
    progress = ok(textile, "report", "progress", "-f", "json").json()[0]
    assert progress["certified"] == 1  # still counts as certified
    assert "certified, number missing" in ok(textile, "report", "gaps").stdout


# --- expiry ------------------------------------------------------------------------------------------


def test_expired_certificates_are_gaps_and_expiring_ones_are_listed(textile: Invoke) -> None:
    today = date.today()
    soon = (today + timedelta(days=20)).isoformat()
    gone = (today - timedelta(days=5)).isoformat()
    certify(textile, "P1", "tcps", "มผช. 8/2546", "--issued", "2565-01-01", "--expires", gone)
    certify(textile, "F1", "fda", "48-2-00123-2-0001", "--issued", "2566-01-01", "--expires", soon)
    ok(textile, "checklist", "set", "F1", "gmp", "--status", "certified", "--issued", "2568-01-01")  # no validity
    rows = ok(textile, "report", "expiring", "-f", "json").json()
    assert [(r["product_code"], r["standard"], r["days_left"]) for r in rows] == [("P1", "tcps", -5), ("F1", "fda", 20)]
    assert ok(textile, "report", "expiring", "--within", "10", "-f", "json").json()[0]["days_left"] == -5
    gap = next(
        g
        for g in ok(textile, "report", "gaps", "-f", "json").json()
        if (g["product_code"], g["standard"]) == ("P1", "tcps")
    )
    assert gap["status"] == "expired"
    p1 = next(p for p in ok(textile, "product", "list", "-f", "json").json() if p["code"] == "P1")
    assert p1["certified"] == 0
    assert "expired" in ok(textile, "report", "expiring").stdout


def test_certificates_expiring_on_one_day_are_listed_in_catalogue_order(textile: Invoke) -> None:
    """Ties broken by the standards' catalogue order: a report's order is total, the same on every run (SQLite's
    sorter may use several threads on a large report, and would otherwise give tied rows in any order)."""
    day = (date.today() + timedelta(days=30)).isoformat()
    certify(textile, "P1", "tis", "มอก. 2346-2550", "--issued", "2567-01-01", "--expires", day)
    certify(textile, "P1", "tcps", "มผช. 8/2546", "--issued", "2567-01-01", "--expires", day)
    rows = ok(textile, "report", "expiring", "-f", "json").json()
    assert [(r["product_code"], r["standard"]) for r in rows] == [("P1", "tcps"), ("P1", "tis")]


# --- names ---------------------------------------------------------------------------------------------


def test_clean_text_unifies_thai_typing() -> None:
    assert textnorm.clean_text("น\u0e4d\u0e32พริก") == "น\u0e33พริก"  # sara am in two pieces
    assert textnorm.clean_text("น\u0e49\u0e4d\u0e32") == "น\u0e49\u0e33"  # tone, nikhahit, aa
    assert textnorm.clean_text("ก\u0e48\u0e35") == "ก\u0e35\u0e48"  # tone typed first
    assert textnorm.clean_text("ก\u0e35\u0e48\u0e48") == "ก\u0e35\u0e48"  # doubled tone mark
    assert textnorm.clean_text("ผ้า\u200bคราม   ลาย\ufeff") == "ผ้าคราม ลาย"  # zero-width, spaces
    assert textnorm.name_key("Sabai OTOP") == textnorm.name_key("sabai  otop")


def test_names_typed_two_ways_find_the_same_record(kbo: Invoke, np_group: str) -> None:
    ok(kbo, "product", "add", "น้ำพริกเผา", "--group", "DD01", "--category", "food", "--code", "NP1")
    typed_apart = "น\u0e49\u0e4d\u0e32พริกเผา"  # sara am as nikhahit + sara aa
    assert ok(kbo, "product", "show", typed_apart, "-f", "json").json()["code"] == "NP1"
    assert ok(kbo, "product", "show", "น้ำพริก\u200bเผา", "-f", "json").json()["code"] == "NP1"
    r = kbo("product", "add", typed_apart, "--group", "DD01", "--category", "food")
    assert r.exit_code == 1 and "already has a product named 'น้ำพริกเผา' (NP1)" in r.stderr
    r = kbo("group", "add", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง\u200b", "--district", "เรณูนคร")
    assert r.exit_code == 1 and "already exists in เรณูนคร (DD01)" in r.stderr


def test_lists_are_in_thai_dictionary_order(kbo: Invoke) -> None:
    ok(kbo, "init", "--province", "48")
    for name in ("กลุ่มไก่ย่าง", "กลุ่มเขียด", "กลุ่มกา", "กลุ่มแกงหน่อไม้", "กลุ่มขนมจีน", "กลุ่มโกโก้"):
        ok(kbo, "group", "add", name, "--district", "นาแก")
    names = [g["name"] for g in ok(kbo, "group", "list", "-f", "json").json()]
    assert names == ["กลุ่มกา", "กลุ่มแกงหน่อไม้", "กลุ่มโกโก้", "กลุ่มไก่ย่าง", "กลุ่มขนมจีน", "กลุ่มเขียด"]


def test_sort_key_agrees_with_pythainlp_collation() -> None:
    from pythainlp.util import collate

    words = ["เขา", "ขา", "กา", "ไก่", "แกง", "โกง", "เกลือ", "ข้าว", "ใจ", "จาน", "น้ำ", "นา", "ผ้า", "เผือก"]
    assert sorted(words, key=textnorm.thai_sort_key) == collate(words)


# --- districts -------------------------------------------------------------------------------------------


def test_districts_are_checked_against_the_province(kbo: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    ok(kbo, "init", "--province", "นครพนม")
    r = kbo("group", "add", "กลุ่มใหม่", "--district", "เรณูนคอน")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: 'เรณูนคอน' is not a district of Nakhon Phanom")
    assert "Hint: did you mean: เรณูนคร" in r.stderr
    assert ok(kbo, "group", "add", "กลุ่มใหม่", "--district", "อ.เรณูนคร", "-f", "json").json()["district"] == "เรณูนคร"
    assert ok(kbo, "group", "add", "กลุ่มสอง", "--district", "That Phanom", "-f", "json").json()["district"] == "ธาตุพนม"
    r = kbo("init", "--province", "นครพนมม")
    assert r.exit_code == 1 and "unknown province" in r.stderr and "48 นครพนม" in r.stderr
    assert sql("SELECT count(*) FROM producer_group") == [(2,)]


# --- both languages ---------------------------------------------------------------------------------------

COMMANDS = [
    ("group", "list"),
    ("group", "show", "DD01"),
    ("product", "list"),
    ("product", "show", "P1"),
    ("standards", "list"),
    ("checklist", "show", "P1"),
    ("report", "gaps"),
    ("report", "progress"),
    ("report", "expiring"),
    ("report", "candidates"),
    ("report", "unvisited"),
    ("finding", "list"),
    ("plan", "list"),
    ("visit", "list"),
    ("opc", "list"),
    ("opc", "rounds"),
    ("history",),
    ("db", "status"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_every_command_speaks_thai_and_english(textile: Invoke, command: tuple[str, ...]) -> None:
    certify(textile, "P1", "tcps", "มผช. 8/2546", "--issued", "2568-01-01")
    ok(textile, "finding", "add", "P1", "ลายผ้าโดดเด่น", "--kind", "strength")
    ok(textile, "plan", "add", "P1", "ทำฉลาก", "--agency", "university", "--due", "2570-01-01")
    ok(textile, "visit", "add", "--product", "P1", "--by", "พช.")
    ok(textile, "opc", "set", "P1", "--year", "2567", "--part1", "20", "--part2", "20", "--part3", "40")
    th, en = textile(*command, lang_="th"), textile(*command, lang_="en")
    assert th.exit_code == en.exit_code == 0, (th.stderr, en.stderr)
    out_th, out_en = th.stdout + th.stderr, en.stdout + en.stderr
    assert out_th != out_en, "the Thai output should differ from the English one"
    assert "Code" not in out_th and "Product" not in out_th and "Group" not in out_th
    thai_json = textile(*command, "-f", "json", lang_="th")
    if thai_json.exit_code == 0 and thai_json.stdout.strip():
        en_json = textile(*command, "-f", "json", lang_="en")
        keys = lambda d: sorted(d[0]) if isinstance(d, list) and d else sorted(d) if isinstance(d, dict) else d  # noqa: E731
        assert keys(thai_json.json()) == keys(en_json.json())  # keys stay English and stable


def test_errors_and_hints_in_thai(kbo: Invoke) -> None:
    r = kbo("product", "show", "ไม่มีสินค้านี้", lang_="th")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0].startswith("ข้อผิดพลาด: ")
    assert r.stderr.splitlines()[1].startswith("คำแนะนำ: ")
    r = kbo("checklist", "set", "X", "tcps", "--status", "done", lang_="th")
    assert r.stderr.startswith("ข้อผิดพลาด: ")
    assert kbo("group", "list", lang_="xx").exit_code == 2


def test_statuses_and_categories_may_be_typed_in_thai(textile: Invoke) -> None:
    r = ok(textile, "checklist", "set", "P1", "มผช.", "--status", "ได้รับการรับรองแล้ว", "-f", "json")
    assert r.json()["entries"][0]["status"] == "number_missing"  # certified; its number not recorded yet
    r = ok(textile, "product", "add", "ยาหม่องไพล", "--group", "DD01", "--category", "สมุนไพรที่ไม่ใช่อาหาร", "-f", "json")
    assert r.json()["category"] == "herbal"
