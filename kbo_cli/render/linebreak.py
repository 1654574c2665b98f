"""Wrapping text for people: Thai breaks only between words, as ICU's dictionary-based line breaker says.

Thai is written without spaces between words, so wrapping at a width alone splits words (`ก่ / อน`) and
strands leading vowels (`การปฏิบัติทางการเ / กษตร`). `wrap` breaks only where ICU's line breaker
(`icu4py`, locale `th`) allows; a single word wider than the line is the one case cut inside a word, and
then only between grapheme clusters (a consonant never leaves its vowels and marks). Widths are terminal
cells as rich counts them (Thai combining marks take none).

ICU's dictionary lacks some OTOP, place, loan words and names and cuts them into pieces that are not words
(`ลงพื้น|ที่`, `หน|อง|บุ|น|นาก`, `นา|งอ|รุณี`). Three corrections follow it: a person's title that ICU cut is
kept whole and the name after it read alone; kbo's reviewed list of such words (data/thai_words.toml) says
where they break; and no piece is left that Thai spelling forbids on its own: one that starts with a vowel or
mark written after its consonant, ends with a vowel written before its consonant (or with ั, which a final
consonant must follow), or is a single consonant.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import pairwise

from icu4py.breakers import CharacterBreaker, LineBreaker
from rich.cells import cell_len

from kbo_cli.reference.resources import load_toml

LOCALE = "th"

_THAI = re.compile("[\u0e00-\u0e7f]")
#: vowels and marks written after (above, below) their consonant: no piece starts with one
_FOLLOWING = re.compile("[\u0e30-\u0e3a\u0e45-\u0e4e]|ฯ(?!ลฯ)")  # (ๆ repeats, ฯ shortens, the word before; ฯลฯ is one)
#: vowels written before their consonant (เ แ โ ใ ไ), and ั, which a final consonant follows: no piece ends with one
_WAITING = re.compile("[\u0e40-\u0e44\u0e31]")
#: a consonant (not ณ, a word of its own)
_CONSONANT = re.compile("[\u0e01-\u0e12\u0e14-\u0e2e]")


@cache
def _words() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]]:
    """The reviewed words (data/thai_words.toml): a pattern that finds them, longest first, where no vowel
    or mark joins them to the letters around, and each word's breaks inside it."""
    inside: dict[str, tuple[int, ...]] = {}
    for entry in load_toml("thai_words.toml")["words"]:
        parts = entry.split("|")
        inside["".join(parts)] = tuple(sum(len(p) for p in parts[:i]) for i in range(1, len(parts)))
    found = "|".join(re.escape(word) for word in sorted(inside, key=len, reverse=True))
    pattern = re.compile(f"(?<![\u0e40-\u0e44])(?:{found})(?![\u0e30-\u0e3a\u0e45-\u0e4e\u0e2f])")
    return pattern, inside


#: a person's title at the start of a name (นางอรุณี): ICU may read the title and the name as other words
_TITLE = re.compile("(?:^|(?<=[\\s(\"'“‘]))(?:นางสาว|นาง|นาย)(?=[\u0e01-\u0e2e\u0e40-\u0e44])")


def _corrected(text: str, breaks: set[int]) -> list[int]:
    """ICU's `breaks` (offsets in `text`, its end included) with a title kept apart from its name, kbo's words
    broken as the list says, and no piece Thai spelling forbids on its own (see the module's notes)."""
    for title in _TITLE.finditer(text):
        start, end = title.span()
        if any(start < at < end for at in breaks):  # ICU cut the title (นา|งอ|รุณี): the name is read alone
            stop = next((i for i in range(end, len(text)) if text[i].isspace()), len(text))
            breaks.difference_update(range(start + 1, stop))
            name = _icu_breaks(text[end:stop]) - ({stop - end} if stop < len(text) else set())  # (spaces: ICU's)
            breaks.update((end, *(end + at for at in name)))
    pattern, inside = _words()
    for match in pattern.finditer(text):
        start, end = match.span()
        if not any(start < at < end for at in breaks):  # ICU kept it whole (หนองคาย): its reading stands
            continue
        breaks.difference_update(range(start + 1, end))
        breaks.update(start + at for at in inside[match.group()])
        # its edges where a Thai letter meets it (elsewhere, a space or a bracket: ICU's breaks stand)
        breaks.update(
            at for at in (start, end) if 0 < at < len(text) and _THAI.match(text[at - 1 if at == start else at])
        )
    breaks.discard(0)
    bounds = sorted(breaks)
    # every forbidden end at once, until none is left (a merged piece may be forbidden in its turn): a pass is
    # one reading of the text, and there are one or two
    while wrong := set().union(*(_forbidden(text, a, b) for a, b in pairwise([0, *bounds]))):
        bounds = [at for at in bounds if at not in wrong]
    return bounds


def _forbidden(text: str, start: int, end: int) -> set[int]:
    """The ends of the piece `text[start:end]` that must go: where it starts with a vowel or mark written
    after its consonant, ends with one written before it, or is a consonant alone. Only breaks between two Thai
    letters go: those are a dictionary's guesses, not spaces or a change of script; but ๆ and ฯ, which repeat or
    shorten the word before, never start a line, a space before them or not (`ละ ๆ`)."""
    piece = text[start:end]
    alone = len(piece) == 1 and bool(_CONSONANT.match(piece))
    ends = {start} if alone or _FOLLOWING.match(piece) else set()
    if alone or _WAITING.match(piece[-1]):
        ends.add(end)
    before = start - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    repeat = (
        piece[0] in "ๆฯ" and _FOLLOWING.match(piece) is not None and before >= 0 and bool(_THAI.match(text[before]))
    )
    return {
        at
        for at in ends
        if 0 < at < len(text) and ((_THAI.match(text[at - 1]) and _THAI.match(text[at])) or (at == start and repeat))
    }


def _icu_breaks(text: str) -> set[int]:
    """Where ICU's line breaker allows a break in `text`: the offsets after each of its pieces."""
    breaks, at = set(), 0
    for piece in LineBreaker(text, LOCALE):
        at += len(piece)
        breaks.add(at)
    return breaks


@lru_cache(maxsize=8192)
def segments(text: str) -> tuple[str, ...]:
    """The pieces between line-break opportunities; each keeps its trailing spaces. An option's dashes stay
    with its name (`--wide`), though ICU would allow a break after them."""
    if not text:
        return ()
    breaks = _icu_breaks(text)
    if _THAI.search(text):
        breaks = set(_corrected(text, set(breaks)))
    pieces: list[str] = []
    for start, end in pairwise([0, *sorted(breaks)]):
        piece = text[start:end]
        if pieces and not pieces[-1].strip("-"):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return tuple(pieces)


def longest_segment(text: str) -> int:
    """The width of the widest unbreakable piece of `text`: the narrowest it can be wrapped."""
    return max((cell_len(s.rstrip()) for line in text.split("\n") for s in segments(line)), default=0)


def _clusters(piece: str, width: int) -> list[str]:
    """A piece wider than the line, cut between grapheme clusters."""
    lines, current = [], ""
    for cluster in CharacterBreaker(piece, LOCALE):
        if current and cell_len(current + cluster) > width:
            lines.append(current)
            current = ""
        current += cluster
    return [*lines, current] if current else lines


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` cells, broken only at ICU line-break opportunities."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for piece in segments(paragraph):
            if cell_len(current + piece.rstrip()) <= width:
                current += piece
                continue
            if current.strip():
                lines.append(current.rstrip())
            current = ""
            if cell_len(piece.rstrip()) > width:
                *full, current = _clusters(piece.rstrip(), width) or [""]
                lines.extend(full)
                current += piece[len(piece.rstrip()) :]
            else:
                current = piece
        lines.append(current.rstrip())
    return lines


def page_pieces(text: str) -> list[tuple[str, bool]]:
    """`text` in the pieces between its line-break opportunities, for a page: each with whether a browser must
    keep it whole. A browser breaks Thai with its own ICU (`word-break: keep-all` or not), so a piece in which
    ICU alone would allow a break that kbo does not (a word of its list, a piece Thai spelling forbids) must be
    kept whole for the page to wrap where the terminal does."""
    theirs = _icu_breaks(text) if text else set()
    out, at = [], 0
    for piece in segments(text):
        core = len(piece.rstrip())
        out.append((piece, any(at < b < at + core for b in theirs)))
        at += len(piece)
    return out
