"""Provinces, districts (อำเภอ/เขต) and sub-districts (ตำบล/แขวง) of all Thailand, and checking typed names.

The places come from the `geothai` package: 77 provinces, 928 districts and 7,436 sub-districts with the
Department of Provincial Administration's codes (data CC-BY-4.0 Department of Provincial Administration,
code MIT). It is imported only when a place is looked up, so commands that check no place do not pay for it.

Names are matched however they were typed: Thai or English name, or the DOPA code; `อ.`/`อำเภอ`/`เขต`
before a district, `ต.`/`ตำบล`/`แขวง` before a sub-district, `จ.`/`จังหวัด` before a province; spaces,
dots, hyphens and case ignored; Thai typing slips fixed (`textnorm.clean_text`). `เมือง` (or `Mueang`)
alone is the capital district of the province (the district coded XX01; Bangkok has none). A name that
is not known gets a "did you mean" hint.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from kbo_cli.errors import NotFound
from kbo_cli.i18n import Bilingual, _
from kbo_cli.thai.dates import to_ascii_digits
from kbo_cli.thai.textnorm import clean_text

BANGKOK = "10"
_PROVINCE_PREFIX = re.compile(r"^(?:(?:จังหวัด|จ\.|(?:changwat|province)\s)\s*)+", re.IGNORECASE)
_DISTRICT_PREFIX = re.compile(r"^(?:(?:กิ่งอำเภอ|อำเภอ|อ\.|เขต|(?:amphoe|amphur|khet|district)\s)\s*)+", re.IGNORECASE)
_SUBDISTRICT_PREFIX = re.compile(r"^(?:(?:ตำบล|ต\.|แขวง|(?:tambon|khwaeng|sub-?district)\s)\s*)+", re.IGNORECASE)
_IGNORED = re.compile(r"[\s.\-'’()]")
_CAPITAL = {"เมือง", "mueang", "muang"}


@dataclass(frozen=True)
class Province(Bilingual):
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class District(Bilingual):
    province: str
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Subdistrict(Bilingual):
    district: str
    code: str
    name_th: str
    name_en: str


def _key(text: str, prefix: re.Pattern[str]) -> str:
    """What two names are compared by: cleaned, case-folded, without the level word, spaces and dots."""
    return _IGNORED.sub("", prefix.sub("", clean_text(text).casefold()))


def _keys(name_th: str, name_en: str, prefix: re.Pattern[str]) -> set[str]:
    """The keys of a place: its Thai and English names, and for `ปอภาร (ปอพาน)` each of the two names."""
    keys = {_key(name_th, prefix), _key(name_en, prefix)}
    if "(" in name_th:
        outside, inside = name_th.split("(", 1)
        keys |= {_key(outside, prefix), _key(inside.rstrip(")"), prefix)}
    return keys - {""}


@cache
def provinces() -> dict[str, Province]:
    """The 77 provinces by their two-digit code (the same numbers as ISO 3166-2:TH)."""
    import geothai  # lazy: only when a place is looked up (its data cost some 10 ms on every command)

    return {p.code: Province(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in geothai.provinces()}


@cache
def districts(province_code: str) -> tuple[District, ...]:
    """A province's districts (อำเภอ, in Bangkok เขต), in code order; empty for an unknown province."""
    import geothai  # (see provinces)

    return tuple(
        District(province=d.province_code, code=d.code, name_th=d.name_th, name_en=d.name_en)
        for d in geothai.districts(province_code)
    )


@cache
def subdistricts(district_code: str) -> tuple[Subdistrict, ...]:
    """A district's sub-districts (ตำบล, in Bangkok แขวง), in code order; empty for an unknown district."""
    import geothai  # (see provinces)

    return tuple(
        Subdistrict(district=s.district_code, code=s.code, name_th=s.name_th, name_en=s.name_en)
        for s in geothai.subdistricts(district_code)
    )


Place = TypeVar("Place", District, Subdistrict)


def _index(places: tuple[Place, ...], prefix: re.Pattern[str]) -> dict[str, Place]:
    """Each place under its code and under the keys of its names (the first place with a key keeps it)."""
    index: dict[str, Place] = {}
    for place in places:
        index[place.code] = place
        for key in _keys(place.name_th, place.name_en, prefix):
            index.setdefault(key, place)
    return index


@cache
def _district_index(province_code: str) -> dict[str, District]:
    index = _index(districts(province_code), _DISTRICT_PREFIX)
    if province_code != BANGKOK:
        capital = next((d for d in districts(province_code) if d.code.endswith("01")), None)
        if capital is not None:
            index.update(dict.fromkeys(_CAPITAL, capital))
    return index


@cache
def _subdistrict_index(district_code: str) -> dict[str, Subdistrict]:
    return _index(subdistricts(district_code), _SUBDISTRICT_PREFIX)


def _close(key: str, index: Mapping[str, Bilingual], cutoff: float) -> list[str]:
    """Thai names of the entries whose keys are close to `key`, best first, each once."""
    names: list[str] = []
    for match in difflib.get_close_matches(key, [k for k in index if not k.isdigit()], n=5, cutoff=cutoff):
        name = index[match].name_th
        if name not in names:
            names.append(name)
    return names[:3]


def province(text: str) -> Province:
    """A province from its code (`48`, `๔๘`) or its Thai or English name (`นครพนม`, `จ.นครพนม`, `Nakhon Phanom`)."""
    known = provinces()
    typed = clean_text(text)
    digits = to_ascii_digits(typed)
    if digits.isascii() and digits.isdigit() and digits.zfill(2) in known:
        return known[digits.zfill(2)]
    key = _key(typed, _PROVINCE_PREFIX)
    index = {k: p for p in known.values() for k in _keys(p.name_th, p.name_en, _PROVINCE_PREFIX)}
    if key in index:
        return index[key]
    close = [index[k] for k in difflib.get_close_matches(key, list(index), n=5, cutoff=0.5)]
    unique = list(dict.fromkeys(close))[:3]
    raise NotFound(
        _("unknown province '{value}'", value=text),
        _("did you mean: {listed}", listed=", ".join(f"{p.code} {p.name_th}" for p in unique))
        if unique
        else _("give the province's two-digit code, e.g. 48 for นครพนม"),
    )


def find_district(province_code: str, text: str) -> District:
    """The district of the province named by `text` (Thai or English name, code, `อ.`…, `เมือง`), or NotFound."""
    index = _district_index(province_code)
    key = _key(text, _DISTRICT_PREFIX)
    if key in index:
        return index[key]
    close = _close(key, index, 0.4)
    prov = provinces()[province_code]
    raise NotFound(
        _("'{value}' is not a district of {province}", value=text, province=prov.name),
        _("did you mean: {listed}", listed=", ".join(close))
        if close
        else _("the districts are: {listed}", listed=", ".join(d.name_th for d in districts(province_code))),
    )


def check_district(province_code: str, text: str) -> str:
    """The district's Thai name, from its Thai or English name or its code, checked against the province."""
    if province_code not in provinces():
        return clean_text(text)
    return find_district(province_code, text).name_th


def check_subdistrict(province_code: str, district: str, text: str) -> str:
    """The sub-district's Thai name, checked to be one of `district`'s (a district of the province).

    `text` may be the Thai or English name or the six-digit code, with `ต.`/`ตำบล`/`แขวง` before it.
    """
    if province_code not in provinces():
        return clean_text(text)
    home = find_district(province_code, district)
    index = _subdistrict_index(home.code)
    key = _key(text, _SUBDISTRICT_PREFIX)
    if key in index:
        return index[key].name_th
    elsewhere = [d.name_th for d in districts(province_code) if key in _subdistrict_index(d.code)]
    if elsewhere:
        hint = _(
            "{value} is a sub-district of {districts}: check the group's district",
            value=clean_text(text),
            districts=", ".join(elsewhere),
        )
    else:
        close = _close(key, index, 0.5)
        hint = (
            _("did you mean: {listed}", listed=", ".join(close))
            if close
            else _(
                "the sub-districts of {district} are: {listed}",
                district=home.name_th,
                listed=", ".join(s.name_th for s in subdistricts(home.code)),
            )
        )
    raise NotFound(_("'{value}' is not a sub-district of {district}", value=text, district=home.name_th), hint)


def misplaced(province_code: str, district: str, subdistrict: str | None) -> tuple[str, str] | None:
    """None when `district` is a district of the province and `subdistrict` (if any) one of its sub-districts;
    else the column at fault ("district" or "subdistrict") and why, in words a person can act on."""
    try:
        home = check_district(province_code, district)
    except NotFound as exc:
        return "district", exc.message
    try:
        if subdistrict is not None:
            check_subdistrict(province_code, home, subdistrict)
    except NotFound as exc:
        return "subdistrict", exc.message
    return None
