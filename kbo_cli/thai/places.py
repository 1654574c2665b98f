"""Provinces and districts (data/provinces.toml): the network's province, and checking district names."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from kbo_cli.errors import NotFound
from kbo_cli.i18n import Bilingual, _
from kbo_cli.reference.resources import load_toml
from kbo_cli.thai.textnorm import clean_text, name_key

_DISTRICT_PREFIX = re.compile(r"^(อำเภอ|อ\.|เขต|amphoe|district)\s*", re.IGNORECASE)
_PROVINCE_PREFIX = re.compile(r"^(จังหวัด|จ\.|changwat|province)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Province(Bilingual):
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class District:
    province: str
    code: str
    name_th: str
    name_en: str


@cache
def provinces() -> dict[str, Province]:
    return {p["code"]: Province(**p) for p in load_toml("provinces.toml")["province"]}


@cache
def districts(province_code: str) -> list[District]:
    return [District(**d) for d in load_toml("provinces.toml").get("district", []) if d["province"] == province_code]


def province(text: str) -> Province:
    """A province from its code (`48`) or its Thai or English name."""
    typed = _PROVINCE_PREFIX.sub("", clean_text(text))
    known = provinces()
    if typed.zfill(2) in known:
        return known[typed.zfill(2)]
    key = name_key(typed)
    for prov in known.values():
        if key in (name_key(prov.name_th), name_key(prov.name_en)):
            return prov
    names = {name_key(p.name_th): p for p in known.values()} | {name_key(p.name_en): p for p in known.values()}
    close = [names[n] for n in difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)]
    raise NotFound(
        _("unknown province '{value}'", value=text),
        _("did you mean: {listed}", listed=", ".join(f"{p.code} {p.name_th}" for p in close))
        if close else _("give the province's two-digit code, e.g. 48 for นครพนม"),
    )


def check_district(province_code: str, text: str) -> str:
    """The district's Thai name, from its Thai or English name or its code, checked against the province."""
    known = districts(province_code)
    typed = _DISTRICT_PREFIX.sub("", clean_text(text))
    if not known:
        return typed
    key = name_key(typed)
    for d in known:
        if key in (name_key(d.name_th), name_key(d.name_en), d.code):
            return d.name_th
    names = {name_key(d.name_th): d for d in known} | {name_key(d.name_en): d for d in known}
    close = []
    for n in difflib.get_close_matches(key, list(names), n=3, cutoff=0.4):
        if names[n].name_th not in close:
            close.append(names[n].name_th)
    prov = provinces()[province_code]
    raise NotFound(
        _("'{value}' is not a district of {province}", value=text, province=prov.name),
        _("did you mean: {listed}", listed=", ".join(close)) if close
        else _("the districts are: {listed}", listed=", ".join(d.name_th for d in known)),
    )
