"""Numbers as officials type them: ASCII or Thai digits (๐-๙), a decimal point, thousands commas."""

from __future__ import annotations

import re

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _
from kbo_cli.thai.dates import to_ascii_digits

_INT = re.compile(r"^-?[0-9]{1,3}(?:,[0-9]{3})*$|^-?[0-9]{1,18}$")
_DECIMAL = re.compile(r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})*|[0-9]{1,18})(?:\.[0-9]{1,6})?$|^-?\.[0-9]{1,6}$")


def _fail(text: str) -> InvalidValue:
    return InvalidValue(_("'{text}' is not a number", text=text), _("write digits, e.g. 12 or ๑๒"))


def parse_int(text: str) -> int:
    cleaned = to_ascii_digits(text.strip())
    if not _INT.match(cleaned):
        raise _fail(text)
    return int(cleaned.replace(",", ""))


def parse_decimal(text: str) -> float:
    cleaned = to_ascii_digits(text.strip())
    if not _DECIMAL.match(cleaned):
        raise _fail(text)
    return float(cleaned.replace(",", ""))
