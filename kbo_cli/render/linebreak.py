"""Wrapping text for people: Thai breaks only between words, as ICU's dictionary-based line breaker says.

Thai is written without spaces between words, so wrapping at a width alone splits words (`ก่ / อน`) and
strands leading vowels (`การปฏิบัติทางการเ / กษตร`). `wrap` breaks only where ICU's line breaker
(`icu4py`, locale `th`) allows; a single word wider than the line is the one case cut inside a word, and
then only between grapheme clusters (a consonant never leaves its vowels and marks). Widths are terminal
cells as rich counts them (Thai combining marks take none).
"""

from __future__ import annotations

from functools import lru_cache

from icu4py.breakers import CharacterBreaker, LineBreaker
from rich.cells import cell_len

LOCALE = "th"


@lru_cache(maxsize=8192)
def segments(text: str) -> tuple[str, ...]:
    """The pieces between line-break opportunities; each keeps its trailing spaces. An option's dashes stay
    with its name (`--wide`), though ICU would allow a break after them."""
    pieces: list[str] = []
    for piece in LineBreaker(text, LOCALE) if text else ():
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


def break_hints(text: str, hint: str = "\u200b") -> str:
    """`text` with `hint` (a zero-width space) at every line-break opportunity inside a run of Thai,
    so that a browser wraps it where the terminal would."""
    out = []
    for piece in segments(text):
        out.append(piece)
        if piece and not piece[-1].isspace():
            out.append(hint)
    joined = "".join(out)
    return joined[: -len(hint)] if joined.endswith(hint) else joined
