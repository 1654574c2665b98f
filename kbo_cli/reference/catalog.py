"""The standards catalogue and the OTOP categories, loaded from reviewed data files.

`data/standards.toml` says, for each standard, its names, who certifies it, its certificate-number
format, how long a certificate is valid, and for which categories it is required or recommended.
`data/categories.toml` lists the five OTOP product types. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from kbo_cli.i18n import N_, Bilingual, _, pick
from kbo_cli.reference.resources import load_toml, name_of
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.vocab import Choice, lookup

REQUIRED = "required"
RECOMMENDED = "recommended"


@dataclass(frozen=True)
class Category(Bilingual):
    code: str
    name_th: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def choice(self) -> Choice:
        return Choice(self.code, self.name, (self.code, self.name_th, self.name_en, *self.aliases))


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
    aliases: tuple[str, ...] = ()
    applies: dict[str, str] = field(default_factory=dict)
    _formats: dict[str, str] = field(default_factory=dict)
    _validity: dict[str, int] = field(default_factory=dict)
    _form_validity: dict[str, int] = field(default_factory=dict)

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

    def validity_of(self, category: str, number: str | None) -> int:
        """How long a certificate of this number is valid: its legal form's validity where the catalogue gives
        one (of a herbal product's อย. forms only the cosmetic notification has one), else the category's."""
        if number and self._form_validity and self.cert_format(category) == "herbal":
            from kbo_cli.thai.certno import herbal_kind

            form = herbal_kind(number)
            if form in self._form_validity:
                return self._form_validity[form]
        return self.validity_months(category)

    def choice(self) -> Choice:
        return Choice(
            self.code, self.mark, (self.code, self.mark_th, self.mark_en, self.name_th, self.name_en, *self.aliases)
        )

    def numbered(self, category: str) -> bool:
        """Whether its certificates carry a number kbo checks (so a certificate without one is a warning)."""
        return self.cert_format(category) != "free"


def _per_category(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {"default": value}


@cache
def categories() -> dict[str, Category]:
    return {
        c["code"]: Category(**{**c, "aliases": tuple(c.get("aliases", ()))})
        for c in load_toml("categories.toml")["category"]
    }


@cache
def standards() -> dict[str, Standard]:
    known = categories()
    result: dict[str, Standard] = {}
    for raw in load_toml("standards.toml")["standard"]:
        raw = dict(raw)
        formats = _per_category(raw.pop("cert_format", "free"))
        validity = _per_category(raw.pop("validity_months", 0))
        by_form = dict(raw.pop("validity_by_form", {}))
        raw["aliases"] = tuple(raw.get("aliases", ()))
        std = Standard(**raw, _formats=formats, _validity=validity, _form_validity=by_form)
        unknown = set(std.applies) - set(known)
        bad_levels = set(std.applies.values()) - {REQUIRED, RECOMMENDED}
        if unknown or bad_levels:
            raise RuntimeError(f"data/standards.toml: {std.code}: bad categories or levels")
        result[std.code] = std
    return result


def parse_category(text: str) -> Category:
    """A category from its code, its name in either language, or a word officials use (`ผ้า`, `สมุนไพร`)."""
    return categories()[lookup([c.choice() for c in categories().values()], text, what=_(N_("category")))]


def parse_standard(text: str) -> Standard:
    """A standard from its code, its mark (`อย.`, `มผช.`), its name, or a word officials use."""
    return standards()[lookup([s.choice() for s in standards().values()], text, what=_(N_("standard")))]


def applicable(category: str) -> list[Standard]:
    """The standards that apply to a category, in catalogue order."""
    return [s for s in standards().values() if s.applies_to(category)]


def category_name(code: str) -> str:
    return name_of(categories(), code)


def standard_name(code: str) -> str:
    return name_of(standards(), code)


class StandardRow(NamedTuple):
    code: str
    mark: str
    name: str
    agency: str
    required_for: str
    recommended_for: str
    validity_months: int | None


STANDARD_COLUMNS = (
    Col("code", N_("Code"), Kind.CODE, priority=USEFUL),
    Col("mark", N_("Mark"), Kind.CODE),
    Col("name", N_("Standard"), wrap=True),
    Col("agency", N_("Certified by"), wrap=True, priority=EXTRA),
    Col("required_for", N_("Required for"), wrap=True, show=lambda codes: _category_names(codes)),
    Col("recommended_for", N_("Recommended for"), wrap=True, show=lambda codes: _category_names(codes)),
    Col("validity_months", N_("Valid (months)"), Kind.COUNT, priority=USEFUL),
)


def _category_names(codes: str) -> str:
    return ", ".join(category_name(code) for code in codes.split())


def standard_rows(category: str | None = None) -> list[StandardRow]:
    """The catalogue, or the standards that apply to one category."""
    cat = parse_category(category).code if category else None
    rows = []
    for std in standards().values():
        if cat and not std.applies_to(cat):
            continue
        shown = [c for c in std.applies if not cat or c == cat]
        rows.append(
            StandardRow(
                std.code,
                std.mark,
                std.name,
                std.agency,
                " ".join(c for c in shown if std.is_required(c)),
                " ".join(c for c in shown if not std.is_required(c)),
                std.validity_months(cat or "default") or None,
            )
        )
    return rows
