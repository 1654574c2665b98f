"""Thai text as people type it: cleaning, matching keys, and Thai dictionary order.

Thai typing produces invisible differences: sara am (ำ) typed as nikhahit + sara aa (ํ + า), tone marks
and upper vowels typed in either order or twice, zero-width characters, extra spaces. `clean_text` fixes
them (what kbo stores); `name_key` adds case folding (what kbo matches on). NFKC is never used: it would
split sara am into the pair. `thai_sort_key` sorts in Thai dictionary order: the leading vowels
เ แ โ ใ ไ sort by the consonant that follows, tone marks only break ties.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: marks written above or below a consonant: vowels first, then tone marks, then the others
_VOWEL_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_OTHER_MARKS = "\u0e4c\u0e4d\u0e4e"
_MARK_RANK = {c: 0 for c in _VOWEL_MARKS} | {c: 1 for c in _TONE_MARKS} | {c: 2 for c in _OTHER_MARKS}
_MARK_RUN = re.compile(f"[{_VOWEL_MARKS}{_TONE_MARKS}{_OTHER_MARKS}]{{2,}}")
# sara am typed in pieces: nikhahit (with a tone mark before or after it) followed by sara aa
_SPLIT_AM = re.compile(f"{NIKHAHIT}([{_TONE_MARKS}]?){SARA_AA}")
_TONE_AFTER_AM = re.compile(f"{SARA_AM}([{_TONE_MARKS}])")
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
_TONES_AND_MARKS = re.compile(f"[{_TONE_MARKS}\u0e4c\u0e47]")


def _order_marks(match: re.Match[str]) -> str:
    seen: list[str] = []
    for mark in sorted(match.group(0), key=lambda c: _MARK_RANK[c]):
        if mark not in seen:  # a doubled mark is invisible: keep one
            seen.append(mark)
    return "".join(seen)


def clean_text(text: str) -> str:
    """The text as kbo stores it: NFC, sara am whole, marks in order and not doubled, spaces folded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = ZERO_WIDTH.sub("", text)
    text = _SPLIT_AM.sub(lambda m: m.group(1) + SARA_AM, text)
    text = _TONE_AFTER_AM.sub(lambda m: m.group(1) + SARA_AM, text)  # น + ำ + ้ -> น + ้ + ำ
    text = _MARK_RUN.sub(_order_marks, text)
    return " ".join(text.split())


def name_key(text: str) -> str:
    """The key two names are compared by: equal keys mean the same name however it was typed."""
    return clean_text(text).casefold()


def thai_sort_key(text: str) -> tuple[str, str]:
    """A key for Thai dictionary order (Latin text sorts by its letters, case-insensitively)."""
    return stored_sort_key(clean_text(text))


@lru_cache(maxsize=4096)
def _cached_sort_key(text: str) -> tuple[str, str]:
    key = _LEADING_VOWEL.sub(r"\2\1", text.casefold())
    return _TONES_AND_MARKS.sub("", key), key


def stored_sort_key(text: str) -> tuple[str, str]:
    """`thai_sort_key` for text kbo stored (already cleaned): the same order, without cleaning again."""
    if len(text) < 24:
        return _cached_sort_key(text)
    key = _LEADING_VOWEL.sub(r"\2\1", text.casefold())
    return _TONES_AND_MARKS.sub("", key), key
