"""Certificate numbers: each standard's format (named in data/standards.toml), normalised and checked.

What was typed (spaces, dashes, dots, Thai digits, a missing or different prefix) is turned into the
canonical form, or refused with the format and an example. Numbers that encode facts (the FDA food
serial number's province and licence) can be explained. Shapes only: none of these has a check digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.thai.textnorm import clean_text
from kbo_cli.thai.dates import to_ascii_digits

_NON_DIGIT = re.compile(r"[^0-9]")


@dataclass(frozen=True)
class CertFormat:
    code: str
    description: str  # msgid
    example: str
    normalize: Callable[[str], str | None]  # canonical form, or None when it cannot be valid


def _digits(text: str) -> str:
    return _NON_DIGIT.sub("", to_ascii_digits(text))


def _known_province(code: str) -> bool:
    from kbo_cli.thai.places import provinces

    return code in provinces()


def _fda_food(text: str) -> str | None:
    if re.search(r"[^0-9\s\-.]", to_ascii_digits(text).replace("อย", "")):
        return None
    d = _digits(text)
    if len(d) != 13 or not _known_province(d[:2]) or d[2] not in "1234" or d[8] not in "12":
        return None
    return f"{d[:2]}-{d[2]}-{d[3:8]}-{d[8]}-{d[9:]}"


def _digits_of(*lengths: int) -> Callable[[str], str | None]:
    def normalize(text: str) -> str | None:
        if re.search(r"[^0-9\s\-./]", to_ascii_digits(text)):
            return None
        d = _digits(text)
        return d if len(d) in lengths else None

    return normalize


def _numbered(prefix: str, separator: str, aliases: tuple[str, ...]) -> Callable[[str], str | None]:
    """`มผช. 60/2546`-style: a standard number and the Buddhist-Era year of the standard."""
    alias = "|".join(re.escape(a) for a in aliases)
    pattern = re.compile(rf"^(?:(?:{alias})\s*\.?\s*)?([0-9]{{1,5}})\s*[/\-–]\s*([0-9]{{4}})$", re.IGNORECASE)

    def normalize(text: str) -> str | None:
        m = pattern.match(clean_text(to_ascii_digits(text)))
        if not m or not 2400 <= int(m.group(2)) <= 2700:
            return None
        return f"{prefix} {int(m.group(1))}{separator}{m.group(2)}"

    return normalize


def _doa(text: str) -> str | None:
    cleaned = clean_text(to_ascii_digits(text))
    cleaned = re.sub(r"^(กษ\.?|ก\.ษ\.)\s*", "", cleaned)
    if re.search(r"[^0-9\s\-.]", cleaned):
        return None
    d = _digits(cleaned)
    if len(d) != 17 or not _known_province(d[6:8]):
        return None
    return f"กษ {d[:2]}-{d[2:6]}-{d[6:8]}-{d[8:11]}-{d[11:]}"


def _free(text: str) -> str | None:
    return clean_text(text) or None


FORMATS: dict[str, CertFormat] = {
    f.code: f
    for f in (
        CertFormat("fda_food", N_("13-digit Thai FDA food serial number XX-X-XXXXX-X-XXXX (province, kind of "
                                  "site, licence, issuer, product)"), "48-2-00123-2-0001", _fda_food),
        CertFormat("cosmetic_notification", N_("cosmetic notification number of 10 or 13 digits"), "4860001234",
                   _digits_of(10, 13)),
        CertFormat("tcps", N_("มผช. <standard number>/<Buddhist-Era year>"), "มผช. 60/2546",
                   _numbered("มผช.", "/", ("มผช", "ม.ผ.ช", "tcps"))),
        CertFormat("tis", N_("มอก. <standard number>-<Buddhist-Era year>"), "มอก. 2346-2550",
                   _numbered("มอก.", "-", ("มอก", "ม.อ.ก", "tis"))),
        CertFormat("doa", N_("Department of Agriculture code กษ AA-BBBB-CC-DDD-EEEEEE (CC: province code)"),
                   "กษ 03-9001-48-001-000123", _doa),
        CertFormat("halal", N_("Halal certificate number of 12 or 13 digits"), "4800123456789", _digits_of(12, 13)),
        CertFormat("free", N_("any text"), "GMP 420 เลขที่ 48-2-00123-2566", _free),
    )
}


def normalize_cert(fmt: str, text: str) -> str:
    """The canonical form of a certificate number, or InvalidValue saying what the format is."""
    spec = FORMATS.get(fmt, FORMATS["free"])
    result = spec.normalize(text or "")
    if result is None:
        raise InvalidValue(
            _("'{text}' is not a valid certificate number", text=text),
            _("the format is {format}, for example {example}", format=_(spec.description), example=spec.example),
        )
    return result


SITE_KINDS = {
    "1": N_("producer licensed by the FDA centrally"),
    "2": N_("producer licensed by the provincial office"),
    "3": N_("importer licensed centrally"),
    "4": N_("importer licensed by the province"),
}
ISSUERS = {"1": N_("the FDA centrally"), "2": N_("the provincial public health office")}


def _licence(number: str) -> str:
    """The licence number, with its Buddhist-Era year (its last two digits) when that year is plausible."""
    from datetime import date

    year = 2500 + int(number[-2:])
    if year > date.today().year + 543:
        return number
    return _("{number} (licence year {year})", number=number, year=year)


def explain_cert(fmt: str, number: str) -> list[tuple[str, str]]:
    """What a certificate number says, part by part (FDA food serial numbers and DOA codes)."""
    from kbo_cli.thai.places import provinces

    d = _digits(number or "")
    if fmt == "fda_food" and len(d) == 13:
        prov = provinces().get(d[:2])
        return [
            (_("Province of the site"), f"{d[:2]} {prov.name if prov else '?'}"),
            (_("Kind of site"), _(SITE_KINDS.get(d[2], "?"))),
            (_("Site licence"), _licence(d[3:8])),
            (_("Number issued by"), _(ISSUERS.get(d[8], "?"))),
            (_("Product serial"), d[9:]),
        ]
    if fmt == "doa" and len(d) == 17:
        prov = provinces().get(d[6:8])
        return [(_("Province"), f"{d[6:8]} {prov.name if prov else '?'}")]
    return []
