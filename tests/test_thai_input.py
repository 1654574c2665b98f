"""Thai input the way officials really write it (issue 13): two-digit Buddhist-Era years and `ปี 66`,
Thai digits in numbers, certificate numbers as printed on labels, names with typing slips, and the
districts and sub-districts of every province."""

from __future__ import annotations

import random
import time
from datetime import date
from decimal import Decimal

import pytest

from kbo_cli.errors import InvalidValue
from kbo_cli.thai import certno, numbers, places, textnorm
from kbo_cli.thai import dates as thaidate

from conftest import Invoke, certify, ok, prepared


@prepared(parent="np_group")
def products(kbo: Invoke, np_group: str) -> Invoke:
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "P1")
    ok(kbo, "product", "add", "น้ำพริกปลาร้าบอง", "--group", "DD01", "--category", "food", "--code", "F1")
    ok(kbo, "product", "add", "ยาหม่องไพล", "--group", "DD01", "--category", "herbal", "--code", "H1")
    return kbo


# --- dates: two-digit Buddhist-Era years -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("19/01/66", date(2023, 1, 19)),
        ("19 ม.ค. 66", date(2023, 1, 19)),
        ("10 ม.ค. 66", date(2023, 1, 10)),
        ("19-01-66", date(2023, 1, 19)),
        ("19.1.66", date(2023, 1, 19)),
        ("๑๙/๐๑/๖๖", date(2023, 1, 19)),
        ("๑๐ ม.ค. ๖๖", date(2023, 1, 10)),
        ("19 มกราคม 66", date(2023, 1, 19)),
        ("19 ม.ค. พ.ศ. 2566", date(2023, 1, 19)),
        ("19 ม.ค. พ.ศ.66", date(2023, 1, 19)),
        ("19 มกราคม พ.ศ. ๒๕๖๖", date(2023, 1, 19)),
        ("19 ม.ค. ปี 66", date(2023, 1, 19)),
        ("วันที่ 19 มกราคม 2566", date(2023, 1, 19)),
        ("1/10/67", date(2024, 10, 1)),  # the first day of fiscal year 2568
        ("31/12/99", date(2056, 12, 31)),  # 99 is 2599, never 1999
        ("1/1/00", date(1957, 1, 1)),  # 00 is 2500
        ("29/02/67", date(2024, 2, 29)),  # 2567 = 2024, a leap year
        # the day of the week before, a time of day after: as a letter or the minutes write a meeting's date
        ("วันจันทร์ที่ 16 มีนาคม 2569", date(2026, 3, 16)),
        ("จ. 16 มี.ค. 69", date(2026, 3, 16)),
        ("พฤหัสบดี 19 มี.ค. 69", date(2026, 3, 19)),
        ("15 มี.ค. 2569 เวลา 10.00 น.", date(2026, 3, 15)),
        ("16/3/2569 13:30 น.", date(2026, 3, 16)),
    ],
)
def test_two_digit_years_are_buddhist_era(typed: str, expected: date) -> None:
    assert thaidate.parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("19/01/566", "four digits"),
        ("19/01/02566", "four digits"),
        ("19 ม.ค. ค.ศ. 23", "a two-digit year is read as Buddhist Era"),
        ("29/02/66", "no such day"),  # 2566 = 2023, not a leap year
        ("19 ม.ค. พ.ศ. 2023", "out of range"),
        ("31/02/2566", "there is no such day"),
        ("19 ฟฟ. 2566", "unknown month"),
        ("", "it is empty"),
        ("พรุ่งนี้", "not one kbo reads"),
        ("29/02/2566", "no such day"),
        ("15/3", "not one kbo reads"),  # no year: not "unknown month '/'"
        ("วันอังคารที่ 16 มีนาคม 2569", "that day is a Monday, not a อังคาร"),  # a slip in the day or its name
        ("15 มี.ค. 2569 10.00", "not one kbo reads"),  # a time is read with เวลา or น. only: 10.00 could be a date
    ],
)
def test_dates_that_cannot_be_read(typed: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as info:
        thaidate.parse_date(typed)
    assert reason in info.value.message
    assert "19/01/66" in (info.value.hint or "") and "19 ม.ค. 2566" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("2566", 2566),
        ("๒๕๖๖", 2566),
        ("พ.ศ. 2566", 2566),
        ("พ.ศ.๒๕๖๖", 2566),
        ("พศ 2566", 2566),
        ("ปี 66", 2566),
        ("ปี ๖๖", 2566),
        ("ปี 2566", 2566),
        ("66", 2566),
        ("  66 ", 2566),
        ("2023", 2566),
        ("ค.ศ. 2023", 2566),
        ("B.E. 2567", 2567),
        ("1900", 2443),
        ("2399", 2942),
        ("2400", 2400),
        ("00", 2500),
    ],
)
def test_parse_year(typed: str, year: int) -> None:
    assert thaidate.parse_year(typed) == year


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ปี",
        "abc",
        "6",
        "566",
        "02566",
        "1899",
        "3000",
        "พ.ศ. 2023",
        "ค.ศ. 66",
        "ค.ศ. 2566",
        "2566.0",
        "-66",
        "2,566",
        "66 ปี",
        "๒๕๖๖ก",
    ],
)
def test_parse_year_refuses(typed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        thaidate.parse_year(typed)
    assert "is not a year" in info.value.message
    assert "ปี 66" in (info.value.hint or "")


def test_two_digit_years_on_the_command_line(products: Invoke) -> None:
    r = certify(products, "P1", "tcps", "มผช. 8/2546", "--issued", "19 ม.ค. 66", "-f", "json")
    entry = r.json()["entries"][0]
    assert (entry["issued_on"], entry["expires_on"]) == ("2023-01-19", "2026-01-18")
    ok(products, "checklist", "set", "P1", "tcps", "--expires", "๑๐/๐๑/๖๙")
    entry = ok(products, "checklist", "show", "P1", "-f", "json").json()["entries"][0]
    assert entry["expires_on"] == "2026-01-10"
    assert "10 ม.ค. 2569" in ok(products, "checklist", "show", "P1", lang_="th").stdout
    r = ok(products, "visit", "add", "--product", "P1", "--by", "พช.", "--on", "19/01/66", "-f", "json")
    assert r.json()[0]["visited_on"] == "2023-01-19"
    r = products("checklist", "set", "P1", "tcps", "--issued", "19/01/566", lang_="th")
    assert r.exit_code == 2 and r.stderr.startswith("ข้อผิดพลาด: ")
    assert "ปีต้องมี 4 หลัก" in r.stderr and "19/01/66" in r.stderr


# --- numbers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12", 12),
        ("๑๒", 12),
        (" 7 ", 7),
        ("-3", -3),
        ("−3", -3),
        ("1,200", 1200),
        ("๑,๒๐๐", 1200),
        ("0", 0),
        ("๒๕๖๖", 2566),
        ("1,234,567", 1234567),
        ("123456789012345678", 123456789012345678),
        ("007", 7),
    ],
)
def test_parse_int(typed: str, value: int) -> None:
    assert numbers.parse_int(typed) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("22.5", Decimal("22.5")),
        ("๒๒.๕", Decimal("22.5")),
        ("22", Decimal("22")),
        ("๑,๒๐๐.๕๐", Decimal("1200.50")),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal("0.5")),
        (" 40 ", Decimal("40")),
        ("0.1", Decimal("0.1")),
    ],
)
def test_parse_decimal(typed: str, value: Decimal) -> None:
    result = numbers.parse_decimal(typed)
    assert result == value and isinstance(result, Decimal)


BAD_NUMBERS = [
    "",
    " ",
    "-",
    "abc",
    "12a",
    "๑๒ก",
    "1e5",
    "1E5",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1_000",
    "+5",
    "1 200",
    "1,2",
    "12,34",
    "0x10",
    "1234567890123456789",
    "٣",
    "½",
    "1..5",
    "5.",
]


@pytest.mark.parametrize("typed", [*BAD_NUMBERS, "1.5", "๒๒.๕"])
def test_parse_int_refuses(typed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        numbers.parse_int(typed)
    assert "is not a whole number" in info.value.message and "๑๒" in (info.value.hint or "")


@pytest.mark.parametrize("typed", [*BAD_NUMBERS, "1.2.3", "1.5e3", "123456789.0123456789"])
def test_parse_decimal_refuses(typed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        numbers.parse_decimal(typed)
    assert "is not a number" in info.value.message and "๒๒.๕" in (info.value.hint or "")


def test_number_messages_in_thai() -> None:
    from kbo_cli.i18n import set_language

    set_language("th")
    with pytest.raises(InvalidValue) as info:
        numbers.parse_decimal("๒๒,๕")
    assert info.value.message == "'๒๒,๕' ไม่ใช่ตัวเลข"


def test_numbers_are_fast_on_long_input() -> None:
    start = time.perf_counter()
    for text in ("1" * 100_000, "1," * 50_000, "-" + "๑" * 100_000 + "x", "1.1" * 30_000):
        with pytest.raises(InvalidValue):
            numbers.parse_decimal(text)
    assert time.perf_counter() - start < 0.5


# --- names: typing slips, as PyThaiNLP's normalize fixes them ----------------------------------------------

SLIPS = [
    ("เเปลก", "แปลก"),  # two sara e for sara ae
    ("ข้าวเเต๋น", "ข้าวแต๋น"),
    ("เเม่บ้าน", "แม่บ้าน"),
    ("กา่", "ก่า"),  # tone mark typed after sara aa
    ("ปลาส้มบ้านนา่", "ปลาส้มบ้านน่า"),
    ("นำ้พริก", "น้ำพริก"),  # tone mark typed after sara am
    ("น\u0e4d\u0e32พริก", "น\u0e33พริก"),  # sara am as nikhahit + sara aa
    ("น\u0e49\u0e4d\u0e32", "น\u0e49\u0e33"),
    ("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e33"),
    ("ก\u0e48\u0e35", "ก\u0e35\u0e48"),  # tone typed before the upper vowel
    ("ก่้", "ก้"),  # two different tone marks: the last one typed
    ("ก้่า", "ก่า"),
    ("ก้ี่", "กี่"),
    ("ไม้้", "ไม้"),  # doubled marks
    ("ไก่่", "ไก่"),
    ("ดีีี", "ดี"),
    ("นานาาา", "นานา"),
    ("กๅ", "กา"),  # lakkhangyao for sara aa
    ("ฤๅษี", "ฤๅษี"),  # ... but not after ฤ
    ("พ ุ่มดอกไม้", "พุ่มดอกไม้"),  # a space before a mark
    ("คำ ่ที่สอง", "คำ ที่สอง"),  # a mark left dangling after a space
    ("่ผ้าทอ", "ผ้าทอ"),
    ("ผ้า\u200bคราม", "ผ้าคราม"),  # zero-width space
    ("  ผ้า   คราม ", "ผ้า คราม"),
    ("ศักดิ์", "ศักดิ์"),
    ("กลุ่มทอผ้าย้อมครามบ้านดอนแดง", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง"),
    ("ยาหม่องไพล", "ยาหม่องไพล"),
    ("น้ำพริกปลาร้าบอง", "น้ำพริกปลาร้าบอง"),
    ("Sabai OTOP", "Sabai OTOP"),
]


@pytest.mark.parametrize(("typed", "expected"), SLIPS)
def test_clean_text_fixes_typing_slips(typed: str, expected: str) -> None:
    assert textnorm.clean_text(typed) == expected
    assert textnorm.clean_text(expected) == expected  # cleaning twice changes nothing


@pytest.mark.parametrize(("typed", "expected"), SLIPS)
def test_clean_text_agrees_with_pythainlp(typed: str, expected: str) -> None:
    from pythainlp.util import normalize

    assert textnorm.clean_text(typed) == normalize(typed)


LONG_INPUTS = {
    "marks on one consonant": "ก" + "่้ิ" * 30_000,
    "sara aa repeated": "า" * 100_000,
    "sara aa then a tone": "า" * 100_000 + "่",
    "tones after vowels": "า่" * 50_000,
    "spaced marks": "ก ่" * 30_000,
    "nikhahit and tones": "ํ" + "่" * 100_000,
    "sara e": "เ" * 100_000,
    "lakkhangyao": "ๅ" * 100_000,
    "spaces": " " * 100_000 + "ก",
    "zero width": "\u200b" * 100_000,
    "names": "นํ้าพริกเเกงกา่ " * 6_000,
}


def test_clean_text_skips_only_text_no_rule_changes() -> None:
    """clean_text returns text that no rule applies to as it is (most names): the same as every rule run."""
    rng = random.Random(48)
    marks = [*textnorm._MARKS, "ก", "น", "ฤ", "า", "ำ", "ะ", "ๅ", "เ", "แ", " "]
    others = [chr(c) for c in range(0x0E01, 0x0E5C)] + [" ", "  ", "\u200b", "\ufeff", "\u00ad", "\t", "\u00a0"]
    others += ["a", "B", "e\u0301", "\u212b", "\u0e4d\u0e32", "\u0e40\u0e40"]
    skipped = 0
    for n in range(60_000):
        text = "".join(rng.choice(others if n % 2 else marks) for _ in range(rng.randint(1, 10)))
        cleaned = textnorm.clean_text(text)
        assert cleaned == textnorm._clean(text), repr(text)
        skipped += cleaned is text
    assert skipped > 1000  # the short cut is taken, not only the rules


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_clean_text_is_fast_on_long_input(text: str) -> None:
    start = time.perf_counter()
    textnorm.clean_text(text)
    assert time.perf_counter() - start < 1.0  # linear: about 0.1 s; a quadratic rule would take minutes


def test_names_with_slips_find_the_same_record(kbo: Invoke, np_group: str) -> None:
    ok(kbo, "product", "add", "ข้าวแต๋นน้ำแตงโม", "--group", "DD01", "--category", "food", "--code", "KT1")
    for typed in (
        "ข้าวเเต๋นน้ำแตงโม",
        "ข้าวแต๋นนำ้แตงโม",
        "ข้าวแต๋น\u200bน้ำแตงโม",
        "ข้าวแต่๋นน้ำแตงโม",
    ):  # the last tone typed wins
        assert ok(kbo, "product", "show", typed, "-f", "json").json()["code"] == "KT1", typed
    r = kbo("product", "add", "ข้าวเเต๋นนำ้แตงโม", "--group", "DD01", "--category", "food")
    assert r.exit_code == 1 and "already has a product named 'ข้าวแต๋นน้ำแตงโม' (KT1)" in r.stderr
    r = ok(kbo, "group", "add", "กลุ่มเเม่บ้านนา่อยู่", "--district", "นาแก", "-f", "json")
    assert r.json()["name"] == "กลุ่มแม่บ้านน่าอยู่"


# --- the whole country: provinces, districts and sub-districts from geothai ----------------------------------


def test_every_province_accepts_its_capital_and_another_district() -> None:
    """All 77 provinces, in-process (the CLI runs below cover the command line for a few of them)."""
    provinces = places.provinces()
    assert len(provinces) == 77
    assert sum(len(places.districts(code)) for code in provinces) == 928
    for code, prov in provinces.items():
        districts = places.districts(code)
        capital, other = districts[0], districts[-1]
        assert capital.code == f"{code}01" and other.code != capital.code, prov
        assert places.check_district(code, capital.name_th) == capital.name_th
        assert places.check_district(code, other.name_th) == other.name_th
        assert places.check_district(code, f"อ.{other.name_th}") == other.name_th
        assert places.check_district(code, other.name_en.upper()) == other.name_th
        assert places.check_district(code, capital.code) == capital.name_th
        if code != places.BANGKOK:  # Bangkok has no เมือง district
            assert places.check_district(code, "เมือง") == capital.name_th, prov
            assert places.check_district(code, "อำเภอเมือง") == capital.name_th, prov
        sub = places.subdistricts(other.code)[0]
        assert places.check_subdistrict(code, other.name_th, f"ต.{sub.name_th}") == sub.name_th
        assert places.province(prov.name_th) == places.province(prov.name_en) == places.province(code) == prov
    assert sum(len(places.subdistricts(d.code)) for code in provinces for d in places.districts(code)) == 7436


@pytest.mark.parametrize(
    ("province", "capital", "other", "subdistrict"),
    [
        ("เชียงใหม่", "เมืองเชียงใหม่", "สันทราย", "สันทรายหลวง"),
        ("กรุงเทพมหานคร", "เขตพระนคร", "เขตดุสิต", "ดุสิต"),
        ("พระนครศรีอยุธยา", "พระนครศรีอยุธยา", "นครหลวง", "นครหลวง"),
        ("96", "เมืองนราธิวาส", "ตากใบ", "เจ๊ะเห"),
        ("Mae Hong Son", "เมืองแม่ฮ่องสอน", "ปาย", "เวียงใต้"),
    ],
)
def test_init_province_then_add_groups_on_the_command_line(
    kbo: Invoke, province: str, capital: str, other: str, subdistrict: str
) -> None:
    ok(kbo, "init", "--province", province)
    r = ok(kbo, "group", "add", "กลุ่มหนึ่ง", "--district", capital, "-f", "json")
    assert r.json()["district"] == capital
    r = ok(kbo, "group", "add", "กลุ่มสอง", "--district", other, "--subdistrict", subdistrict, "-f", "json")
    assert (r.json()["district"], r.json()["subdistrict"]) == (other, subdistrict)


def test_chiang_mai_districts_and_subdistricts(kbo: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    ok(kbo, "init", "--province", "เชียงใหม่")
    add = lambda name, *args: kbo("group", "add", name, *args, "-f", "json")  # noqa: E731
    r = add("กลุ่มผ้าฝ้ายทอมือ", "--district", "เมือง", "--subdistrict", "ต.ศรีภูมิ")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["district"], r.json()["subdistrict"]) == ("เมืองเชียงใหม่", "ศรีภูมิ")
    r = add("กลุ่มร่มบ่อสร้าง", "--district", "อ.สันกำแพง", "--subdistrict", "ตำบลต้นเปา")
    assert (r.json()["district"], r.json()["subdistrict"]) == ("สันกำแพง", "ต้นเปา")
    r = add("กลุ่มกระดาษสา", "--district", "อำเภอ สันทราย", "--subdistrict", "San Sai Luang")
    assert (r.json()["district"], r.json()["subdistrict"]) == ("สันทราย", "สันทรายหลวง")
    r = add("กลุ่มเครื่องเงิน", "--district", "Mueang Chiang Mai", "--subdistrict", "หายยา")
    assert r.json()["district"] == "เมืองเชียงใหม่"
    # typos get a "did you mean"
    r = add("กลุ่มใหม่", "--district", "สันทรายย")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: 'สันทรายย' is not a district of Chiang Mai")
    assert "Hint: did you mean: สันทราย" in r.stderr
    r = add("กลุ่มใหม่", "--district", "สันทราย", "--subdistrict", "สันทรายหลวงง")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: 'สันทรายหลวงง' is not a sub-district of สันทราย")
    assert "did you mean: สันทรายหลวง" in r.stderr
    # a sub-district must belong to the group's district
    r = add("กลุ่มใหม่", "--district", "สันทราย", "--subdistrict", "ศรีภูมิ")
    assert r.exit_code == 1
    assert "Hint: ศรีภูมิ is a sub-district of เมืองเชียงใหม่: check the group's district" in r.stderr
    # a district of another province
    r = add("กลุ่มใหม่", "--district", "เรณูนคร")
    assert r.exit_code == 1 and "is not a district of Chiang Mai" in r.stderr
    th = kbo("group", "add", "กลุ่มใหม่", "--district", "สันทราย", "--subdistrict", "ศรีภูมิ", lang_="th")
    assert th.stderr.startswith("ข้อผิดพลาด: 'ศรีภูมิ' ไม่ใช่ตำบล (แขวง) ใน สันทราย")
    assert "คำแนะนำ: ศรีภูมิ เป็นตำบลใน เมืองเชียงใหม่" in th.stderr
    assert sql("SELECT count(*) FROM producer_group") == [(4,)]
    # filters use the same names
    rows = ok(kbo, "group", "list", "--district", "อ.เมือง", "-f", "json").json()
    assert {g["name"] for g in rows} == {"กลุ่มผ้าฝ้ายทอมือ", "กลุ่มเครื่องเงิน"}


def test_editing_a_groups_subdistrict_is_checked(kbo: Invoke) -> None:
    ok(kbo, "init", "--province", "นครพนม")
    ok(kbo, "group", "add", "กลุ่มทอผ้าบ้านโพนทอง", "--district", "เรณูนคร", "--code", "G1")
    r = ok(kbo, "group", "edit", "G1", "--subdistrict", "ต.โพนทอง", "-f", "json")
    assert r.json()["subdistrict"] == "โพนทอง"
    r = kbo("group", "edit", "G1", "--subdistrict", "ขามเฒ่า")
    assert r.exit_code == 1 and "ขามเฒ่า is a sub-district of เมืองนครพนม" in r.stderr
    r = ok(kbo, "group", "edit", "G1", "--district", "เมือง", "--subdistrict", "ขามเฒ่า", "-f", "json")
    assert (r.json()["district"], r.json()["subdistrict"]) == ("เมืองนครพนม", "ขามเฒ่า")
    assert ok(kbo, "group", "show", "G1", "-f", "json").json()["subdistrict"] == "ขามเฒ่า"


def test_without_a_province_any_place_is_accepted(kbo: Invoke) -> None:
    r = ok(kbo, "group", "add", "กลุ่มหนึ่ง", "--district", "อำเภอไหนก็ได้", "--subdistrict", "ตำบลใดก็ได้", "-f", "json")
    assert (r.json()["district"], r.json()["subdistrict"]) == ("อำเภอไหนก็ได้", "ตำบลใดก็ได้")


def test_import_checks_subdistricts(kbo: Invoke, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    ok(kbo, "init", "--province", "48")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "groups"
    sheet.append(["code", "name", "kind", "district", "subdistrict", "village"])
    sheet.append(["G1", "กลุ่มหนึ่ง", None, "อ.เรณูนคร", "ต.โพนทอง", None])
    sheet.append(["G2", "กลุ่มสอง", None, "ธาตุพนม", "ขามเฒ่า", None])
    sheet.append(["G3", "กลุ่มสาม", None, "นาแก", None, None])
    path = tmp_path / "groups.xlsx"
    book.save(path)
    r = kbo("import", str(path))
    assert r.exit_code != 0
    assert "groups, row 3, column subdistrict: 'ขามเฒ่า' is not a sub-district of ธาตุพนม" in r.stderr
    sheet["E3"] = "ฝั่งแดง"
    book.save(path)
    ok(kbo, "import", str(path))
    groups = {g["code"]: g for g in ok(kbo, "group", "list", "-f", "json").json()}
    assert (groups["G1"]["district"], groups["G1"]["subdistrict"]) == ("เรณูนคร", "โพนทอง")
    assert (groups["G2"]["subdistrict"], groups["G3"]["subdistrict"]) == ("ฝั่งแดง", None)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("48", "48"),
        ("๔๘", "48"),
        ("นครพนม", "48"),
        ("จ.นครพนม", "48"),
        ("จังหวัด นครพนม", "48"),
        ("nakhon phanom", "48"),
        ("NakhonPhanom", "48"),
        ("เชียงใหม่", "50"),
        ("10", "10"),
        ("Bangkok", "10"),
        ("พระนครศรีอยุธยา", "14"),
        ("Bueng Kan", "38"),
        ("บึงกาฬ", "38"),
    ],
)
def test_provinces_by_code_or_name(typed: str, code: str) -> None:
    assert places.province(typed).code == code


def test_places_are_imported_only_when_needed() -> None:
    import subprocess
    import sys

    code = "import kbo_cli.cli, kbo_cli.thai.certno, kbo_cli.thai.places, sys; print('geothai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- certificate numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "typed", "canonical"),
    [
        # the common forms of each kind
        ("fda_food", "4820012320001", "48-2-00123-2-0001"),
        ("fda_food", "48-2-00123-2-0001", "48-2-00123-2-0001"),
        ("fda_food", "๔๘-๒-๐๐๑๒๓-๒-๐๐๐๑", "48-2-00123-2-0001"),
        ("fda_food", " 48 2 00123 2 0001 ", "48-2-00123-2-0001"),
        ("fda_food", "10-1-00001-1-0001", "10-1-00001-1-0001"),
        ("tcps", "มผช 60/2546", "มผช. 60/2546"),
        ("tcps", "มผช.๖๐/๒๕๔๖", "มผช. 60/2546"),
        ("tcps", "60/2546", "มผช. 60/2546"),
        ("tcps", "มผช. เลขที่ 1555/2563", "มผช. 1555/2563"),
        ("tcps", "ใบรับรอง มผช. 1555/2563", "มผช. 1555/2563"),
        ("tis", "ใบอนุญาต มอก. เลขที่ 2346-2550", "มอก. 2346-2550"),
        ("tis", "มอก 2346/2550", "มอก. 2346-2550"),
        ("tis", "มอก.๒๓๔๖-๒๕๕๐", "มอก. 2346-2550"),
        ("doa", "กษ 03-9001-48-001-000123", "กษ 03-9001-48-001-000123"),
        ("doa", "03900148001000123", "กษ 03-9001-48-001-000123"),
        ("halal", "4800-1234-5678-9", "4800123456789"),
        ("halal", "480012345678", "480012345678"),
        ("cosmetic_notification", "๔๘๖๐๐๐๑๒๓๔", "48-6-0001234"),
        # FDA food serial numbers: digit 9 is not limited; label prefixes are dropped
        ("fda_food", "13-1-13465-5-0052", "13-1-13465-5-0052"),
        ("fda_food", "เลขสารบบอาหาร 48-2-00312-2-0003", "48-2-00312-2-0003"),
        ("fda_food", "อย. 48-2-00312-2-0003", "48-2-00312-2-0003"),
        ("fda_food", "อย.48-2-00312-2-0003", "48-2-00312-2-0003"),
        ("fda_food", "เลข อย. ๔๘-๒-๐๐๓๑๒-๒-๐๐๐๓", "48-2-00312-2-0003"),
        ("fda_food", "เลขสารบบอาหาร: 4820031220003", "48-2-00312-2-0003"),
        ("fda_food", "FDA 10-3-00001-9-0001", "10-3-00001-9-0001"),
        ("fda_food", "48-2-00123-0-0001", "48-2-00123-0-0001"),
        # herbal (non-food) products: every legal form
        ("herbal", "4860001234", "48-6-0001234"),
        ("herbal", "48-6-0001234", "48-6-0001234"),
        ("herbal", "เลขที่ใบรับจดแจ้ง 10-1-6010012345", "10-1-6010012345"),
        ("herbal", "เลขที่ใบรับจดแจ้ง ๑๐๑๖๐๑๐๐๑๒๓๔๕", "10-1-6010012345"),
        ("herbal", "G 12/65", "G 12/65"),
        ("herbal", "g12/65", "G 12/65"),
        ("herbal", "ทะเบียนยาเลขที่ G 309/62", "G 309/62"),
        ("herbal", "เลขทะเบียนที่ G ๓๐๙/๖๒", "G 309/62"),
        ("herbal", "G 12/2565", "G 12/65"),
        ("herbal", "Reg. No. K 15/42", "K 15/42"),
        ("herbal", "ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร 65-1-00012", "ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร 65-1-00012"),
        ("herbal", "เลขที่ใบรับจดแจ้ง สมุนไพร ๖๕-๑-๐๐๐๑๒", "ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร 65-1-00012"),
        ("herbal", "ใบรับแจ้งรายละเอียด 65-2-00034", "ใบรับแจ้งรายละเอียดผลิตภัณฑ์สมุนไพร 65-2-00034"),
        ("cosmetic_notification", "486-000-1234", "48-6-0001234"),
        # GMP numbers are normalised too
        ("gmp", "GMP ๔๘-๒-๐๐๕๖๑", "GMP 48-2-00561"),
        ("gmp", "gmp 48200561", "GMP 48-2-00561"),
        ("gmp", "๔๘-๒-๐๐๕๖๑", "GMP 48-2-00561"),
        ("gmp", "Primary GMP ๔๘๒๐๐๕๖๑", "Primary GMP 48-2-00561"),
        ("gmp", "GMP 420 เลขที่ ๔๘-๒-๐๐๒๑๗-๒๕๖๖", "GMP 420 เลขที่ 48-2-00217-2566"),
        # multi-part มอก.
        ("tis", "มอก. 1238 เล่ม 2-2561", "มอก. 1238 เล่ม 2-2561"),
        ("tis", "มอก.๑๒๓๘ เล่ม ๒-๒๕๖๑", "มอก. 1238 เล่ม 2-2561"),
        ("tis", "มอก 1238เล่ม2 - 2561", "มอก. 1238 เล่ม 2-2561"),
        ("tis", "TIS 1238 part 2-2561", "มอก. 1238 เล่ม 2-2561"),
        ("tis", "มอก. 2346-2550", "มอก. 2346-2550"),
        # DOA codes: AC for export, a trailing standard
        ("doa", "AC 03-9001-48-001-000123", "AC 03-9001-48-001-000123"),
        ("doa", "ac ๐๓-๙๐๐๑-๔๘-๐๐๑-๐๐๐๑๒๓", "AC 03-9001-48-001-000123"),
        ("doa", "กษ 03-9001-48-001-000123 GAP", "กษ 03-9001-48-001-000123 GAP"),
        ("doa", "กษ 03-9001-48-001-000123-gap", "กษ 03-9001-48-001-000123 GAP"),
        ("doa", "AC 01-9000-50-002-000873 Organic", "AC 01-9000-50-002-000873 ORGANIC"),
        ("doa", "ก.ษ. 03-9001-48-001-000123", "กษ 03-9001-48-001-000123"),
        # Halal
        ("halal", "ฮาลาล 0700-4501-2056-6", "0700450120566"),
        ("halal", "๐๗๐๐๔๕๐๑๒๐๕๖๖", "0700450120566"),
        # free text: Thai digits become ASCII like everywhere else
        ("free", "ฉลากผ่านการตรวจ ครั้งที่ ๒", "ฉลากผ่านการตรวจ ครั้งที่ 2"),
    ],
)
def test_certificate_numbers_as_printed(fmt: str, typed: str, canonical: str) -> None:
    assert certno.normalize_cert(fmt, typed) == canonical
    assert certno.normalize_cert(fmt, canonical) == canonical  # a canonical number stays as it is


@pytest.mark.parametrize(
    ("fmt", "typed"),
    [
        ("fda_food", "48-9-00123-2-0001"),  # kind of site must be 1-4
        ("fda_food", "99-2-00123-2-0001"),  # no province 99
        ("fda_food", "เลขสารบบอาหาร 48-2-00312-2-003"),  # 12 digits
        ("fda_food", "อย. 48-2-0012x-2-0001"),
        ("fda_food", "48-2-00312-2-0003 อย."),
        ("fda_food", "48-5-00123-2-0001"),  # kind of site must be 1-4
        ("fda_food", "48-2-00123-2-001"),  # 12 digits
        ("herbal", "A 12/35"),  # a modern medicine, not a herbal product
        ("herbal", "G 12"),
        ("herbal", "G 12/5"),
        ("herbal", "ใบรับจดแจ้ง 12345"),  # a cosmetic notification has 10 or 13 digits
        ("herbal", "ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร"),
        ("herbal", "ใบรับแจ้งรายละเอียด ก-ข"),
        ("herbal", "ยาหม่อง"),
        ("cosmetic_notification", "G 12/65"),
        ("tcps", "มผช. 60/46"),
        ("tis", "มอก. 1238 เล่ม 2"),
        ("tis", "มอก. 1238 เล่ม -2561"),
        ("tis", "2346"),
        ("doa", "XY 03-9001-48-001-000123"),
        ("doa", "AC 03-9001-99-001-000123"),
        ("doa", "กษ 03-9001-48-001-00012"),
        ("doa", "กษ 03-9001-48-001-000123 มาตรฐาน"),
        ("doa", "กษ 03-9001-99-001-000123"),
        ("halal", "ฮาลาล 12345"),
        ("halal", "ฮาลาล 0700-4501-2056-6x"),
        ("halal", "12345"),
        ("gmp", "GMP"),
        ("gmp", "ผ่านแล้ว"),
        ("tcps", "มผช. 8/2600"),  # a standard of a year to come
        ("tis", "มอก. 2346-2650"),
        ("tcps", "มผช. 0/2546"),  # standards are numbered from 1
    ],
)
def test_impossible_certificate_numbers_are_refused(fmt: str, typed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        certno.normalize_cert(fmt, typed)
    assert "is not a valid certificate number" in info.value.message
    assert "for example" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("4860001234", certno.COSMETIC_NOTIFICATION),
        ("10-1-6010012345", certno.COSMETIC_NOTIFICATION),
        ("G 12/65", certno.HERBAL_REGISTRATION),
        ("ทะเบียนยาเลขที่ K 15/42", certno.HERBAL_REGISTRATION),
        ("ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร 65-1-00012", certno.HERBAL_NOTIFICATION),
        ("ใบรับแจ้งรายละเอียด 65-2-00034", certno.HERBAL_DETAILED_NOTIFICATION),
        ("A 12/35", None),
        ("ยาหม่อง", None),
        ("", None),
    ],
)
def test_herbal_kind_says_which_legal_form(typed: str, kind: str | None) -> None:
    assert certno.herbal_kind(typed) == kind


def test_fda_explanation_says_unknown_for_digits_it_cannot_explain() -> None:
    parts = dict(certno.explain_cert("fda_food", "13-1-13465-5-0052"))
    assert parts["Province of the site"] == "13 Pathum Thani"
    assert parts["Kind of site"] == "producer licensed by the FDA centrally"
    assert parts["Number issued by"] == "unknown (5)"
    assert parts["Product serial"] == "0052"
    assert parts["Site licence"] == "13465 (probably licensed in 2565)"  # a second-hand reading: said as one
    provincial = dict(certno.explain_cert("fda_food", "48-2-00123-2-0001"))
    assert provincial["Number issued by"] == "the provincial public health office"
    assert provincial["Site licence"] == "00123 (probably licensed in 2523)"
    # before the Food Act of B.E. 2522 no site was licensed under it: the last digits are not a year there
    assert dict(certno.explain_cert("fda_food", "48-2-00412-2-0002"))["Site licence"] == "00412"


def test_halal_explanation_starts_with_the_product_category() -> None:
    parts = certno.explain_cert("halal", "0700450120566")
    assert parts[0] == ("Product category", "07")
    assert all("Province" not in label for label, _ in parts)
    assert certno.FORMATS["halal"].example[:2] != "48"  # the example no longer suggests a province


def test_doa_explanation() -> None:
    parts = dict(certno.explain_cert("doa", "AC 03-9001-48-001-000123 GAP"))
    assert parts["Province"] == "48 Nakhon Phanom"
    assert parts["Certificate for"] == "export (AC)" and parts["Standard"] == "GAP"


def test_certificate_numbers_on_the_command_line(products: Invoke, sql) -> None:  # type: ignore[no-untyped-def]
    r = certify(products, "F1", "อย.", "13-1-13465-5-0052", "-f", "json")
    assert r.json()["entries"][0]["certificate_no"] == "13-1-13465-5-0052"
    table = ok(products, "checklist", "show", "F1").stdout
    assert "Number issued by" in table and "unknown (5)" in table and "13 Pathum Thani" in table
    ok(products, "checklist", "set", "F1", "fda", "--cert", "เลขสารบบอาหาร 48-2-00312-2-0003")
    certify(products, "F1", "gmp", "GMP ๔๘-๒-๐๐๕๖๑", "--issued", "19/01/66")
    entries = {e["standard"]: e for e in ok(products, "checklist", "show", "F1", "-f", "json").json()["entries"]}
    assert entries["fda"]["certificate_no"] == "48-2-00312-2-0003"
    assert (entries["gmp"]["certificate_no"], entries["gmp"]["expires_on"]) == ("GMP 48-2-00561", None)  # no validity
    # a balm's traditional-medicine registration is a legal อย. form for the herbal category
    certify(products, "H1", "fda", "ทะเบียนยาเลขที่ G 12/65", "--issued", "1 มิ.ย. 65")
    h1 = ok(products, "checklist", "show", "H1", lang_="th").stdout
    assert "G 12/65" in h1 and "ทะเบียนตำรับผลิตภัณฑ์สมุนไพรหรือยาแผนโบราณ" in h1 and "ผลิตในประเทศ" in h1
    ok(products, "checklist", "set", "H1", "fda", "--cert", "เลขที่ใบรับจดแจ้ง 10-1-6010012345")
    assert "ใบรับจดแจ้งเครื่องสำอาง" in ok(products, "checklist", "show", "H1", lang_="th").stdout
    certify(products, "P1", "tis", "มอก. ๑๒๓๘ เล่ม ๒-๒๕๖๑")
    r = products("checklist", "set", "H1", "fda", "--cert", "A 12/35", lang_="th")
    assert r.exit_code == 2 and r.stderr.startswith("ข้อผิดพลาด: 'A 12/35'") and "G 12/65" in r.stderr
    assert sql(
        "SELECT certificate_no FROM checklist_entry WHERE certificate_no IS NOT NULL ORDER BY certificate_no"
    ) == [("10-1-6010012345",), ("48-2-00312-2-0003",), ("GMP 48-2-00561",), ("มอก. 1238 เล่ม 2-2561",)]


def test_gmp_has_no_validity_and_halal_and_gmp_sources_are_honest() -> None:
    from kbo_cli.reference import catalog

    standards = catalog.standards()
    assert standards["gmp"].validity_months("food") == 0
    assert standards["gmp"].cert_format("food") == "gmp"
    assert standards["fda"].cert_format("herbal") == "herbal"
    assert "no public source" in standards["gmp"].source
    assert "product category" in standards["halal"].source
    for std in standards.values():
        for category in std.applies:
            assert std.cert_format(category) in certno.FORMATS, (std.code, category)


def test_a_numbers_explanation_written_to_a_file_is_whole(products: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """Output redirected to a file (as officials on Windows do) is not squeezed into 80 columns: labels and
    values whole, Thai words unbroken, a title on one line."""
    monkeypatch.delenv("COLUMNS")  # as a file or a pipe is: no width
    r = ok(products, "checklist", "set", "H1", "อย.", "--cert", "G 12/65", lang_="th")
    assert "…" not in r.stdout
    whole = "ทะเบียนตำรับผลิตภัณฑ์สมุนไพรหรือยาแผนโบราณ (พ.ร.บ. ผลิตภัณฑ์สมุนไพร พ.ศ. 2562; ก่อนหน้านั้น พ.ร.บ. ยา)"
    assert whole in r.stdout  # to its last character: the block is as wide as its widest line
    labels = [line.split()[0] for line in r.stdout.splitlines()[1:] if line.startswith(" ")]
    assert "ลำดับทะเบียน" in labels and "ปีที่ขึ้นทะเบียน" in labels, r.stdout
    r = ok(products, "checklist", "set", "F1", "gap", "--cert", "กษ 03-9001-48-001-000123", lang_="th")
    assert "เลข GAP กษ 03-9001-48-001-000123" in r.stdout.splitlines()


@pytest.mark.parametrize(
    ("typed", "expires"),
    [
        ("4860001234", "2569-06-14"),  # a cosmetic notification: valid 3 years
        ("ทะเบียนยาเลขที่ G 12/65", None),  # a traditional-medicine registration: no validity is cited
        ("ใบรับแจ้งรายละเอียด 65-2-00034", None),  # a Herbal Products Act form: none either
    ],
)
def test_a_herbal_numbers_expiry_follows_its_legal_form(products: Invoke, typed: str, expires: str | None) -> None:
    """Only the cosmetic notification has a validity in the sources; the other herbal อย. forms get no made-up
    expiry (a registration counted as expired after 3 years made the product a gap and ineligible)."""
    ok(products, "checklist", "set", "H1", "อย.", "--status", "certified", "--cert", typed, "--issued", "15/06/2566")
    (entry,) = [
        e for e in ok(products, "checklist", "show", "H1", "-f", "json").json()["entries"] if e["standard"] == "fda"
    ]
    assert entry["expires_on"] == (thaidate.parse_date(expires).isoformat() if expires else None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15 มีนา 2569", date(2026, 3, 15)),
        ("๑ ธันวา ๖๘", date(2025, 12, 1)),
        ("3 พฤศจิกา 69", date(2026, 11, 3)),
        ("วันที่ 9 กุมภา พ.ศ. 2567", date(2024, 2, 9)),
    ],
)
def test_months_as_they_are_said(typed: str, expected: date) -> None:
    """มีนา, ธันวา…: the full name without its ending, as officials say and often write it."""
    assert thaidate.parse_date(typed) == expected


def test_a_herbal_expiry_follows_the_number_whenever_it_is_given(products: Invoke) -> None:
    """The issue date first, the number later: the number's form still decides; a number changed to a form with
    no validity takes away the expiry computed for the old one (a typed expiry would have stayed)."""

    def fda() -> tuple[str | None, str | None]:
        (entry,) = [
            e for e in ok(products, "checklist", "show", "H1", "-f", "json").json()["entries"] if e["standard"] == "fda"
        ]
        return entry["certificate_no"], entry["expires_on"]

    ok(products, "checklist", "set", "H1", "อย.", "--status", "certified", "--issued", "15/06/2566")
    assert fda() == (None, None)
    ok(products, "checklist", "set", "H1", "อย.", "--cert", "4860001234")
    assert fda() == ("48-6-0001234", "2026-06-14")
    ok(products, "checklist", "set", "H1", "อย.", "--cert", "G 12/65")
    assert fda() == ("G 12/65", None)
    ok(products, "checklist", "set", "H1", "อย.", "--expires", "14/06/2570")
    ok(products, "checklist", "set", "H1", "อย.", "--cert", "G 13/65")
    assert fda() == ("G 13/65", "2027-06-14")  # typed, not computed: kept
    ok(products, "checklist", "set", "H1", "อย.", "--cert", "4860001234", "--expires", "31/12/2569")
    ok(products, "checklist", "set", "H1", "อย.", "--cert", "4860001234")  # the same number again (an import)
    assert fda() == ("48-6-0001234", "2026-12-31")  # the typed expiry stays


@pytest.mark.parametrize(
    ("typed", "status"),
    [("รับรองแล้ว", "certified"), ("ได้รับการรับรองแล้ว", "certified"), ("รอผล", "submitted"), ("รอผลตรวจ", "submitted")],
)
def test_statuses_as_officers_write_them(products: Invoke, typed: str, status: str) -> None:
    args = ("--cert", "มผช. เลขที่ 1555/2563", "--issued", "วันจันทร์ที่ 16 มีนาคม 2569") if status == "certified" else ()
    ok(products, "checklist", "set", "H1", "มผช.", "--status", typed, *args)
    (entry,) = [
        e for e in ok(products, "checklist", "show", "H1", "-f", "json").json()["entries"] if e["standard"] == "tcps"
    ]
    assert entry["status"] == status
    if args:
        assert (entry["certificate_no"], entry["issued_on"]) == ("มผช. 1555/2563", "2026-03-16")
