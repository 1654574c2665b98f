"""The one value converter: what JSON and CSV carry, and what people read.

Machine values: dates as ISO text, timestamps in UTC with their offset, vocabulary values as their codes,
booleans as true/false, no value as null (JSON) or an empty cell (CSV), and never `-0.0`. People's
values: dates in the user's language (`19 ม.ค. 2566`), vocabulary labels, numbers without needless
decimals. Stored text is shown safely: control characters (which could recolour a terminal or hide text)
become visible symbols, and a value never spans lines unless its column is made for text. Flags, stars and
bars use Unicode symbols where the output's encoding has them, ASCII ones otherwise.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from kbo_cli.render.columns import Col, Kind
from kbo_cli.thai.dates import format_date

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NEWLINE = re.compile("[\t\n]")


@dataclass(frozen=True)
class Symbols:
    check: str
    star: str
    no_star: str
    bar_full: str
    bar_empty: str


UNICODE = Symbols("✓", "★", "☆", "█", "░")
ASCII = Symbols("x", "*", ".", "#", "-")


def output_encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def symbols() -> Symbols:
    """The symbols tables use: Unicode where the output can carry it, ASCII otherwise."""
    try:
        "".join((*UNICODE.__dict__.values(), "━")).encode(output_encoding())
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return UNICODE


def _picture(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␍ for CR ...
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def safe(text: str, *, multiline: bool = False) -> str:
    """Text that is safe to write to a terminal: control characters shown as symbols (␛, ␍ ...)."""
    text = _CONTROL.sub(_picture, text)
    return text if multiline else _NEWLINE.sub(lambda m: "\u240a" if m.group(0) == "\n" else " ", text)


def number(value: float) -> float | int:
    """A float as JSON carries it: no -0.0, whole numbers kept as floats only when they were floats."""
    if value == 0:
        return 0.0
    return value


def machine(value: Any) -> Any:
    """A value as JSON carries it."""
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else number(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):  # stored in UTC; SQLite hands timestamps back without their offset
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(value: Any) -> str:
    """A value as a CSV cell carries it."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(machine(value))


def decimal(value: float, places: int = 2) -> str:
    """`22.5`, `47`, `0` (never `-0`, never `47.00`)."""
    text = f"{round(value, places):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def human(col: Col, value: Any) -> str:
    """A value as people read it in a table or on the printable page."""
    if col.show is not None and value is not None:
        return safe(col.show(value), multiline=col.wrap)
    if value is None or value == "":
        return ""
    kind = col.kind
    if kind is Kind.DATE:
        return format_date(value)
    if kind is Kind.WHEN:
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()
        return f"{format_date(local.date())} {local:%H:%M}"
    if kind in (Kind.DECIMAL, Kind.PERCENT):
        return decimal(float(value), 1 if kind is Kind.PERCENT else 2) + ("%" if kind is Kind.PERCENT else "")
    if kind is Kind.SIGNED:
        text = decimal(float(value))
        return text if text.startswith("-") or text == "0" else f"+{text}"
    if kind is Kind.FLAG:
        return symbols().check if value else ""
    if kind is Kind.STARS:
        level = int(value)
        return symbols().star * level + symbols().no_star * (5 - level)
    if kind is Kind.TERM and hasattr(value, "label"):
        return str(value.label)
    if isinstance(value, float):
        return decimal(value)
    return safe(str(value), multiline=col.wrap)
