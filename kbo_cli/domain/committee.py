"""Committee rounds: several judges score each product, and the committee's mean is the round's OPC result.

Provincial OPC working groups score products together ("คณะทำงานพิจารณา ตรวจสอบ กลั่นกรองและให้คะแนน").
A round's committee is its members (judges), each from one of the network's agencies. Each judge scores a
product in the round's three parts (the same maxima and checks as `kbo opc set`); a judge scoring again
replaces their own score, and the history keeps the old one.

The rules, per round (data/opc_rounds.toml, overridable per round with `kbo committee rules`):
- the quorum: the share of members who must score a product (default 3/4): reached when the judges who
  scored are at least `ceil(quorum x members)` (3 of 4 reaches 3/4; 2 of 4 does not);
- the spread limit: the largest difference between two judges' totals (default 10 points): a spread of
  exactly the limit is within it; more sends the product back for discussion and re-scoring.
A product's result is the mean of its judges' totals once the quorum is reached and the spread is within
the limit (`CommitteeStatus.AGREED`); until then it is pending (quorum not reached) or flagged (spread over
the limit), never a silently partial mean. `kbo committee close` freezes a round: no more scores, members
or rules, and judges see the full table.

What the meeting brief uses: `rules(session=, year=)` (the round's quorum, spread limit, members, state)
and `round_table(session=, year=)` (one `ScoreRow` per product and judge) or `results(session=, year=)`
(one `ProductResult` per product, each judge's total inside).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.config import current_user
from kbo_cli.domain import columns as c
from kbo_cli.domain.followup import author_or_user
from kbo_cli.domain.opc import check_parts, check_year, round_for
from kbo_cli.domain.text import NAME_MAX, one_line, optional_line, required_name
from kbo_cli.errors import Ambiguous, Conflict, InvalidValue, KboError, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.reference.agencies import agency_short, parse_agency
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.render.values import decimal
from kbo_cli.storage.models import CommitteeMember, CommitteeRound, JudgeScore, Product, id_of, utcnow
from kbo_cli.thai.dates import format_date
from kbo_cli.thai.numbers import parse_decimal
from kbo_cli.thai.textnorm import name_key
from kbo_cli.vocab import CommitteeStatus

#: tolerance when comparing computed shares and point differences (totals are kept to two decimals)
EPSILON = 1e-9


# --- the round's rules and state ------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """A committee round: its members, quorum, spread limit, and whether (and by whom) it was closed."""

    year: int
    members: int
    quorum: float
    spread_limit: float
    quorum_is_default: bool
    spread_is_default: bool
    closed_at: datetime | None
    closed_by: str | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def needed(self) -> int:
        """How many judges must score a product for the quorum."""
        return max(1, math.ceil(self.quorum * self.members - EPSILON)) if self.members else 0

    def quorum_reached(self, scored: int) -> bool:
        return self.members > 0 and scored >= self.needed

    def over_limit(self, spread: float | None) -> bool:
        return spread is not None and spread > self.spread_limit + EPSILON


def quorum_text(quorum: float) -> str:
    """`3/4` for 0.75, `2/3` for 0.6667, else a percentage."""
    share = Fraction(quorum).limit_denominator(12)
    if abs(float(share) - quorum) < 1e-4:
        return f"{share.numerator}/{share.denominator}"
    return f"{quorum * 100:g}%"


def parse_quorum(text: str) -> float:
    """A quorum as officials write it: `3/4`, `0.75`, `75%` or `75` (Thai digits too)."""
    raw = one_line(text, N_("quorum"), limit=20).replace(" ", "")
    hint = _("give the share of members who must score a product: 3/4, 0.75 or 75%")
    try:
        if "/" in raw:
            top, _sep, bottom = raw.partition("/")
            value = float(parse_decimal(top)) / float(parse_decimal(bottom))
        elif raw.endswith("%"):
            value = float(parse_decimal(raw[:-1])) / 100
        else:
            value = float(parse_decimal(raw))
            if value > 1:
                value /= 100
    except (KboError, ZeroDivisionError, ValueError):
        raise InvalidValue(_("'{value}' is not a quorum", value=text), hint) from None
    if not (0 < value <= 1) or math.isnan(value):
        raise InvalidValue(_("a quorum must be more than 0 and at most all members, not {value}", value=text), hint)
    return round(value, 4)


def _round_row(session: Session, year: int) -> CommitteeRound | None:
    return session.exec(select(CommitteeRound).where(CommitteeRound.year == year)).first()


def members_of(session: Session, year: int) -> list[CommitteeMember]:
    """A round's members, in the order they were added."""
    return list(
        session.exec(
            select(CommitteeMember).where(CommitteeMember.year == year).order_by(col(CommitteeMember.id))
        ).all()
    )


def committee_years(session: Session) -> list[int]:
    """The rounds that have a committee, oldest first."""
    return sorted(session.exec(select(CommitteeMember.year).distinct()).all())


def rules(*, session: Session, year: int) -> Rules:
    """The round's rules (its own, else data/opc_rounds.toml's) and state."""
    year = check_year(year)
    rnd = round_for(year)
    row = _round_row(session, year)
    members = session.exec(select(func.count()).select_from(CommitteeMember).where(CommitteeMember.year == year)).one()
    quorum = row.quorum if row is not None and row.quorum is not None else None
    spread = row.spread_limit if row is not None and row.spread_limit is not None else None
    return Rules(
        year,
        int(members),
        rnd.quorum if quorum is None else quorum,
        rnd.spread_limit if spread is None else spread,
        quorum is None,
        spread is None,
        row.closed_at if row else None,
        row.closed_by if row else None,
    )


def rules_note(r: Rules) -> str:
    """The round's rules and state in one sentence, for notes under tables."""
    text = _(
        "Round {year}: {members} members; quorum {quorum} ({needed} judges); spread limit {limit} points.",
        year=r.year,
        members=r.members,
        quorum=quorum_text(r.quorum),
        needed=r.needed,
        limit=f"{r.spread_limit:g}",
    )
    if r.closed:
        when = r.closed_at.astimezone() if r.closed_at and r.closed_at.tzinfo else r.closed_at
        return (
            text + " " + _("Closed by {who} on {day}.", who=r.closed_by, day=format_date(when.date()) if when else "")
        )
    return text + " " + _("Open for scoring.")


def _require_committee(r: Rules) -> None:
    if not r.members:
        raise NotFound(
            _("round {year} has no committee", year=r.year),
            _("add its members with 'kbo committee add {year} NAME --agency AGENCY'", year=r.year),
        )


def _refuse_closed(r: Rules, doing: str) -> None:
    if r.closed:
        raise Conflict(
            _("round {year} is closed: {doing} is no longer possible", year=r.year, doing=_(doing)),
            _(
                "{who} closed it on {day}; if that was a mistake, {who} can reopen it with 'kbo undo' while the "
                "closing is their last change",
                who=r.closed_by,
                day=format_date(r.closed_at.date()) if r.closed_at else "",
            ),
        )


# --- members --------------------------------------------------------------------------------------


def add_member(
    *, session: Session, year: int, name: str, agency: str, title: str | None = None, author: str | None = None
) -> CommitteeMember:
    """Add a judge to a round's committee (refused once the round is closed, or for a name already there)."""
    year = check_year(year)
    _refuse_closed(rules(session=session, year=year), N_("adding a member"))
    cleaned = required_name(name, N_("member's name"))
    key = name_key(cleaned)
    clash = session.exec(
        select(CommitteeMember).where(CommitteeMember.year == year, CommitteeMember.name_key == key)
    ).first()
    if clash is not None:
        raise Conflict(
            _("{name} is already a member of the committee of round {year}", name=clash.name, year=year),
            _("see the members with 'kbo committee list {year}'", year=year),
        )
    member = CommitteeMember(
        year=year,
        name=cleaned,
        name_key=key,
        agency=parse_agency(agency).code,
        title=optional_line(title, N_("title"), limit=NAME_MAX),
        author=author_or_user(author),
    )
    session.add(member)
    session.flush()
    return member


def match_member(members: list[CommitteeMember], text: str, year: int) -> CommitteeMember:
    """The member named by `text`: their full name, or a part of it only one member's name holds."""
    typed = one_line(text, N_("judge"), limit=NAME_MAX)
    key = name_key(typed)
    if not key:
        raise InvalidValue(_("the {what} is empty", what=_("judge")), _("type the member's name"))
    exact = [m for m in members if m.name_key == key]
    if exact:
        return exact[0]
    partial = [m for m in members if key in m.name_key]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise Ambiguous(
            _(
                "'{name}' matches {count} members of the committee of round {year}",
                name=typed,
                count=len(partial),
                year=year,
            ),
            _("type more of the name: {names}", names="; ".join(m.name for m in partial)),
        )
    listed = "; ".join(m.name for m in members[:8])
    raise NotFound(
        _("'{name}' is not a member of the committee of round {year}", name=typed, year=year),
        _("the members: {names}", names=listed)
        if members
        else _("add its members with 'kbo committee add {year} NAME --agency AGENCY'", year=year),
    )


def find_member(session: Session, year: int, text: str) -> CommitteeMember:
    return match_member(members_of(session, check_year(year)), text, year)


def remove_member(*, session: Session, year: int, judge: str) -> tuple[CommitteeMember, int]:
    """Remove a member added by mistake, with their scores (each deleted, so the history keeps it)."""
    year = check_year(year)
    r = rules(session=session, year=year)
    _require_committee(r)
    _refuse_closed(r, N_("removing a member"))
    member = find_member(session, year, judge)
    scores = session.exec(select(JudgeScore).where(JudgeScore.member_id == member.id)).all()
    for score in scores:
        session.delete(score)
    session.flush()
    session.delete(member)
    session.flush()
    return member, len(scores)


def set_rules(*, session: Session, year: int, quorum: float | None = None, spread: float | None = None) -> Rules:
    """Override the round's quorum and/or spread limit (refused once the round is closed)."""
    year = check_year(year)
    _refuse_closed(rules(session=session, year=year), N_("changing the rules"))
    row = _round_row(session, year) or CommitteeRound(year=year)
    if quorum is not None:
        row.quorum = quorum
    if spread is not None:
        row.spread_limit = spread
    session.add(row)
    session.flush()
    return rules(session=session, year=year)


def close_round(*, session: Session, year: int, by: str | None = None, at: datetime | None = None) -> Rules:
    """Freeze the round: no more scores, members or rules; the full table opens to every judge (`at`: when, for a
    replayed story such as the demo; default now)."""
    year = check_year(year)
    r = rules(session=session, year=year)
    _require_committee(r)
    if r.closed:
        _refuse_closed(r, N_("closing it again"))
    row = _round_row(session, year) or CommitteeRound(year=year)
    row.closed_at = at or utcnow()
    row.closed_by = author_or_user(by)
    session.add(row)
    session.flush()
    return rules(session=session, year=year)


# --- scores ---------------------------------------------------------------------------------------


def record_judge_score(
    *,
    session: Session,
    product: Product,
    year: int,
    judge: str | CommitteeMember,
    parts: list[float],
    author: str | None = None,
) -> tuple[JudgeScore, list[float] | None]:
    """Record a judge's score of a product; a judge scoring again replaces their own score.

    Returns the score and the parts it replaced (None for a first score).
    """
    year = check_year(year)
    r = rules(session=session, year=year)
    _require_committee(r)
    _refuse_closed(r, N_("scoring"))
    check_parts(year, parts)
    member = judge if isinstance(judge, CommitteeMember) else find_member(session, year, judge)
    row = session.exec(
        select(JudgeScore).where(
            JudgeScore.year == year, JudgeScore.product_id == product.id, JudgeScore.member_id == member.id
        )
    ).first()
    old = None if row is None else [row.part1, row.part2, row.part3]
    if row is None:
        row = JudgeScore(
            year=year, product_id=id_of(product), member_id=id_of(member), part1=0, part2=0, part3=0, author=""
        )
    if old == list(parts):
        return row, old
    row.part1, row.part2, row.part3 = parts
    row.author = author or current_user()
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row, old


def total_of(score: JudgeScore) -> float:
    return round(score.part1 + score.part2 + score.part3, 2) + 0.0


class JudgeTotal(NamedTuple):
    judge: str
    agency: str
    part1: float
    part2: float
    part3: float
    total: float


class ProductResult(NamedTuple):
    """Where one product stands in a committee round."""

    year: int
    product_id: int
    product_code: str
    product_name: str
    category: str
    judges: tuple[JudgeTotal, ...]  # in the order the members were added
    members: int
    needed: int
    mean: float | None  # of the judges' totals, whatever the status
    spread: float | None  # highest total - lowest total
    spread_limit: float
    quorum_reached: bool
    spread_over_limit: bool
    status: CommitteeStatus
    result: float | None  # the mean, once agreed
    stars: int | None

    @property
    def scored(self) -> int:
        return len(self.judges)

    def reason(self) -> str:
        """Why the product has no result yet, in words (empty when agreed)."""
        if self.status is CommitteeStatus.FLAGGED:
            return _(
                "the judges' totals differ by {spread} points, more than the limit of {limit}: discuss and re-score",
                spread=f"{self.spread:g}",
                limit=f"{self.spread_limit:g}",
            )
        if self.status is CommitteeStatus.PENDING:
            return _(
                "{scored} of {members} members scored it; the quorum is {needed}",
                scored=self.scored,
                members=self.members,
                needed=self.needed,
            )
        return ""


def _result(r: Rules, product: tuple[int, str, str, str], judges: list[JudgeTotal]) -> ProductResult:
    totals = [j.total for j in judges]
    mean = round(sum(totals) / len(totals), 2) + 0.0 if totals else None
    spread = round(max(totals) - min(totals), 2) + 0.0 if totals else None
    reached, over = r.quorum_reached(len(totals)), r.over_limit(spread)
    status = CommitteeStatus.FLAGGED if over else CommitteeStatus.PENDING if not reached else CommitteeStatus.AGREED
    result = mean if status is CommitteeStatus.AGREED else None
    stars = round_for(r.year).star_level(result) if result is not None else None
    return ProductResult(
        r.year,
        *product,
        tuple(judges),
        r.members,
        r.needed,
        mean,
        spread,
        r.spread_limit,
        reached,
        over,
        status,
        result,
        stars,
    )


def results(
    *, session: Session, year: int, category: str | None = None, products: list[Product] | None = None
) -> list[ProductResult]:
    """Each product the committee scored (or each of `products`, scored or not), in product-code order."""
    year = check_year(year)
    r = rules(session=session, year=year)
    members = {m.id: m for m in members_of(session, year)}
    query = (
        select(JudgeScore, Product)
        .join(Product, col(Product.id) == JudgeScore.product_id)
        .where(JudgeScore.year == year)
    )
    if category:
        query = query.where(Product.category == catalog.parse_category(category).code)
    if products is not None:
        query = query.where(col(Product.id).in_([p.id for p in products]))
    found: dict[int, tuple[tuple[int, str, str, str], list[tuple[int, JudgeTotal]]]] = {}
    for p in products or []:
        found[id_of(p)] = ((id_of(p), p.code, p.name, p.category), [])
    for score, p in session.exec(query).all():
        m = members[score.member_id]
        entry = found.setdefault(id_of(p), ((id_of(p), p.code, p.name, p.category), []))
        entry[1].append(
            (score.member_id, JudgeTotal(m.name, m.agency, score.part1, score.part2, score.part3, total_of(score)))
        )
    out = [
        _result(r, product, [j for _id, j in sorted(judges, key=lambda x: x[0])]) for product, judges in found.values()
    ]
    return sorted(out, key=lambda x: x.product_code)


def result_for(*, session: Session, year: int, product: Product) -> ProductResult:
    return results(session=session, year=year, products=[product])[0]


def check_settled(*, session: Session, year: int, product: Product) -> None:
    """Refuse a product whose committee result for the round is pending or flagged (a round without a
    committee has nothing to settle)."""
    year = check_year(year)
    if not rules(session=session, year=year).members:
        return
    verdict = result_for(session=session, year=year, product=product)
    if verdict.status is CommitteeStatus.AGREED:
        return
    what = _("flagged") if verdict.status is CommitteeStatus.FLAGGED else _("pending")
    raise Conflict(
        _(
            "{code}'s committee result for round {year} is {what}: {reason}",
            code=product.code,
            year=year,
            what=what,
            reason=verdict.reason(),
        ),
        _(
            "see 'kbo report scores --year {year}'; the judges score with 'kbo opc score {code} --year "
            "{year} --judge NAME ...'",
            year=year,
            code=product.code,
        ),
    )


def opc_results(*, session: Session, year: int | None) -> tuple[int | None, dict[int, ProductResult]]:
    """What the candidates ranking takes from committees: (the round asked for, when it has a committee;
    product id -> committee result). With such a round, only its results count; otherwise each product's
    latest committee result."""
    if year is not None and rules(session=session, year=year).members:
        return check_year(year), {v.product_id: v for v in results(session=session, year=year)}
    latest: dict[int, ProductResult] = {}
    for y in committee_years(session):
        for v in results(session=session, year=y):
            latest[v.product_id] = v
    return None, latest


# --- the report -----------------------------------------------------------------------------------


class ScoreRow(NamedTuple):
    """One judge's score of one product, with the product's standing in the round (`kbo report scores`)."""

    year: int
    product_code: str
    product_name: str
    category: str
    judge: str | None
    agency: str | None
    part1: float | None
    part2: float | None
    part3: float | None
    total: float | None
    judges_scored: int
    members: int
    needed: int
    mean: float | None
    spread: float | None
    quorum_reached: bool
    spread_over_limit: bool
    status: CommitteeStatus
    result: float | None
    stars: int | None


def _parts(row: ScoreRow) -> str:
    if row.part1 is None or row.part2 is None or row.part3 is None:  # a product no judge scored: all three
        return ""
    return " + ".join(decimal(p) for p in (row.part1, row.part2, row.part3))


def _status_style(value: object, _row: object) -> str:
    return {"agreed": "green", "pending": "yellow", "flagged": "bold red"}.get(str(value), "")


SCORE_COLUMNS = (
    Col("year", N_("Round"), Kind.CODE, table=False),
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    Col("category", N_("Category"), table=False),
    Col("judge", N_("Judge"), wrap=True),
    Col("agency", N_("Agency"), Kind.CODE, show=agency_short, priority=EXTRA),
    *(Col(f"part{n}", N_(f"Part {n}"), Kind.DECIMAL, table=False) for n in (1, 2, 3)),
    Col("parts", N_("Parts"), value=_parts, machine=False, priority=EXTRA),
    Col("total", N_("Total"), Kind.DECIMAL),
    Col("judges_scored", N_("Judges scored"), Kind.COUNT, table=False),
    Col("members", N_("Members"), Kind.COUNT, table=False),
    Col("needed", N_("Quorum"), Kind.COUNT, table=False),
    Col("scored", N_("Scored"), value=lambda r: f"{r.judges_scored}/{r.members}", machine=False, priority=USEFUL),
    Col("mean", N_("Mean"), Kind.DECIMAL),
    Col("spread", N_("Spread"), Kind.DECIMAL, priority=USEFUL),
    Col("quorum_reached", N_("Quorum reached"), Kind.FLAG, table=False),
    Col("spread_over_limit", N_("Spread over the limit"), Kind.FLAG, table=False),
    Col("status", N_("Result"), Kind.TERM, wrap=True, style=_status_style),
    Col("result", N_("Committee result"), Kind.DECIMAL, table=False),
    Col("stars", N_("Stars"), Kind.STARS, priority=USEFUL, style=lambda _v, _r: "yellow"),
)
#: what a table shows once per product (the product's standing repeats on each of its judges' rows)
SCORE_GROUP = ("product", "scored", "mean", "spread", "status", "stars")


def _rows_of(v: ProductResult) -> list[ScoreRow]:
    common = (
        v.scored,
        v.members,
        v.needed,
        v.mean,
        v.spread,
        v.quorum_reached,
        v.spread_over_limit,
        v.status,
        v.result,
        v.stars,
    )
    if not v.judges:
        return [
            ScoreRow(v.year, v.product_code, v.product_name, v.category, None, None, None, None, None, None, *common)
        ]
    return [
        ScoreRow(
            v.year,
            v.product_code,
            v.product_name,
            v.category,
            j.judge,
            j.agency,
            j.part1,
            j.part2,
            j.part3,
            j.total,
            *common,
        )
        for j in v.judges
    ]


def round_table(*, session: Session, year: int, category: str | None = None) -> list[ScoreRow]:
    """The full table of a round: each product the committee scored, each judge's parts and total, the mean,
    the spread and the status; agreed products first, best result first, then the others by code."""
    verdicts = results(session=session, year=year, category=category)
    verdicts.sort(key=lambda v: (v.result is None, -(v.result or 0), v.product_code))
    return [row for v in verdicts for row in _rows_of(v)]


class JudgeRow(NamedTuple):
    """A judge's own score of a product while the round is open, and how many others have scored it."""

    year: int
    judge: str
    product_code: str
    product_name: str
    category: str
    part1: float | None
    part2: float | None
    part3: float | None
    total: float | None
    others_scored: int
    others: int


JUDGE_COLUMNS = (
    Col("year", N_("Round"), Kind.CODE, table=False),
    Col("judge", N_("Judge"), table=False),
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    Col("category", N_("Category"), table=False),
    *(Col(f"part{n}", N_(f"Part {n}"), Kind.DECIMAL, priority=USEFUL) for n in (1, 2, 3)),
    Col("total", N_("Total"), Kind.DECIMAL),
    Col("others_scored", N_("Others scored"), Kind.COUNT, table=False),
    Col("others", N_("Other members"), Kind.COUNT, table=False),
    Col("others_cell", N_("Others scored"), value=lambda r: f"{r.others_scored}/{r.others}", machine=False),
)


def judge_view(*, session: Session, year: int, judge: str, category: str | None = None) -> list[JudgeRow]:
    """A judge's own scores (blank where not scored yet) of every product the committee is scoring, and how
    many other members have scored each: nothing of the others' scores, so that judges do not anchor."""
    year = check_year(year)
    member = find_member(session, year, judge)
    rows = []
    for v in results(session=session, year=year, category=category):
        own = next((j for j in v.judges if j.judge == member.name), None)
        others = v.scored - (1 if own else 0)
        rows.append(
            JudgeRow(
                year,
                member.name,
                v.product_code,
                v.product_name,
                v.category,
                own.part1 if own else None,
                own.part2 if own else None,
                own.part3 if own else None,
                own.total if own else None,
                others,
                v.members - 1,
            )
        )
    return rows


def own_row(*, session: Session, score: JudgeScore, product: Product) -> JudgeRow:
    """The row a judge sees after scoring: their own score, and how many others have scored the product."""
    member = session.get(CommitteeMember, score.member_id)
    v = result_for(session=session, year=score.year, product=product)
    return JudgeRow(
        score.year,
        member.name if member else "",
        product.code,
        product.name,
        product.category,
        score.part1,
        score.part2,
        score.part3,
        total_of(score),
        v.scored - 1,
        v.members - 1,
    )


class MemberRow(NamedTuple):
    year: int
    name: str
    agency: str
    title: str | None
    scored: int


RULES_COLUMNS = (
    Col("year", N_("Round"), Kind.CODE),
    Col("members", N_("Members"), Kind.COUNT),
    Col("quorum", N_("Quorum"), Kind.DECIMAL),
    Col("needed", N_("Judges needed"), Kind.COUNT, value=lambda r: r.needed),
    Col("spread_limit", N_("Spread limit"), Kind.DECIMAL),
    Col("quorum_is_default", N_("Quorum from the round's data"), Kind.FLAG),
    Col("spread_is_default", N_("Spread limit from the round's data"), Kind.FLAG),
    Col("closed_at", N_("Closed at"), Kind.WHEN),
    Col("closed_by", N_("Closed by")),
)


MEMBER_COLUMNS = (
    Col("year", N_("Round"), Kind.CODE, table=False),
    Col("name", N_("Name"), wrap=True),
    Col("agency", N_("Agency"), Kind.CODE, show=agency_short),
    Col("title", N_("Title"), wrap=True, priority=USEFUL),
    Col("scored", N_("Products scored"), Kind.COUNT),
)


def member_rows(*, session: Session, year: int) -> list[MemberRow]:
    year = check_year(year)
    counts = dict(
        session.exec(
            select(JudgeScore.member_id, func.count())
            .where(JudgeScore.year == year)
            .group_by(col(JudgeScore.member_id))
        ).all()
    )
    return [MemberRow(year, m.name, m.agency, m.title, counts.get(id_of(m), 0)) for m in members_of(session, year)]


def summary(verdicts: list[ProductResult]) -> dict[CommitteeStatus, int]:
    """How many products are agreed, pending and flagged."""
    counts = dict.fromkeys(CommitteeStatus, 0)
    for v in verdicts:
        counts[v.status] += 1
    return counts
