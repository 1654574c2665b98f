"""Certificate numbers: each standard's format (named in data/standards.toml), normalised and checked.

Every scheme goes through the same steps: Thai digits become ASCII, typing slips are cleaned
(`textnorm.clean_text`), the label printed before the number is dropped (`เลขสารบบอาหาร`, `อย.`,
`เลขที่ใบรับจดแจ้ง`, `ทะเบียนยาเลขที่` ...), then the scheme's own shape is checked and the number is laid
out the scheme's canonical way (`48-2-00123-2-0001`, `มอก. 1238 เล่ม 2-2561`, `GMP 48-2-00561`). What
cannot be valid is refused with the format and an example. Shapes only: none of these has a check digit.
Normalising a canonical number gives it back unchanged.

Numbers that encode facts are explained part by part (`explain_cert`): a part kbo cannot explain is shown
as unknown rather than refused. Herbal (non-food) products have several legal forms; `herbal_kind` says
which one a number is. Where each format comes from: the `source` lines of data/standards.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.thai.dates import to_ascii_digits
from kbo_cli.thai.places import provinces
from kbo_cli.thai.textnorm import clean_text

_NON_DIGIT = re.compile(r"[^0-9]")
_SEPARATORS_ONLY = re.compile(r"^[0-9\s\-–./]+$")


@dataclass(frozen=True)
class CertFormat:
    code: str
    description: str  # msgid
    example: str
    normalize: Callable[[str], str | None]  # canonical form, or None when it cannot be valid


def _prepare(text: str) -> str:
    """The steps every scheme shares: Thai digits to ASCII, typing slips and spaces cleaned."""
    return clean_text(to_ascii_digits(text or ""))


def _labels(*words: str) -> re.Pattern[str]:
    """Label words printed before a number (any of them, repeated, each with an optional colon)."""
    alternatives = "|".join(words)
    return re.compile(rf"^(?:(?:{alternatives})\s*[:：]?\s*)+", re.IGNORECASE)


def _digits(text: str) -> str:
    return _NON_DIGIT.sub("", to_ascii_digits(text))


def _known_province(code: str) -> bool:
    return code in provinces()


def _province_name(code: str) -> str:
    prov = provinces().get(code)
    return f"{code} {prov.name}" if prov else _("unknown ({value})", value=code)


def _unknown(value: str) -> str:
    return _("unknown ({value})", value=value)


# --- Thai FDA food serial number (เลขสารบบอาหาร) ------------------------------------------------------

_FDA_LABEL = _labels(
    r"เลขสารบบอาหาร",
    r"เลขสารบบ",
    r"เลข\s*อย\.?",
    r"อย\.?",
    r"fda",
    r"food\s*(?:serial|reg(?:istration)?)\.?\s*(?:no\.?|number)?",
)


def _fda_food(text: str) -> str | None:
    """13 digits `XX-X-XXXXX-X-XXXX`: a known province code and digit 3 in 1–4; digit 9 is not limited."""
    rest = _FDA_LABEL.sub("", _prepare(text))
    if not _SEPARATORS_ONLY.match(rest):
        return None
    d = _digits(rest)
    if len(d) != 13 or not _known_province(d[:2]) or d[2] not in "1234":
        return None
    return f"{d[:2]}-{d[2]}-{d[3:8]}-{d[8]}-{d[9:]}"


SITE_KINDS = {
    "1": N_("producer licensed by the FDA centrally"),
    "2": N_("producer licensed by the provincial office"),
    "3": N_("importer licensed centrally"),
    "4": N_("importer licensed by the province"),
}
ISSUERS = {"1": N_("the FDA centrally"), "2": N_("the provincial public health office")}


#: the Food Act (พ.ร.บ.อาหาร) under which producing sites are licensed dates from B.E. 2522: an earlier year is not
#: a licence's
FOOD_ACT_YEAR = 2522


def _licence(number: str) -> str:
    """The licence number, with the Buddhist-Era year its last two digits probably are (a second-hand reading,
    said as such) when that year is plausible: from the Food Act's to this year."""
    year = 2500 + int(number[-2:])
    if not FOOD_ACT_YEAR <= year <= date.today().year + 543:
        return number
    return _("{number} (probably licensed in {year})", number=number, year=year)


def _explain_fda(d: str) -> list[tuple[str, str]]:
    return [
        (_("Province of the site"), _province_name(d[:2])),
        (_("Kind of site"), _(SITE_KINDS[d[2]]) if d[2] in SITE_KINDS else _unknown(d[2])),
        (_("Site licence"), _licence(d[3:8])),
        (_("Number issued by"), _(ISSUERS[d[8]]) if d[8] in ISSUERS else _unknown(d[8])),
        (_("Product serial"), d[9:]),
    ]


# --- herbal (non-food) products: cosmetic notification, herbal registration, Herbal Products Act ------

COSMETIC_NOTIFICATION = "cosmetic_notification"
HERBAL_REGISTRATION = "herbal_registration"
HERBAL_NOTIFICATION = "herbal_notification"
HERBAL_DETAILED_NOTIFICATION = "herbal_detailed_notification"
#: the legal forms of a herbal (non-food) product's number, and what kbo calls each
KINDS = {
    COSMETIC_NOTIFICATION: N_("cosmetic notification (Cosmetics Act B.E. 2558)"),
    HERBAL_REGISTRATION: N_(
        "herbal or traditional-medicine registration (Herbal Products Act B.E. 2562; before it the Drug Act)"
    ),
    HERBAL_NOTIFICATION: N_("herbal product notification (Herbal Products Act B.E. 2562)"),
    HERBAL_DETAILED_NOTIFICATION: N_("herbal product detailed notification (Herbal Products Act B.E. 2562)"),
}
#: the letter of a registration number: G made in Thailand, K imported (both for people)
REGISTRATION_LETTERS = {"G": N_("made in Thailand, for people"), "H": "", "K": N_("imported, for people")}
_CANONICAL_LABEL = {
    HERBAL_NOTIFICATION: "ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร",
    HERBAL_DETAILED_NOTIFICATION: "ใบรับแจ้งรายละเอียดผลิตภัณฑ์สมุนไพร",
}
_COSMETIC_LABEL = _labels(
    r"เลขที่\s*ใบรับจดแจ้ง",
    r"ใบรับจดแจ้ง\s*เลขที่",
    r"ใบรับจดแจ้ง",
    r"เลขที่\s*จดแจ้ง",
    r"จดแจ้ง\s*เลขที่",
    r"เลข\s*จดแจ้ง",
    r"เลข\s*อย\.?",
    r"อย\.?",
)
_HERBAL_LABEL = re.compile(
    r"^(?:เลขที่\s*)?(?:(?P<detailed>ใบรับแจ้งรายละเอียด|แจ้งรายละเอียด)|(?:ใบรับจดแจ้ง|จดแจ้ง))\s*"
    r"(?:ผลิตภัณฑ์\s*)?(?P<herbal>สมุนไพร)?\s*(?:เลขที่)?\s*[:：]?\s*"
)
_REGISTRATION_LABEL = _labels(
    r"ทะเบียน\s*ยา\s*เลขที่",
    r"เลข\s*ทะเบียน\s*(?:ที่|ยา)?",
    r"ทะเบียน\s*เลขที่",
    r"ทะเบียน\s*ตำรับ(?:ยา)?(?:\s*เลขที่)?",
    r"ทะเบียน",
    r"reg(?:istration)?\.?\s*no\.?",
    r"อย\.?",
)
_REGISTRATION = re.compile(r"^([A-Z])\s*\.?\s*([0-9]{1,6})\s*/\s*(25)?([0-9]{2})$")
_NOTIFICATION_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9\s\-./]*$")


def _cosmetic(digits: str) -> str:
    """The canonical layout of a cosmetic notification number: `XX-X-XXXXXXX`, or `XX-X-XXXXXXXXXX`."""
    return f"{digits[:2]}-{digits[2]}-{digits[3:]}"


def _herbal(text: str) -> tuple[str, str] | None:
    """(kind, canonical number) of a herbal product's number, or None when it is none of the legal forms."""
    typed = _prepare(text)
    label = _HERBAL_LABEL.match(typed)
    if label and (label.group("detailed") or label.group("herbal")):
        kind = HERBAL_DETAILED_NOTIFICATION if label.group("detailed") else HERBAL_NOTIFICATION
        number = " ".join(typed[label.end() :].upper().split())
        if not _NOTIFICATION_NUMBER.match(number) or len(_digits(number)) < 4:
            return None
        return kind, f"{_CANONICAL_LABEL[kind]} {number}"
    rest = _COSMETIC_LABEL.sub("", typed)
    if _SEPARATORS_ONLY.match(rest) and len(_digits(rest)) in (10, 13):
        return COSMETIC_NOTIFICATION, _cosmetic(_digits(rest))
    m = _REGISTRATION.match(_REGISTRATION_LABEL.sub("", typed).upper())
    if m and m.group(1) in REGISTRATION_LETTERS:
        return HERBAL_REGISTRATION, f"{m.group(1)} {int(m.group(2))}/{m.group(4)}"
    return None


def herbal_kind(text: str) -> str | None:
    """Which legal form a herbal (non-food) product's number is (a key of `KINDS`), or None."""
    found = _herbal(text)
    return found[0] if found else None


def _explain_herbal(number: str) -> list[tuple[str, str]]:
    found = _herbal(number)
    if found is None:
        return []
    kind, canonical = found
    parts = [(_("Legal form"), _(KINDS[kind]))]
    if kind == HERBAL_REGISTRATION:
        m = _REGISTRATION.match(canonical)
        assert m is not None
        meaning = REGISTRATION_LETTERS[m.group(1)]
        parts += [
            (_("Made or imported"), _(meaning) if meaning else _unknown(m.group(1))),
            (_("Registration serial"), m.group(2)),
            (_("Year registered"), str(2500 + int(m.group(4)))),
        ]
    return parts


def _cosmetic_only(text: str) -> str | None:
    found = _herbal(text)
    return found[1] if found and found[0] == COSMETIC_NOTIFICATION else None


# --- มผช. and มอก. ------------------------------------------------------------------------------------------


def _numbered(
    prefix: str, separator: str, aliases: tuple[str, ...], *, parts: bool = False
) -> Callable[[str], str | None]:
    """`มผช. 60/2546`-style: a standard number (and for มอก. a part, `เล่ม 2`) and the BE year of the standard."""
    alias = "|".join(aliases)
    part = r"(?:\s*(?:เล่ม|ล\.|part)\s*([0-9]{1,3}))?" if parts else "()"
    certificate = r"(?:(?:ใบรับรอง|หนังสือรับรอง|ใบอนุญาต)(?:มาตรฐาน)?\s*)?"  # ใบรับรอง มผช. 1555/2563
    number = r"(?:(?:เลขที่|หมายเลข|no\.?)\s*[:：]?\s*)?"  # มผช. เลขที่ 1555/2563
    pattern = re.compile(
        rf"^{certificate}(?:(?:{alias})\s*\.?\s*)?{number}([0-9]{{1,5}}){part}\s*[/\-–]\s*([0-9]{{4}})$", re.IGNORECASE
    )

    def normalize(text: str) -> str | None:
        m = pattern.match(_prepare(text))
        # a standard is numbered from 1 and was issued by this year (a later year is a slip: 2600 for 2560)
        if not m or not int(m.group(1)) or not 2400 <= int(m.group(3)) <= date.today().year + 543:
            return None
        volume = f" เล่ม {int(m.group(2))}" if m.group(2) else ""
        return f"{prefix} {int(m.group(1))}{volume}{separator}{m.group(3)}"

    return normalize


# --- Department of Agriculture / ACFS certification codes (GAP, organic) ------------------------------------

_DOA = re.compile(
    r"^(?:(กษ|ก\s*\.?\s*ษ|ac)\s*\.?\s*)?([0-9][0-9\s\-.]*[0-9])(?:\s*[-–]?\s*([A-Za-z]{2,10}))?$", re.IGNORECASE
)


def _doa(text: str) -> str | None:
    """`กษ AA-BBBB-CC-DDD-EEEEEE` (`AC` for export), optionally followed by the standard (`GAP`)."""
    m = _DOA.match(_prepare(text))
    if not m:
        return None
    d = _digits(m.group(2))
    if len(d) != 17 or not _known_province(d[6:8]):
        return None
    prefix = "AC" if (m.group(1) or "").upper() == "AC" else "กษ"
    suffix = f" {m.group(3).upper()}" if m.group(3) else ""
    return f"{prefix} {d[:2]}-{d[2:6]}-{d[6:8]}-{d[8:11]}-{d[11:]}{suffix}"


def _explain_doa(number: str) -> list[tuple[str, str]]:
    m = _DOA.match(number)
    d = _digits(m.group(2)) if m else ""
    if not m or len(d) != 17:
        return []
    parts = [
        (_("Certifying body"), d[:2]),
        (_("Commodity standard"), d[2:6]),
        (_("Province"), _province_name(d[6:8])),
        (_("Commodity"), d[8:11]),
        (_("Serial number"), d[11:]),
    ]
    if (m.group(1) or "").upper() == "AC":
        parts.append((_("Certificate for"), _("export (AC)")))
    if m.group(3):
        parts.append((_("Standard"), m.group(3)))
    return parts


# --- Halal (CICOT) ----------------------------------------------------------------------------------------------

_HALAL_LABEL = _labels(
    r"เลขที่\s*(?:รับรอง\s*)?ฮาลาล", r"เลข\s*(?:รับรอง\s*)?ฮาลาล", r"ฮาลาล", r"halal(?:\s*no\.?)?", r"เลขที่"
)


def _halal(text: str) -> str | None:
    """12 digits (older numbers) or 13; the first two are the product category, not a province."""
    rest = _HALAL_LABEL.sub("", _prepare(text))
    if not _SEPARATORS_ONLY.match(rest):
        return None
    d = _digits(rest)
    return d if len(d) in (12, 13) else None


def _explain_halal(number: str) -> list[tuple[str, str]]:
    d = _digits(number)
    if len(d) != 13:
        return []
    return [
        (_("Product category"), d[:2]),
        (_("Company's number in the register"), d[2:6]),
        (_("Product's number in the company's list"), d[6:9]),
        (_("Last four digits"), _unknown(d[9:])),
    ]


# --- GMP -----------------------------------------------------------------------------------------------------------

_GMP_LABEL = re.compile(r"^(primary\s*)?(?:gmp|จีเอ็มพี)(?![a-z])\s*[:：]?\s*", re.IGNORECASE)
_SITE_LICENCE = re.compile(r"^([0-9]{2})\s*[-.]?\s*([0-9])\s*[-.]?\s*([0-9]{5})$")


def _gmp(text: str) -> str | None:
    """`GMP` (or `Primary GMP`) and the certificate's number as written; a bare site licence as `48-2-00561`."""
    typed = _prepare(text)
    label = _GMP_LABEL.match(typed)
    rest = typed[label.end() :] if label else typed
    if not re.search(r"[0-9]", rest):
        return None
    if m := _SITE_LICENCE.match(rest):
        rest = "-".join(m.groups())
    return f"{'Primary GMP' if label and label.group(1) else 'GMP'} {rest}"


def _free(text: str) -> str | None:
    return _prepare(text) or None


FORMATS: dict[str, CertFormat] = {
    f.code: f
    for f in (
        CertFormat(
            "fda_food",
            N_(
                "13-digit Thai FDA food serial number XX-X-XXXXX-X-XXXX (province, kind of "
                "site, licence, issuer, product)"
            ),
            "48-2-00123-2-0001",
            _fda_food,
        ),
        CertFormat(
            COSMETIC_NOTIFICATION,
            N_("cosmetic notification number of 10 or 13 digits, XX-X-XXXXXXX"),
            "48-1-6500123",
            _cosmetic_only,
        ),
        CertFormat(
            "herbal",
            N_(
                "for a herbal product: a cosmetic notification number (10 or 13 digits), a herbal "
                "or traditional-medicine registration such as G 12/65, or a Herbal Products Act "
                "notification (ใบรับจดแจ้งผลิตภัณฑ์สมุนไพร …) or detailed notification "
                "(ใบรับแจ้งรายละเอียด …)"
            ),
            "G 12/65",
            lambda t: (_herbal(t) or (None, None))[1],
        ),
        CertFormat(
            "tcps",
            N_("มผช. <standard number>/<Buddhist-Era year>"),
            "มผช. 60/2546",
            _numbered("มผช.", "/", ("มผช", r"ม\.ผ\.ช", "tcps")),
        ),
        CertFormat(
            "tis",
            N_("มอก. <standard number>-<Buddhist-Era year>, with its part if it has parts (มอก. 1238 เล่ม 2-2561)"),
            "มอก. 2346-2550",
            _numbered("มอก.", "-", ("มอก", r"ม\.อ\.ก", "tis"), parts=True),
        ),
        CertFormat(
            "doa",
            N_(
                "Department of Agriculture code กษ AA-BBBB-CC-DDD-EEEEEE (CC: province code; AC for "
                "export; the standard may follow, e.g. GAP)"
            ),
            "กษ 03-9001-48-001-000123",
            _doa,
        ),
        CertFormat(
            "halal",
            N_("Halal certificate number of 12 or 13 digits (the first two: the product category)"),
            "0700450120566",
            _halal,
        ),
        CertFormat("gmp", N_("GMP and the certificate's number"), "GMP 48-2-00561", _gmp),
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


def explain_cert(fmt: str, number: str) -> list[tuple[str, str]]:
    """What a certificate number says, part by part (empty when its format encodes nothing kbo knows)."""
    number = number or ""
    if fmt == "fda_food":
        d = _digits(number)
        return _explain_fda(d) if len(d) == 13 else []
    if fmt in ("herbal", COSMETIC_NOTIFICATION):
        return _explain_herbal(number)
    if fmt == "doa":
        return _explain_doa(number)
    if fmt == "halal":
        return _explain_halal(number)
    return []
