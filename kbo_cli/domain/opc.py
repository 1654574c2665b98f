"""OTOP Product Champion (OPC) rounds and scores: parts, maxima, star cut-offs and legal standards per
round, from data/opc_rounds.toml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from kbo_cli.config import current_user
from kbo_cli.domain import columns as c
from kbo_cli.domain.columns import standard_mark
from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, Bilingual, _
from kbo_cli.reference.resources import load_toml
from kbo_cli.render.columns import USEFUL, Col, Kind
from kbo_cli.storage.models import OpcScore, Product, id_of
from kbo_cli.thai.dates import BE_OFFSET


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
    legal_standards: tuple[str, ...]
    confirmed: bool
    quorum: float
    spread_limit: float

    def star_level(self, total: float) -> int:
        """The stars of a total as kbo shows it, to 2 decimals: a sum of parts a float puts at 49.99999...
        reaches 50 here as it does on screen, whichever report counts it."""
        total = round(total, 2)
        for level, lowest in self.stars:
            if total >= lowest:
                return level
        return 1

    @property
    def maximum(self) -> float:
        return sum(p.max for p in self.parts)


def _round(year: int | None, raw: dict[str, Any], default: dict[str, Any]) -> Round:
    def get(key: str) -> Any:
        return raw.get(key, default[key])

    stars = tuple(sorted(((s["stars"], float(s["min"])) for s in get("stars")), key=lambda s: -s[1]))
    return Round(
        year,
        tuple(Part(**p) for p in get("parts")),
        stars,
        tuple(get("legal_standards")),
        bool(raw.get("confirmed", default.get("confirmed", False))),
        float(get("quorum")),
        float(get("spread_limit")),
    )


@cache
def rounds() -> dict[int | None, Round]:
    data = load_toml("opc_rounds.toml")
    default = data["default"]
    result: dict[int | None, Round] = {None: _round(None, default, default)}
    for raw in data.get("round", []):
        result[int(raw["year"])] = _round(int(raw["year"]), raw, default)
    return result


def round_for(year: int | None) -> Round:
    return rounds().get(year) or rounds()[None]


def unconfirmed_note(rnd: Round, year: int | None = None) -> str | None:
    """A footnote for reports that use a round's values when they are not confirmed."""
    if rnd.confirmed:
        return None
    return _(
        "The OPC rules used ({what}) are not confirmed for round {year}: check them against the round's "
        "announcement ('kbo opc rounds' shows them).",
        what=_("parts, stars and legal standards"),
        year=year or rnd.year or _("(other years)"),
    )


def check_year(year: int) -> int:
    """A round's year in Buddhist Era (a Christian-Era year is converted)."""
    if 1900 <= year < 2400:
        year += BE_OFFSET
    if not 2500 <= year <= 2700:
        raise InvalidValue(_("{year} is not a round's year", year=year), _("give the Buddhist-Era year, e.g. 2567"))
    return year


def current_year(today: date | None = None) -> int:
    return (today or date.today()).year + BE_OFFSET


def check_parts(year: int, parts: list[float]) -> Round:
    """The round, once each part is within its maximum."""
    rnd = round_for(year)
    if len(parts) != len(rnd.parts):
        raise InvalidValue(_("a score has {n} parts", n=len(rnd.parts)), _("give --part1, --part2 and --part3"))
    for part, value in zip(rnd.parts, parts, strict=True):
        if not 0 <= value <= part.max:
            raise InvalidValue(
                _(
                    "{part} must be between 0 and {max}, not {value}",
                    part=part.name,
                    max=f"{part.max:g}",
                    value=f"{value:g}",
                ),
                _(
                    "the maxima of round {year}: {maxima}",
                    year=year,
                    maxima=", ".join(f"{p.name} {p.max:g}" for p in rnd.parts),
                ),
            )
    return rnd


def record_score(
    *, session: Session, product: Product, year: int, parts: list[float], author: str | None = None
) -> OpcScore:
    """Record (or replace) a product's score for a round, checking each part against its maximum."""
    year = check_year(year)
    check_parts(year, parts)
    row = session.exec(select(OpcScore).where(col(OpcScore.product_id) == product.id, OpcScore.year == year)).first()
    if row is None:
        row = OpcScore(product_id=id_of(product), year=year, part1=0, part2=0, part3=0, author="")
    row.part1, row.part2, row.part3 = parts
    row.author = author or current_user()
    session.add(row)
    session.flush()
    return row


class ScoreRow(NamedTuple):
    product_code: str
    product_name: str
    year: int
    part1: float
    part2: float
    part3: float
    total: float
    stars: int


SCORE_COLUMNS = (
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    Col("year", N_("Round"), Kind.CODE),
    Col("part1", N_("Part 1"), Kind.DECIMAL, priority=USEFUL),
    Col("part2", N_("Part 2"), Kind.DECIMAL, priority=USEFUL),
    Col("part3", N_("Part 3"), Kind.DECIMAL, priority=USEFUL),
    Col("total", N_("Total"), Kind.DECIMAL),
    Col("stars", N_("Stars"), Kind.STARS, style=lambda _v, _r: "yellow"),
)


def score_row(score: OpcScore, product_code: str, product_name: str) -> ScoreRow:
    return _score_row(product_code, product_name, score.year, (score.part1, score.part2, score.part3))


def _score_row(product_code: str, product_name: str, year: int, parts: Sequence[float]) -> ScoreRow:
    part1, part2, part3 = parts
    total = round(part1 + part2 + part3, 2)
    return ScoreRow(product_code, product_name, year, part1, part2, part3, total, round_for(year).star_level(total))


def score_rows(
    *, session: Session, product: Product | None = None, year: int | None = None, within: Select[Any] | None = None
) -> list[ScoreRow]:
    """OPC scores, newest round first; `within` selects the ids of the products to cover (default: all)."""
    query = sa_select(  # columns, not OpcScore objects: the register has 100,000s
        col(Product.code),
        col(Product.name),
        col(OpcScore.year),
        col(OpcScore.part1),
        col(OpcScore.part2),
        col(OpcScore.part3),
    ).join(Product, col(Product.id) == OpcScore.product_id)
    if within is not None:
        query = query.where(col(OpcScore.product_id).in_(within))
    if product is not None:
        query = query.where(col(OpcScore.product_id) == product.id)
    if year is not None:
        query = query.where(col(OpcScore.year) == check_year(year))
    query = query.order_by(col(OpcScore.year).desc(), Product.code)
    return [_score_row(code, name, year, parts) for code, name, year, *parts in session.execute(query)]


class RoundRow(NamedTuple):
    year: str
    parts: str
    stars: str
    legal_standards: str
    confirmed: bool


ROUND_COLUMNS = (
    Col("year", N_("Round"), Kind.CODE),
    Col("parts", N_("Parts (maximum)"), wrap=True),
    Col("stars", N_("Stars from"), wrap=True),
    Col("legal_standards", N_("Legal standards"), wrap=True),
    Col("confirmed", N_("Confirmed"), Kind.FLAG),
)


def round_rows() -> list[RoundRow]:
    return [
        RoundRow(
            str(year) if year is not None else _("other years"),
            "; ".join(f"{p.name} {p.max:g}" for p in rnd.parts),
            "; ".join(f"{level}★ ≥ {lowest:g}" for level, lowest in rnd.stars),
            ", ".join(standard_mark(s) for s in rnd.legal_standards),
            rnd.confirmed,
        )
        for year, rnd in rounds().items()
    ]
