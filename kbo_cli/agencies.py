"""The network's member agencies (data/agencies.toml), who help carry out plan actions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _, pick
from kbo_cli.resources import load_toml


@dataclass(frozen=True)
class Agency:
    code: str
    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)


@cache
def agencies() -> dict[str, Agency]:
    return {a["code"]: Agency(**a) for a in load_toml("agencies.toml")["agency"]}


def parse_agency(text: str) -> Agency:
    wanted = " ".join(text.split()).casefold()
    for agency in agencies().values():
        if wanted in (agency.code, agency.name_th.casefold(), agency.name_en.casefold()):
            return agency
    raise InvalidValue(
        _("unknown agency '{value}'", value=text),
        _("use one of: {choices}", choices=", ".join(agencies())),
    )


def agency_name(code: str) -> str:
    agency = agencies().get(code)
    return agency.name if agency else code
