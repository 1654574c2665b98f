"""The network's member agencies (data/agencies.toml), who help carry out plan actions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kbo_cli.i18n import N_, Bilingual, _, pick
from kbo_cli.reference.resources import load_toml, name_of
from kbo_cli.vocab import Choice, lookup


@dataclass(frozen=True)
class Agency(Bilingual):
    code: str
    name_th: str
    name_en: str
    short_th: str
    short_en: str
    aliases: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """The short name tables show (สสจ., พช. ...)."""
        return pick(self.short_th, self.short_en)

    def choice(self) -> Choice:
        return Choice(
            self.code,
            f"{self.short} {self.name}",
            (self.code, self.name_th, self.name_en, self.short_th, self.short_en, *self.aliases),
        )


@cache
def agencies() -> dict[str, Agency]:
    return {
        a["code"]: Agency(**{**a, "aliases": tuple(a.get("aliases", ()))}) for a in load_toml("agencies.toml")["agency"]
    }


def parse_agency(text: str) -> Agency:
    """An agency from its code, its name, its short name (สสจ.) or a word officials use for it."""
    return agencies()[lookup([a.choice() for a in agencies().values()], text, what=_(N_("agency")))]


def agency_name(code: str) -> str:
    return name_of(agencies(), code)


def agency_short(code: str) -> str:
    agency = agencies().get(code)
    return agency.short if agency else code
