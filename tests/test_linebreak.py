"""Where Thai text may break: ICU's dictionary, kbo's reviewed list of the words it splits wrongly
(data/thai_words.toml), and the spelling rule that no piece starts with a following vowel, ends with a leading
one or is a consonant alone. The screens and pages that use this are tested in test_screens and test_brief."""

from __future__ import annotations

import re

import geothai
import pytest

from kbo_cli.reference.resources import load_toml
from kbo_cli.render.html import break_hints, unhinted
from kbo_cli.render.linebreak import segments, wrap

#: a piece that Thai spelling forbids on its own (see kbo_cli.render.linebreak)
FORBIDDEN = re.compile(
    "^[\u0e30-\u0e3a\u0e45-\u0e4e]|^ฯ(?!ลฯ)"  # starts with a vowel or mark written after its consonant, ๆ or ฯ
    "|[\u0e40-\u0e44\u0e31]$"  # ends with a vowel written before it, or with ั
    "|^[\u0e01-\u0e12\u0e14-\u0e2e]$"  # a consonant alone
)


def pieces(text: str) -> str:
    return "|".join(piece.rstrip() for piece in segments(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ICU: การ|ลงพื้น|ที่|ครั้ง|ล่าสุด (the field visit, in headers, messages and the brief)
        ("การลงพื้นที่ครั้งล่าสุด", "การ|ลงพื้นที่|ครั้ง|ล่าสุด"),
        ("วันที่ลงพื้นที่", "วัน|ที่|ลงพื้นที่"),
        ("งานในพื้นที่", "งาน|ใน|พื้นที่"),
        # ICU: ข้าว|ฮา|งง|อก|หอม|มะลิ (the demo's first candidate)
        ("ข้าวฮางงอกหอมมะลิ", "ข้าว|ฮาง|งอก|หอม|มะลิ"),
        ("ชาตะไคร้ใบเตย", "ชา|ตะไคร้|ใบ|เตย"),
        ("น้ำปลาร้าบอง", "น้ำ|ปลาร้า|บอง"),
        ("ส่งตัวอย่างตรวจที่", "ส่ง|ตัวอย่าง|ตรวจ|ที่"),
        ("ขอรับรองขมิ้นชันอินทรีย์", "ขอ|รับรอง|ขมิ้น|ชัน|อินทรีย์"),
        ("ระบุอย่างน้อยหนึ่งช่อง", "ระบุ|อย่าง|น้อย|หนึ่ง|ช่อง"),
        ("ไม่นำเข้าชีตนี้", "ไม่|นำ|เข้า|ชีต|นี้"),
        ("ผ้าทอมือออร์แกนิก", "ผ้า|ทอ|มือ|ออร์แกนิก"),
        ("(ไม่นับในตัวหาร)", "(ไม่|นับ|ใน|ตัวหาร)"),  # no line starts with the bracket that closes a word of the list
        # places: หนอง as ICU cuts it (หน|อง), and pieces the spelling rule puts back together
        ("หนองบุนนาก", "หนอง|บุนนาก"),  # ICU: หน|อง|บุ|น|นาก
        ("ละเอาะ", "ละ|เอาะ"),  # ICU: ละ|เอา|ะ
        ("ปากฉลุย", "ปาก|ฉลุย"),  # ICU: ปาก|ฉลุ|ย
        # a title and a name ICU reads as other words (นา|งอ|รุณี, นาง|สา|วอรทัย)
        ("นางอรุณี พรหมมา", "นาง|อรุณี|พรหม|มา"),
        ("กรรมการ (นางสาวอรทัย)", "กรรมการ|(นางสาว|อร|ทัย)"),
        ("kbo committee add 'นางอรุณี พรหมมา'", "kbo|committee|add|'นาง|อรุณี|พรหม|มา'"),  # a command in history
        ("นายกเทศมนตรี", "นายก|เทศมนตรี"),  # not a title: ICU does not cut นาย, so the word stands
        ("นางงาม", "นางงาม"),
        # ๆ and ฯ stay with the word they repeat or shorten, a space between or not
        ("หนึ่งๆ", "หนึ่งๆ"),
        ("วันละ ๆ ครั้ง", "วัน|ละ ๆ|ครั้ง"),
        ("กรุงเทพฯ ฯลฯ", "กรุงเทพฯ|ฯลฯ"),
        # what ICU gets right stays as it was, a word of the list in it or not
        ("หนองคาย", "หนองคาย"),
        ("ผ้าฝ้ายย้อมคราม", "ผ้า|ฝ้าย|ย้อม|คราม"),
        ("ใบรับรองที่เลยวันหมดอายุ", "ใบ|รับรอง|ที่|เลย|วัน|หมดอายุ"),  # หมดอายุ: a term of kbo's, kept whole
        ("กลุ่มผู้ผลิต", "กลุ่ม|ผู้ผลิต"),  # ICU: กลุ่ม|ผู้|ผลิต, which a header wrapped as กลุ่มผู้ / ผลิต
        ("ณ วันที่", "ณ|วัน|ที่"),  # ณ is a word of one letter
        ("ก. ข.", "ก.|ข."),  # letters with a dot, apart, are abbreviations
        ("OTOP ข้าวเกรียบ", "OTOP|ข้าว|เกรียบ"),
    ],
)
def test_thai_breaks_between_words(text: str, expected: str) -> None:
    assert pieces(text) == expected


def test_every_reviewed_word_breaks_as_the_list_writes_it() -> None:
    words = load_toml("thai_words.toml")["words"]
    assert len(words) == len(set(words))
    for entry in words:
        assert pieces(entry.replace("|", "")) == entry, entry
        assert pieces(f"มี{entry.replace('|', '')} แล้ว").endswith(f"{entry}|แล้ว"), entry


def test_a_word_of_the_list_is_not_found_where_a_vowel_joins_it_to_its_neighbours() -> None:
    # เ before หนอง, and ะ after ตัวอย่าง, belong to the letters beside them: no break is made there
    assert "เหนอง" in pieces("ทะเลเหนองาม").replace("|", "") and "|หนอง" not in pieces("ทะเลเหนองาม")
    assert pieces("ชีตา") == "|".join(p.rstrip() for p in segments("ชีตา"))
    assert not any(FORBIDDEN.search(p.rstrip()) for p in segments("บันทึกะ"))


def test_no_place_name_is_cut_into_pieces_thai_spelling_forbids() -> None:
    """All 77 provinces, 928 districts and 7,436 sub-districts: ICU alone leaves 116 of them with a piece such as
    `ย` or `ะ` alone on a line."""
    names = {p.name_th for p in geothai.provinces()}
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            names.add(district.name_th)
            names.update(s.name_th for s in geothai.subdistricts(district.code))
    bad = [pieces(n) for n in sorted(names) if any(FORBIDDEN.search(p.rstrip()) for p in segments(n))]
    assert not bad, bad[:10]
    assert "".join(segments("หนองบุนนาก")) == "หนองบุนนาก"


def test_a_wrapped_line_never_ends_inside_a_word_of_the_list() -> None:
    assert wrap("นัดลงพื้นที่ติดตาม", 6) == ["นัด", "ลงพื้นที่", "ติดตาม"]
    assert wrap("ข้าวฮางงอกหอมมะลิ", 6) == ["ข้าวฮาง", "งอกหอม", "มะลิ"]


def test_a_page_breaks_where_the_terminal_does() -> None:
    """A browser breaks Thai with its own ICU: the page marks where kbo breaks (`<wbr>`) and keeps whole a piece in
    which ICU alone would break; neither is a character, so the page's text searches and copies as typed."""
    hinted = break_hints("ข้าวฮางงอก")
    assert hinted == 'ข้าว<wbr><span class="w">ฮาง</span><wbr><span class="w">งอก</span>'
    assert unhinted(hinted) == "ข้าวฮางงอก"
    assert break_hints("ใช้ --wide หรือ") == 'ใช้ <span class="w">--wide</span> หรือ'  # an option stays whole
    assert break_hints("ผ้า <ไหม> & ฝ้าย") == "ผ้า &lt;ไหม&gt; &amp; ฝ้าย"
    assert break_hints("") == ""


def test_a_long_text_of_forbidden_pieces_is_set_right_whole() -> None:
    """Every forbidden piece of a long note goes, in passes over the whole text (one at a time, each reading the
    text again, took 0.4 s for these 4,200 letters)."""
    pieces = segments.__wrapped__("ละเอาะ" * 700)
    assert "".join(pieces) == "ละเอาะ" * 700
    assert not any(FORBIDDEN.search(p.rstrip()) for p in pieces)
