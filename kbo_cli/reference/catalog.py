"""The standards catalogue and the OTOP categories, loaded from reviewed data files.

`data/standards.toml` says, for each standard, its names, who certifies it, its certificate-number
format, how long a certificate is valid, and for which categories it is required or recommended.
`data/categories.toml` lists the five OTOP product types. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kbo_cli.errors import InvalidValue, NotFound
from kbo_cli.i18n import Bilingual, _, find_named, pick
from kbo_cli.reference.resources import load_toml

REQUIRED = "required"
RECOMMENDED = "recommended"


@dataclass(frozen=True)
class Category(Bilingual):
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Standard(Bilingual):
    code: str
    mark_th: str
    mark_en: str
    name_th: str
    name_en: str
    agency_th: str
    agency_en: str
    source: str
    applies: dict[str, str] = field(default_factory=dict)
    _formats: dict[str, str] = field(default_factory=dict)
    _validity: dict[str, int] = field(default_factory=dict)

    @property
    def mark(self) -> str:
        return pick(self.mark_th, self.mark_en)

    @property
    def agency(self) -> str:
        return pick(self.agency_th, self.agency_en)

    def applies_to(self, category: str) -> bool:
        return category in self.applies

    def is_required(self, category: str) -> bool:
        return self.applies.get(category) == REQUIRED

    def cert_format(self, category: str) -> str:
        return self._formats.get(category, self._formats.get("default", "free"))

    def validity_months(self, category: str) -> int:
        return self._validity.get(category, self._validity.get("default", 0))


def _per_category(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {"default": value}


@cache
def categories() -> dict[str, Category]:
    return {c["code"]: Category(**c) for c in load_toml("categories.toml")["category"]}


@cache
def standards() -> dict[str, Standard]:
    known = categories()
    result: dict[str, Standard] = {}
    for raw in load_toml("standards.toml")["standard"]:
        raw = dict(raw)
        formats = _per_category(raw.pop("cert_format", "free"))
        validity = _per_category(raw.pop("validity_months", 0))
        std = Standard(**raw, _formats=formats, _validity=validity)
        unknown = set(std.applies) - set(known)
        bad_levels = set(std.applies.values()) - {REQUIRED, RECOMMENDED}
        if unknown or bad_levels:
            raise RuntimeError(f"data/standards.toml: {std.code}: bad categories or levels")
        result[std.code] = std
    return result


def parse_category(text: str) -> Category:
    """A category from its code or its name in either language."""
    found = find_named(categories().values(), text, lambda c: c.code)
    if found is not None:
        return found
    raise InvalidValue(
        _("unknown category '{value}'", value=text),
        _("use one of: {choices}", choices=", ".join(categories())),
    )


def parse_standard(text: str) -> Standard:
    """A standard from its code or its mark (`fda`, `อย.`, `มผช.`)."""
    wanted = " ".join(text.split()).casefold().rstrip(".")
    for std in standards().values():
        marks = {std.code, std.mark_th.casefold().rstrip("."), std.mark_en.casefold()}
        if wanted in marks:
            return std
    raise NotFound(
        _("unknown standard '{value}'", value=text),
        _("use one of: {choices} (see 'kbo standards list')", choices=", ".join(standards())),
    )


def applicable(category: str) -> list[Standard]:
    """The standards that apply to a category, in catalogue order."""
    return [s for s in standards().values() if s.applies_to(category)]


def category_name(code: str) -> str:
    cat = categories().get(code)
    return cat.name if cat else code


def standard_name(code: str) -> str:
    std = standards().get(code)
    return std.name if std else code
