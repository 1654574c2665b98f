"""The network's member agencies (data/agencies.toml), who help carry out plan actions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import Bilingual, _, find_named
from kbo_cli.reference.resources import load_toml


@dataclass(frozen=True)
class Agency(Bilingual):
    code: str
    name_th: str
    name_en: str


@cache
def agencies() -> dict[str, Agency]:
    return {a["code"]: Agency(**a) for a in load_toml("agencies.toml")["agency"]}


def parse_agency(text: str) -> Agency:
    found = find_named(agencies().values(), text, lambda a: a.code)
    if found is not None:
        return found
    raise InvalidValue(
        _("unknown agency '{value}'", value=text),
        _("use one of: {choices}", choices=", ".join(agencies())),
    )


def agency_name(code: str) -> str:
    agency = agencies().get(code)
    return agency.name if agency else code
