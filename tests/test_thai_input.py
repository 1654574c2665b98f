"""Thai input the way officials really write it (issue 13): two-digit Buddhist-Era years and `ปี 66`,
Thai digits in numbers, certificate numbers as printed on labels, names with typing slips, and the
districts and sub-districts of every province."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest

from conftest import Invoke
from kbo_cli.errors import InvalidValue
from kbo_cli.thai import dates as thaidate
from kbo_cli.thai import numbers, textnorm


def ok(kbo: Invoke, *args: str, lang_: str | None = None):  # type: ignore[no-untyped-def]
    r = kbo(*args, lang_=lang_)
    assert r.exit_code == 0, (args, r.stderr)
    return r


@pytest.fixture
def products(kbo: Invoke, np_group: str) -> Invoke:
    ok(kbo, "product", "add", "ผ้าฝ้ายย้อมครามลายขิด", "--group", "DD01", "--category", "textile", "--code", "P1")
    ok(kbo, "product", "add", "น้ำพริกปลาร้าบอง", "--group", "DD01", "--category", "food", "--code", "F1")
    ok(kbo, "product", "add", "ยาหม่องไพล", "--group", "DD01", "--category", "herbal", "--code", "H1")
    return kbo


# --- dates: two-digit Buddhist-Era years -------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
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
    ("1/10/67", date(2024, 10, 1)),        # the first day of fiscal year 2568
    ("31/12/99", date(2056, 12, 31)),      # 99 is 2599, never 1999
    ("1/1/00", date(1957, 1, 1)),          # 00 is 2500
    ("29/02/67", date(2024, 2, 29)),       # 2567 = 2024, a leap year
])
def test_two_digit_years_are_buddhist_era(typed: str, expected: date) -> None:
    assert thaidate.parse_date(typed) == expected


@pytest.mark.parametrize(("typed", "reason"), [
    ("19/01/566", "four digits"),
    ("19/01/02566", "four digits"),
    ("19 ม.ค. ค.ศ. 23", "a two-digit year is read as Buddhist Era"),
    ("29/02/66", "no such day"),           # 2566 = 2023, not a leap year
    ("19 ม.ค. พ.ศ. 2023", "out of range"),
])
def test_years_that_cannot_be_read(typed: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as info:
        thaidate.parse_date(typed)
    assert reason in info.value.message
    assert "19/01/66" in (info.value.hint or "")


@pytest.mark.parametrize(("typed", "year"), [
    ("2566", 2566), ("๒๕๖๖", 2566), ("พ.ศ. 2566", 2566), ("พ.ศ.๒๕๖๖", 2566), ("พศ 2566", 2566),
    ("ปี 66", 2566), ("ปี ๖๖", 2566), ("ปี 2566", 2566), ("66", 2566), ("  66 ", 2566), ("2023", 2566),
    ("ค.ศ. 2023", 2566), ("B.E. 2567", 2567), ("1900", 2443), ("2399", 2942), ("2400", 2400), ("00", 2500),
])
def test_parse_year(typed: str, year: int) -> None:
    assert thaidate.parse_year(typed) == year


@pytest.mark.parametrize("typed", [
    "", "ปี", "abc", "6", "566", "02566", "1899", "3000", "พ.ศ. 2023", "ค.ศ. 66", "ค.ศ. 2566", "2566.0", "-66",
    "2,566", "66 ปี", "๒๕๖๖ก",
])
def test_parse_year_refuses(typed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        thaidate.parse_year(typed)
    assert "is not a year" in info.value.message
    assert "ปี 66" in (info.value.hint or "")


def test_two_digit_years_on_the_command_line(products: Invoke) -> None:
    r = ok(products, "checklist", "set", "P1", "tcps", "--status", "certified", "--cert", "มผช. 8/2546",
           "--issued", "19 ม.ค. 66", "-f", "json")
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

@pytest.mark.parametrize(("typed", "value"), [
    ("12", 12), ("๑๒", 12), (" 7 ", 7), ("-3", -3), ("−3", -3), ("1,200", 1200), ("๑,๒๐๐", 1200), ("0", 0),
    ("๒๕๖๖", 2566), ("1,234,567", 1234567), ("123456789012345678", 123456789012345678), ("007", 7),
])
def test_parse_int(typed: str, value: int) -> None:
    assert numbers.parse_int(typed) == value


@pytest.mark.parametrize(("typed", "value"), [
    ("22.5", Decimal("22.5")), ("๒๒.๕", Decimal("22.5")), ("22", Decimal("22")), ("๑,๒๐๐.๕๐", Decimal("1200.50")),
    ("-0.5", Decimal("-0.5")), (".5", Decimal("0.5")), (" 40 ", Decimal("40")), ("0.1", Decimal("0.1")),
])
def test_parse_decimal(typed: str, value: Decimal) -> None:
    result = numbers.parse_decimal(typed)
    assert result == value and isinstance(result, Decimal)


BAD_NUMBERS = ["", " ", "-", "abc", "12a", "๑๒ก", "1e5", "1E5", "nan", "NaN", "inf", "-inf", "Infinity", "1_000",
               "+5", "1 200", "1,2", "12,34", "0x10", "1234567890123456789", "٣", "½", "1..5", "5."]


@pytest.mark.parametrize("typed", BAD_NUMBERS + ["1.5", "๒๒.๕"])
def test_parse_int_refuses(typed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        numbers.parse_int(typed)
    assert "is not a whole number" in info.value.message and "๑๒" in (info.value.hint or "")


@pytest.mark.parametrize("typed", BAD_NUMBERS + ["1.2.3", "1.5e3", "123456789.0123456789"])
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
    ("เเปลก", "แปลก"),                          # two sara e for sara ae
    ("ข้าวเเต๋น", "ข้าวแต๋น"),
    ("เเม่บ้าน", "แม่บ้าน"),
    ("กา่", "ก่า"),                               # tone mark typed after sara aa
    ("ปลาส้มบ้านนา่", "ปลาส้มบ้านน่า"),
    ("นำ้พริก", "น้ำพริก"),                       # tone mark typed after sara am
    ("น\u0e4d\u0e32พริก", "น\u0e33พริก"),         # sara am as nikhahit + sara aa
    ("น\u0e49\u0e4d\u0e32", "น\u0e49\u0e33"),
    ("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e33"),
    ("ก\u0e48\u0e35", "ก\u0e35\u0e48"),           # tone typed before the upper vowel
    ("ก่้", "ก้"),                                # two different tone marks: the last one typed
    ("ก้่า", "ก่า"),
    ("ก้ี่", "กี่"),
    ("ไม้้", "ไม้"),                               # doubled marks
    ("ไก่่", "ไก่"),
    ("ดีีี", "ดี"),
    ("นานาาา", "นานา"),
    ("กๅ", "กา"),                                 # lakkhangyao for sara aa
    ("ฤๅษี", "ฤๅษี"),                             # ... but not after ฤ
    ("พ ุ่มดอกไม้", "พุ่มดอกไม้"),                 # a space before a mark
    ("คำ ่ที่สอง", "คำ ที่สอง"),                  # a mark left dangling after a space
    ("่ผ้าทอ", "ผ้าทอ"),
    ("ผ้า\u200bคราม", "ผ้าคราม"),                 # zero-width space
    ("  ผ้า   คราม ", "ผ้า คราม"),
    ("ศักดิ์", "ศักดิ์"), ("กลุ่มทอผ้าย้อมครามบ้านดอนแดง", "กลุ่มทอผ้าย้อมครามบ้านดอนแดง"),
    ("ยาหม่องไพล", "ยาหม่องไพล"), ("น้ำพริกปลาร้าบอง", "น้ำพริกปลาร้าบอง"), ("Sabai OTOP", "Sabai OTOP"),
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


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_clean_text_is_fast_on_long_input(text: str) -> None:
    start = time.perf_counter()
    textnorm.clean_text(text)
    assert time.perf_counter() - start < 1.0  # linear: about 0.1 s; a quadratic rule would take minutes


def test_names_with_slips_find_the_same_record(kbo: Invoke, np_group: str) -> None:
    ok(kbo, "product", "add", "ข้าวแต๋นน้ำแตงโม", "--group", "DD01", "--category", "food", "--code", "KT1")
    for typed in ("ข้าวเเต๋นน้ำแตงโม", "ข้าวแต๋นนำ้แตงโม", "ข้าวแต๋น\u200bน้ำแตงโม", "ข้าวแต่๋นน้ำแตงโม"):  # the last tone typed wins
        assert ok(kbo, "product", "show", typed, "-f", "json").json()["code"] == "KT1", typed
    r = kbo("product", "add", "ข้าวเเต๋นนำ้แตงโม", "--group", "DD01", "--category", "food")
    assert r.exit_code == 1 and "already has a product named 'ข้าวแต๋นน้ำแตงโม' (KT1)" in r.stderr
    r = ok(kbo, "group", "add", "กลุ่มเเม่บ้านนา่อยู่", "--district", "นาแก", "-f", "json")
    assert r.json()["name"] == "กลุ่มแม่บ้านน่าอยู่"
