"""Dates as Thai officials write them: Buddhist-Era years, Thai month names, Thai digits.

Accepted: `2566-01-19`, `19/01/2566`, `19-01-2566`, `19.01.2566`, `19 ม.ค. 2566`, `19 มกราคม 2566`,
`19 Jan 2023`, the same with Christian-Era years, Thai digits (`๑๙/๐๑/๒๕๖๖`), and `พ.ศ.`/`ค.ศ.` before
the year. Years of 2400 and above are Buddhist Era (BE = CE + 543). Slashed forms are always day first.
"""

from __future__ import annotations

import re
from datetime import date

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _, current_language

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ASCII = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
               "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december")


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for i in range(12):
        short = MONTHS_SHORT[i]
        names[short] = names[short.replace(".", "")] = names[short.rstrip(".")] = i + 1
        names[MONTHS_FULL[i]] = i + 1
        names[MONTHS_EN[i]] = names[MONTHS_EN[i][:3]] = i + 1
    names["sept"] = 9
    return names


MONTH_NAMES = _month_names()
_ISO = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_DMY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]+)$")
_NAMED = re.compile(r"^([0-9]{1,2})\s*([^\s0-9]+(?:\s*[^\s0-9]+)?)\s*([0-9]+)$")
_ERA = re.compile(r"(พ\.\s*ศ\.?|ค\.\s*ศ\.?|b\.?e\.?|a\.?d\.?|c\.?e\.?)\s*(?=[0-9])", re.IGNORECASE)


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def accepted_forms() -> str:
    return "2566-01-19, 19/01/2566, 19 ม.ค. 2566, 19 มกราคม 2566, 2023-01-19, ๑๙/๐๑/๒๕๖๖"


def _fail(text: str, reason: str) -> InvalidValue:
    return InvalidValue(
        _("'{text}' is not a date: {reason}", text=text, reason=reason),
        _("write a date like {forms}", forms=accepted_forms()),
    )


def _year(raw: str, text: str, era: str | None) -> int:
    if len(raw) != 4:
        raise _fail(text, _("the year must have four digits (2566 or 2023)"))
    year = int(raw)
    if era == "be" or (era is None and year >= 2400):
        year -= BE_OFFSET
    if not 1900 <= year <= 2200:
        raise _fail(text, _("the year {year} is out of range", year=raw))
    return year


def parse_date(text: str) -> date:
    """An ISO date from what an official typed; InvalidValue (with the accepted forms) otherwise."""
    original = text
    cleaned = " ".join(to_ascii_digits(text or "").split())
    if not cleaned:
        raise _fail(original, _("it is empty"))
    era = None
    match = _ERA.search(cleaned)
    if match:
        era = "be" if match.group(1).lower().startswith(("พ", "b")) else "ce"
        cleaned = _ERA.sub("", cleaned).strip()
    if m := _ISO.match(cleaned):
        y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    elif m := _DMY.match(cleaned):
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
    elif m := _NAMED.match(cleaned):
        name = m.group(2).replace(" ", "").casefold()
        if name not in MONTH_NAMES:
            raise _fail(original, _("unknown month '{month}'", month=m.group(2)))
        d, mo, y = int(m.group(1)), MONTH_NAMES[name], m.group(3)
    else:
        raise _fail(original, _("the form is not one kbo reads"))
    year = _year(y, original, era)
    try:
        return date(year, mo, d)
    except ValueError:
        raise _fail(original, _("there is no such day")) from None


def format_date(d: date | None, lang: str | None = None) -> str:
    """`19 ม.ค. 2566` in Thai, `2023-01-19` in English; empty for no date."""
    if d is None:
        return ""
    if (lang or current_language()) == "th":
        return f"{d.day} {MONTHS_SHORT[d.month - 1]} {d.year + BE_OFFSET}"
    return d.isoformat()


def parse_year(text: str) -> int:
    """A Buddhist-Era year from `2566`, `๒๕๖๖`, `พ.ศ. 2566`, `ปี 66` or the Christian-Era `2023`."""
    cleaned = " ".join(to_ascii_digits(text or "").split())
    cleaned = re.sub(r"^(ปี\s*|พ\.\s*ศ\.?\s*|b\.?e\.?\s*)+", "", cleaned, flags=re.IGNORECASE).strip()
    if not re.fullmatch(r"[0-9]{2}|[0-9]{4}", cleaned):
        raise InvalidValue(_("'{text}' is not a year", text=text), _("give the Buddhist-Era year, e.g. 2567"))
    year = int(cleaned)
    if year < 100:
        year += 2500
    elif 1900 <= year < 2400:
        year += BE_OFFSET
    if not 2500 <= year <= 2700:
        raise InvalidValue(_("{year} is not a round's year", year=year), _("give the Buddhist-Era year, e.g. 2567"))
    return year
