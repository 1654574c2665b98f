"""Thai text as people type it: cleaning, matching keys, and Thai dictionary order.

Thai typing produces invisible differences: sara am (ำ) typed as nikhahit + sara aa (ํ + า), tone marks
and upper vowels typed in either order or twice, zero-width characters, extra spaces, and the common slips
`เเ` (two sara e) for `แ`, a tone mark typed after sara aa (`กา่` for `ก่า`), two different tone marks on
one consonant (the last one typed is kept), lakkhangyao (ๅ) for sara aa, and marks left dangling after a
space. `clean_text` fixes them (what kbo stores); `name_key` adds case folding (what kbo matches on).
The rules match PyThaiNLP's `pythainlp.util.normalize` (tests/test_thai_input.py compares the two), without
importing it: kbo starts faster, and every rule here runs in linear time, whatever the input's length.
NFKC is never used: it would split sara am into the pair. `thai_sort_key` sorts in Thai dictionary order:
the leading vowels เ แ โ ใ ไ sort by the consonant that follows, tone marks only break ties.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_E = "\u0e40"
SARA_AE = "\u0e41"
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONSONANTS = "\u0e01-\u0e23\u0e25\u0e27-\u0e2e"  # ก-ฮ without the vowels ฤ ฦ
#: marks written above or below a consonant: vowels first, then tone marks, then the others
_VOWEL_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e4d"
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_OTHER_MARKS = "\u0e4c\u0e4e"
_MARKS = _VOWEL_MARKS + _TONE_MARKS + _OTHER_MARKS
_MARK_RANK = dict.fromkeys(_VOWEL_MARKS, 0) | dict.fromkeys(_TONE_MARKS, 1) | dict.fromkeys(_OTHER_MARKS, 2)
_MARK_RUN = re.compile(f"[{_MARKS}]{{2,}}")
#: vowels written after the consonant: sara a, sara aa, sara am, lakkhangyao
_FOLLOW_VOWELS = "\u0e30\u0e32\u0e33\u0e45"
_LEAD_VOWELS = "\u0e40-\u0e44"
# a mark typed after a space that follows a lone consonant: `พ ุ่ม` (not after a vowel + consonant)
_SPACE_BEFORE_MARK = re.compile(
    f"([{_CONSONANTS}])(?<![\u0e24\u0e26\u0e30-\u0e39\u0e40-\u0e45\u0e47\u0e4d][{_CONSONANTS}]) ([{_MARKS}])"
)
# sara am typed in pieces: nikhahit (with tone marks before sara aa) followed by sara aa
_SPLIT_AM = re.compile(f"{NIKHAHIT}([{_TONE_MARKS}]*){SARA_AA}")
# tone marks typed after a following vowel: `กา่` -> `ก่า`, `นำ้` -> `น้ำ`
# (only from the start of a run of vowels, and possessive, so that a long run is scanned once: linear time)
_TONE_AFTER_VOWEL = re.compile(f"(?<![{_FOLLOW_VOWELS}])([{_FOLLOW_VOWELS}]++)([{_TONE_MARKS}]+)")
# lakkhangyao after a letter is sara aa, except after ฤ and ฦ
_LAKKHANGYAO = re.compile("([^\u0e24\u0e26])\u0e45")
# a vowel or sign typed twice (spaces between the two copies are dropped too); tone marks: see _order_marks
_REPEATED = re.compile(f"([{_FOLLOW_VOWELS}{_LEAD_VOWELS}{_VOWEL_MARKS}{_OTHER_MARKS}])(?: *\\1)+")
# marks with no consonant to sit on: at the start, or after a space
_DANGLING = re.compile(f"(^| )[{_MARKS}]+")
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")


def _order_marks(match: re.Match[str]) -> str:
    """The marks on one consonant in order (vowels, tone, others), each once, and only the last tone typed."""
    marks = match.group(0)
    tones = [m for m in marks if _MARK_RANK[m] == 1]
    seen: list[str] = []
    for mark in sorted(marks, key=lambda c: _MARK_RANK[c]):
        if _MARK_RANK[mark] == 1:
            mark = tones[-1]  # two different tone marks: the last one typed wins
        if mark not in seen:  # a doubled mark is invisible: keep one
            seen.append(mark)
    return "".join(seen)


#: where a rule of `clean_text` could apply (each rule's pattern needs one of these): a zero-width character,
#: nikhahit, lakkhangyao, a mark at the start or after a space, marks on one consonant that `_order_marks`
#: would change (out of order, two tone marks, one mark twice), a tone mark after a following vowel, a vowel
#: or sign typed twice
_MAY_CHANGE = re.compile(
    f"[\u200b\u200c\u200d\u2060\ufeff\u00ad{NIKHAHIT}\u0e45]|(?:^| )[{_MARKS}]"
    f"|[{_TONE_MARKS}][{_VOWEL_MARKS}]|[{_OTHER_MARKS}][{_VOWEL_MARKS}{_TONE_MARKS}]"
    f"|[{_TONE_MARKS}][{_MARKS}]*[{_TONE_MARKS}]|([{_MARKS}])[{_MARKS}]*\\1"
    f"|[{_FOLLOW_VOWELS}][{_TONE_MARKS}]|([{_FOLLOW_VOWELS}{_LEAD_VOWELS}{_VOWEL_MARKS}{_OTHER_MARKS}]) *\\2"
)


def clean_text(text: str) -> str:
    """The text as kbo stores it: NFC, typing slips fixed (see the module docstring), spaces folded."""
    if not text:
        return ""
    if unicodedata.is_normalized("NFC", text) and " ".join(text.split()) == text and not _MAY_CHANGE.search(text):
        return text  # already clean (most text is): no rule applies, each step below would return it as it is
    return _clean(text)


def _clean(text: str) -> str:
    """clean_text, step by step."""
    text = unicodedata.normalize("NFC", text)
    text = ZERO_WIDTH.sub("", text)
    text = " ".join(text.split())
    text = _SPACE_BEFORE_MARK.sub(r"\1\2", text)
    text = text.replace(SARA_E + SARA_E, SARA_AE)
    text = _SPLIT_AM.sub(lambda m: m.group(1) + SARA_AM, text)
    text = _TONE_AFTER_VOWEL.sub(r"\2\1", text)
    text = _LAKKHANGYAO.sub(r"\1" + SARA_AA, text)
    text = _REPEATED.sub(r"\1", text)
    text = _MARK_RUN.sub(_order_marks, text)
    text = _DANGLING.sub(r"\1", text)
    return " ".join(text.split())


def name_key(text: str) -> str:
    """The key two names are compared by: equal keys mean the same name however it was typed."""
    return clean_text(text).casefold()


def thai_sort_key(text: str) -> tuple[str, str]:
    """A key for Thai dictionary order (Latin text sorts by its letters, case-insensitively)."""
    return stored_sort_key(clean_text(text))


_UNMARKED = dict.fromkeys(map(ord, f"{_TONE_MARKS}\u0e4c\u0e47"))


def _vowel_after(match: re.Match[str]) -> str:
    return match[2] + match[1]


def _sort_key(text: str) -> tuple[str, str]:
    key = _LEADING_VOWEL.sub(_vowel_after, text.casefold())
    return key.translate(_UNMARKED), key


_cached_sort_key = lru_cache(maxsize=4096)(_sort_key)


def stored_sort_key(text: str) -> tuple[str, str]:
    """`thai_sort_key` for text kbo stored (already cleaned): the same order, without cleaning again."""
    return _cached_sort_key(text) if len(text) < 24 else _sort_key(text)


#: joins the parts of a `place_key`: below every character a part holds (stored text is cleaned: no control
#: characters; PostgreSQL text cannot hold NUL, so not "\x00")
PLACE_SEPARATOR = "\x01"


def place_key(district: str, name: str, code: str) -> str:
    """A producer group's place in Thai dictionary order of district, then name, then code, as one string.

    Its plain code-point order (Python's `<`, SQLite's BINARY collation, PostgreSQL's "C") is the order of
    `(stored_sort_key(district), stored_sort_key(name), code)`: the parts are joined by a separator that sorts
    below any character they hold, so a part that is a prefix of another sorts first, as in the tuple. Stored
    as `producer_group.sort_key`, so that the database orders groups and Python does not sort them. Changing
    this function (or `stored_sort_key`) changes every stored key: it then needs a migration that recomputes
    them, as 0008 computed them first (`kbo db check` reports keys that are out of date)."""
    return PLACE_SEPARATOR.join((*stored_sort_key(district), *stored_sort_key(name), code))
