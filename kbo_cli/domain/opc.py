"""OTOP Product Champion (OPC) scores: parts, maxima and star cut-offs per round, from data/opc_rounds.toml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from kbo_cli.config import current_user
from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import Bilingual, _
from kbo_cli.storage.models import OpcScore, Product
from kbo_cli.reference.resources import load_toml


@dataclass(frozen=True)
class Part(Bilingual):
    code: str
    name_th: str
    name_en: str
    max: float


@dataclass(frozen=True)
class Round:
    year: int | None
    parts: tuple[Part, ...]
    stars: tuple[tuple[int, float], ...]  # (stars, lowest total), highest first

    def star_level(self, total: float) -> int:
        for level, lowest in self.stars:
            if total >= lowest:
                return level
        return 1


def _round(year: int | None, raw: dict[str, Any], default: dict[str, Any]) -> Round:
    parts = tuple(Part(**p) for p in raw.get("parts", default["parts"]))
    stars = tuple(sorted(((s["stars"], float(s["min"])) for s in raw.get("stars", default["stars"])),
                         key=lambda s: -s[1]))
    return Round(year, parts, stars)


@cache
def rounds() -> dict[int | None, Round]:
    data = load_toml("opc_rounds.toml")
    default = data["default"]
    result: dict[int | None, Round] = {None: _round(None, default, default)}
    for raw in data.get("round", []):
        result[int(raw["year"])] = _round(int(raw["year"]), raw, default)
    return result


def round_for(year: int) -> Round:
    return rounds().get(year) or rounds()[None]


def check_year(year: int) -> int:
    """A round's year in Buddhist Era (a Christian-Era year is converted)."""
    if 1900 <= year < 2400:
        year += 543
    if not 2500 <= year <= 2700:
        raise InvalidValue(_("{year} is not a round's year", year=year), _("give the Buddhist-Era year, e.g. 2567"))
    return year


def record_score(
    *, session: Session, product: Product, year: int, parts: list[float], author: str | None = None
) -> OpcScore:
    """Record (or replace) a product's score for a round, checking each part against its maximum."""
    year = check_year(year)
    rnd = round_for(year)
    if len(parts) != len(rnd.parts):
        raise InvalidValue(_("a score has {n} parts", n=len(rnd.parts)), _("give --part1, --part2 and --part3"))
    for part, value in zip(rnd.parts, parts, strict=True):
        if not 0 <= value <= part.max:
            raise InvalidValue(
                _("{part} must be between 0 and {max}, not {value}", part=part.name, max=part.max, value=value),
                _("the maxima of round {year}: {maxima}", year=year,
                  maxima=", ".join(f"{p.name} {p.max:g}" for p in rnd.parts)),
            )
    row = session.exec(select(OpcScore).where(OpcScore.product_id == product.id, OpcScore.year == year)).first()
    if row is None:
        row = OpcScore(product_id=product.id, year=year, part1=0, part2=0, part3=0, author="")  # type: ignore[arg-type]
    row.part1, row.part2, row.part3 = parts
    row.author = author or current_user()
    session.add(row)
    session.flush()
    return row


def score_row(score: OpcScore, product_code: str, product_name: str) -> dict[str, Any]:
    total = round(score.part1 + score.part2 + score.part3, 2)
    return {"product_code": product_code, "product_name": product_name, "year": score.year,
            "part1": score.part1, "part2": score.part2, "part3": score.part3, "total": total,
            "stars": round_for(score.year).star_level(total)}


def score_rows(*, session: Session, product: Product | None = None, year: int | None = None) -> list[dict[str, Any]]:
    query = select(OpcScore, Product.code, Product.name).join(Product, Product.id == OpcScore.product_id)
    if product is not None:
        query = query.where(OpcScore.product_id == product.id)
    if year is not None:
        query = query.where(OpcScore.year == check_year(year))
    query = query.order_by(col(OpcScore.year).desc(), Product.code)
    return [score_row(s, code, name) for s, code, name in session.exec(query).all()]
