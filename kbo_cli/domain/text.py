"""Text fields as kbo accepts them, from the command line and from files alike.

Text is cleaned the way Thai is typed (`thai.textnorm.clean_text`), and refused when it holds control
characters (an escape sequence stored in a name would recolour every terminal that later shows it; a
carriage return hides text) or is longer than any real value of its kind. Names, codes and other one-line
fields may not hold line breaks; notes, minutes and other free text may.
"""

from __future__ import annotations

import re
import unicodedata

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _
from kbo_cli.thai.textnorm import clean_text

#: the longest value of each kind of field (in characters)
NAME_MAX = 200
LINE_MAX = 500
TEXT_MAX = 5_000
LONG_TEXT_MAX = 200_000

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _refuse_controls(text: str, what: str, pattern: re.Pattern[str]) -> None:
    found = pattern.search(text)
    if found:
        char = found.group(0)
        shown = f"U+{ord(char):04X}"
        if "\ud800" <= char <= "\udfff":
            raise InvalidValue(
                _("the {what} is not valid UTF-8 text", what=_(what)), _("type it again, or save the file as UTF-8")
            )
        raise InvalidValue(
            _("the {what} holds a control character ({char})", what=_(what), char=shown),
            _("type it again without control characters or line breaks")
            if pattern is _LINE_CONTROL
            else _("type it again without control characters"),
        )


def _refuse_long(text: str, what: str, limit: int, *, slack: int = 1) -> None:
    """Refuse text longer than `limit` (times `slack`, before cleaning: the message still names `limit`)."""
    if len(text) > limit * slack:
        raise InvalidValue(
            _(
                "the {what} is too long ({length} characters, at most {limit})",
                what=_(what),
                length=len(text),
                limit=limit,
            ),
            _("shorten it; a longer text belongs in a note or a file"),
        )


def one_line(text: str | None, what: str, *, limit: int = LINE_MAX) -> str:
    """A one-line field (a name, a place, a phone number...), cleaned; may be empty."""
    text = text or ""
    _refuse_controls(text, what, _LINE_CONTROL)
    _refuse_long(text, what, limit, slack=2)  # before cleaning, so that a huge value costs nothing
    cleaned = clean_text(text)
    _refuse_long(cleaned, what, limit)
    return cleaned


def says_none(text: str | None) -> bool:
    """Whether `text` is what forms write for "none" rather than a value: a dash (any of them: hyphen, minus,
    en or em dash, fullwidth), or ไม่มี; read as kbo stores text (a zero-width space pasted after it is no
    value either)."""
    if not text:
        return False
    cleaned = clean_text(text)
    return cleaned != "" and cleaned.strip(_DASHES + " ") in ("", "ไม่มี")


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"


def optional(cleaned: str) -> str | None:
    """An optional field's cleaned text, or None where it is empty or says none (`says_none`): clearing it."""
    return None if not cleaned or says_none(cleaned) else cleaned


def required_name(text: str | None, what: str, *, limit: int = NAME_MAX) -> str:
    """A cleaned, non-empty one-line name, or an error naming the field."""
    cleaned = one_line(text, what, limit=limit)
    if not any(unicodedata.category(ch)[0] in _VISIBLE for ch in cleaned):  # nothing but marks and formats
        raise InvalidValue(_("the {what} cannot be empty", what=_(what)), _("type a name in quotes"))
    return cleaned


#: the Unicode categories (first letter) of characters a name is read by: letters, digits, punctuation,
#: symbols; not marks alone (a tone mark, U+0301), format characters (U+200E, U+180E) or spaces
_VISIBLE = frozenset("LNPS")


def optional_line(text: str | None, what: str, *, limit: int = LINE_MAX) -> str | None:
    """A one-line field that may be left empty (None)."""
    return one_line(text, what, limit=limit) or None if text is not None else None


def free_text(text: str | None, what: str, *, limit: int = TEXT_MAX) -> str:
    """Free text (a note, a finding, minutes): line breaks kept, each line cleaned; may be empty."""
    text = (text or "").replace("\r\n", "\n").replace("\t", " ")
    _refuse_controls(text, what, _CONTROL)
    _refuse_long(text, what, limit, slack=2)
    lines = [clean_text(line) for line in text.split("\n")]
    cleaned = "\n".join(lines).strip("\n")
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    _refuse_long(cleaned, what, limit)
    return cleaned
