"""Numbers as Thai officials type them: ASCII or Thai digits (`๒๒.๕`), thousands separators (`๑,๒๐๐`).

`parse_int` and `parse_decimal` accept digits (ASCII ๐-๙ or Thai), an optional leading minus, commas
between groups of three digits, a decimal point (decimals only), and spaces around the number. Anything
else is refused with InvalidValue: letters, exponents (`1e5`), `nan`, `inf`, `_` separators, a plus sign,
spaces inside the number, and more than 18 digits. Python's own `int()`/`float()` accept several of
those (`int("1_000")`, `float("nan")`), which is why they are not used on raw input.
Range checks belong to the caller.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _
from kbo_cli.thai.dates import to_ascii_digits

MAX_DIGITS = 18
# the minus sign may be typed as ASCII hyphen-minus or U+2212
_MINUS = "-\u2212"
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_INTEGER = re.compile(rf"^([{_MINUS}]?)([0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)$")
_DECIMAL = re.compile(rf"^([{_MINUS}]?)([0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)?(?:\.([0-9]+))?$")


def _prepare(text: str | None) -> str:
    return to_ascii_digits(_INVISIBLE.sub("", text or "")).strip()


def parse_int(text: str) -> int:
    """A whole number from `12`, `๑๒`, `-3`, `1,200` or `๑,๒๐๐`; InvalidValue otherwise."""
    cleaned = _prepare(text)
    m = _INTEGER.match(cleaned)
    digits = m.group(2).replace(",", "") if m else ""
    if not m or len(digits) > MAX_DIGITS:
        raise InvalidValue(
            _("'{text}' is not a whole number", text=text),
            _("write digits, e.g. 12, ๑๒ or 1,200"),
        )
    value = int(digits)
    return -value if m.group(1) else value


def parse_decimal(text: str) -> Decimal:
    """A number from `22.5`, `๒๒.๕`, `-0.5`, `1,200.75` or `22`; InvalidValue otherwise (exact, no float)."""
    cleaned = _prepare(text)
    m = _DECIMAL.match(cleaned)
    whole = (m.group(2) or "").replace(",", "") if m else ""
    fraction = (m.group(3) or "") if m else ""
    if not m or not (whole or fraction) or len(whole) + len(fraction) > MAX_DIGITS:
        raise InvalidValue(
            _("'{text}' is not a number", text=text),
            _("write digits with an optional decimal point, e.g. 22.5 or ๒๒.๕"),
        )
    value = Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    return -value if m.group(1) and value else value
