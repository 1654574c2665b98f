"""Dates and years as Thai officials write them: Buddhist-Era years, Thai month names, Thai digits.

Accepted dates: `2566-01-19`, `19/01/2566`, `19-01-2566`, `19.01.2566`, `19 ม.ค. 2566`, `19 มกราคม 2566`,
`19 Jan 2023`, the same with Christian-Era years, Thai digits (`๑๙/๐๑/๒๕๖๖`), `พ.ศ.`/`ค.ศ.`/`ปี` before the
year, and `วันที่` before the day. Slashed forms are always day first.

How a year is read (the same rule for dates and for `parse_year`):
- four digits from 2400 to 2999 are Buddhist Era (BE = CE + 543): `2566`;
- four digits from 1900 to 2399 are Christian Era: `2023` is BE 2566;
- **two digits are always Buddhist Era 25xx**: `66` is BE 2566 (19 January 2023), `19/01/66` and
  `19 ม.ค. 66` are 19 January 2023. A two-digit year is never read as Christian Era: Thai forms do not
  write C.E. years that way, so `ค.ศ. 23` is refused rather than guessed;
- `พ.ศ.` (or `B.E.`) before a year says it is Buddhist Era, `ค.ศ.` (`A.D.`, `C.E.`) Christian Era; a year
  that contradicts its era (`พ.ศ. 2023`) is refused;
- any other length (`566`, `02566`) is refused.
"""

from __future__ import annotations

import re
from datetime import date

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _, current_language

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ASCII = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_FULL = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
#: the months as said and often written: the full name without its ending (-คม, -ยน, -พันธ์)
MONTHS_SPOKEN = (
    "มกรา",
    "กุมภา",
    "มีนา",
    "เมษา",
    "พฤษภา",
    "มิถุนา",
    "กรกฎา",
    "สิงหา",
    "กันยา",
    "ตุลา",
    "พฤศจิกา",
    "ธันวา",
)
MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for i in range(12):
        short = MONTHS_SHORT[i]
        names[short] = names[short.replace(".", "")] = names[short.rstrip(".")] = i + 1
        names[MONTHS_FULL[i]] = names[MONTHS_SPOKEN[i]] = i + 1
        names[MONTHS_EN[i]] = names[MONTHS_EN[i][:3]] = i + 1
    names["sept"] = 9
    return names


MONTH_NAMES = _month_names()
_ISO = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_DMY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]+)$")
_NAMED = re.compile(r"^([0-9]{1,2})\s*([^\s0-9]+(?:\s*[^\s0-9]+)?)\s*([0-9]+)$")
# an era written before a year: พ.ศ. / ค.ศ. (dots and spaces optional), B.E., A.D., C.E., or the word ปี
_ERA = re.compile(r"(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.?\s*e\.?|a\.?\s*d\.?|c\.?\s*e\.?|ปี)\s*(?=[0-9])", re.IGNORECASE)
# the day of the week and the word วันที่ before the day (วันจันทร์ที่ 16, จ. 16, วันที่ 16), and a time of day after
# the year (เวลา 10.00 น., 13:30 น.): kbo keeps the day only
_DAY_WORD = re.compile(
    r"^(?:(?:วัน)?(?P<weekday>จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)|(?P<short>จ|อ|พ|พฤ|ศ|ส|อา)\.)?\s*"
    r"(?:วันที่|วัน|ที่)?\s*(?=[0-9])"
)
#: the days of the week as written in Thai, Monday first (date.weekday()), in full and as abbreviated
WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
_WEEKDAY = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    "พฤหัส": 3,
    **{short: i for i, short in enumerate(("จ", "อ", "พ", "พฤ", "ศ", "ส", "อา"))},
}
_WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
_TIME = re.compile(
    r"\s*(?:เวลา\s*[0-9]{1,2}(?:[.:][0-9]{2})?\s*(?:น\.?|นาฬิกา)?|[0-9]{1,2}[.:][0-9]{2}\s*(?:น\.?|นาฬิกา))$"
)
_YEAR = re.compile(r"^[0-9]+$")
#: four-digit years below this are Christian Era, from it on Buddhist Era
BE_FROM = 2400
BE_UNTIL = 2999


def to_ascii_digits(text: str) -> str:
    """Thai digits (๐–๙) turned into ASCII digits; everything else unchanged."""
    return text.translate(_TO_ASCII)


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def accepted_forms() -> str:
    return "2566-01-19, 19/01/2566, 19/01/66, 19 ม.ค. 2566, 19 มกราคม 2566, 2023-01-19, ๑๙/๐๑/๒๕๖๖"


def _fail(text: str, reason: str) -> InvalidValue:
    return InvalidValue(
        _("'{text}' is not a date: {reason}", text=text, reason=reason),
        _("write a date like {forms}", forms=accepted_forms()),
    )


def _era(word: str) -> str:
    """'be' or 'ce' for an era word matched by `_ERA` (ปี says nothing about the era)."""
    first = word.lower()[0]
    if first in "พb":
        return "be"
    if first in "คac":
        return "ce"
    return ""


def _be_year(raw: str, era: str) -> int | str:
    """The Buddhist-Era year for the digits `raw` (see the module docstring), or the reason it is refused."""
    year = int(raw)
    if len(raw) == 2:
        if era == "ce":
            return _("a two-digit year is read as Buddhist Era: write the Christian-Era year with four digits")
        return 2500 + year
    if len(raw) != 4:
        return _("the year must have four digits (2566 or 2023) or two (66 for 2566)")
    if year >= BE_FROM:
        if era == "ce" or year > BE_UNTIL:
            return _("the year {year} is out of range", year=raw)
        return year
    if era == "be" or year < 1900:
        return _("the year {year} is out of range", year=raw)
    return year + BE_OFFSET


def parse_year(text: str) -> int:
    """A Buddhist-Era year from `2566`, `๒๕๖๖`, `พ.ศ. 2566`, `ปี 66`, `66` or `2023`; InvalidValue otherwise.

    Four digits from 2400 to 2999 are Buddhist Era, 1900–2399 Christian Era (+543), two digits BE 25xx.
    """
    original = text
    cleaned = " ".join(to_ascii_digits(text or "").split())
    era = ""
    match = _ERA.match(cleaned)
    if match:
        era = _era(match.group(1))
        cleaned = cleaned[match.end() :]
    if not cleaned or not _YEAR.match(cleaned):
        raise InvalidValue(
            _("'{text}' is not a year", text=original),
            _("write a year like 2566, พ.ศ. 2566, ปี 66 or 2023"),
        )
    year = _be_year(cleaned, era)
    if isinstance(year, str):
        raise InvalidValue(
            _("'{text}' is not a year: {reason}", text=original, reason=year),
            _("write a year like 2566, พ.ศ. 2566, ปี 66 or 2023"),
        )
    return year


def parse_date(text: str) -> date:
    """An ISO date from what an official typed; InvalidValue (with the accepted forms) otherwise."""
    original = text
    cleaned = " ".join(to_ascii_digits(text or "").split())
    if not cleaned:
        raise _fail(original, _("it is empty"))
    day_word = _DAY_WORD.match(cleaned)
    weekday = day_word and (day_word.group("weekday") or day_word.group("short"))
    cleaned = _TIME.sub("", _DAY_WORD.sub("", cleaned))
    era = ""
    match = _ERA.search(cleaned)
    if match:
        era = _era(match.group(1))
        cleaned = (cleaned[: match.start()] + cleaned[match.end() :]).strip()
    if m := _ISO.match(cleaned):
        y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    elif m := _DMY.match(cleaned):
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
    elif (m := _NAMED.match(cleaned)) and any(ch.isalpha() for ch in m.group(2)):  # a month's name, not "/"
        name = m.group(2).replace(" ", "").casefold()
        if name not in MONTH_NAMES:
            raise _fail(original, _("unknown month '{month}'", month=m.group(2)))
        d, mo, y = int(m.group(1)), MONTH_NAMES[name], m.group(3)
    else:
        raise _fail(original, _("the form is not one kbo reads"))
    be_year = _be_year(y, era)
    if isinstance(be_year, str):
        raise _fail(original, be_year)
    year = be_year - BE_OFFSET
    if not 1900 <= year <= 2200:
        raise _fail(original, _("the year {year} is out of range", year=y))
    try:
        day = date(year, mo, d)
    except ValueError:
        raise _fail(original, _("there is no such day")) from None
    if weekday and _WEEKDAY[weekday] != day.weekday():  # a slip in the day, or in the day of the week
        raise _fail(
            original,
            _("that day is a {weekday}, not a {typed}", weekday=_(_WEEKDAY_NAMES[day.weekday()]), typed=weekday),
        )
    return day


def not_after_today(day: date, what: str) -> date:
    """`day`, refused when it is after today: a visit made or a certificate issued is never in the future
    (a future date would count as done already: points for a visit, a certificate counted certified)."""
    today = date.today()
    if day > today:
        raise InvalidValue(
            _(
                "the {what} {day} is after today ({today})",
                what=_(what),
                day=format_date(day),
                today=format_date(today),
            ),
            _("record it once it has happened"),
        )
    return day


def format_date(d: date | None, lang: str | None = None) -> str:
    """`19 ม.ค. 2566` in Thai, `2023-01-19` in English; empty for no date."""
    if d is None:
        return ""
    if (lang or current_language()) == "th":
        return f"{d.day} {MONTHS_SHORT[d.month - 1]} {d.year + BE_OFFSET}"
    return d.isoformat()
