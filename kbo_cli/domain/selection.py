"""The province's pick for a selection round, and the round report (the pick and the runners-up).

A pick must be eligible for the round (hold a valid certificate of one of the round's legal standards,
data/opc_rounds.toml); an ineligible one is refused unless the network says why it picks it anyway, and
that reason is recorded and shown. A pick can be changed, saying why: the round shows what it replaced,
and the history keeps the old pick.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlmodel import Session, select

from kbo_cli.domain import columns as c
from kbo_cli.domain.candidates import CandidateRow, Weights, rank
from kbo_cli.domain.committee import check_settled
from kbo_cli.domain.followup import author_or_user, parse_day
from kbo_cli.domain.opc import check_year, round_for
from kbo_cli.domain.reports import with_group
from kbo_cli.domain.text import LINE_MAX, free_text
from kbo_cli.errors import Conflict, InvalidValue, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import ProducerGroup, Product, Selection, id_of
from kbo_cli.thai.dates import not_after_today
from kbo_cli.vocab import Role

PROVINCE = "province"
RUNNERS_UP = 5


def scope_name(scope: str) -> str:
    return _("whole province") if scope == PROVINCE else catalog.category_name(scope)


def _reason(text: str | None, what: str) -> str:
    reason = free_text(text, what, limit=LINE_MAX * 2)
    if not reason:
        raise InvalidValue(_("the {what} cannot be empty", what=_(what)), _("say why, in quotes"))
    return reason


def select_product(
    *,
    session: Session,
    product: Product,
    year: int,
    reason: str,
    category_round: bool = False,
    decided_by: str | None = None,
    decided_on: str | date | None = None,
    ineligible_because: str | None = None,
    change: bool = False,
    meeting_id: int | None = None,
) -> Selection:
    """Record (or, with `change`, replace) the representative of a round: one per year, or one per category
    with `category_round`."""
    year = check_year(year)
    scope = product.category if category_round else PROVINCE
    why = _reason(reason, N_("reason"))
    on = not_after_today(decided_on if isinstance(decided_on, date) else parse_day(decided_on), N_("decision date"))
    existing = session.exec(select(Selection).where(Selection.year == year, Selection.scope == scope)).first()
    if existing is not None and not change:
        picked = session.get(Product, existing.product_id)
        raise Conflict(
            _(
                "round {year} ({scope}) already has its pick: {code} {name}",
                year=year,
                scope=scope_name(scope),
                code=picked.code if picked else "?",
                name=picked.name if picked else "",
            ),
            _("to change it, add --change and say why with --reason; for a pick per category add --category-round"),
        )
    if existing is None and change:
        raise NotFound(
            _("round {year} ({scope}) has no pick to change", year=year, scope=scope_name(scope)),
            _("leave out --change to record the round's first pick"),
        )
    if existing is not None and existing.product_id == product.id:
        raise Conflict(
            _("{code} is already the pick of round {year}", code=product.code, year=year),
            _("pick another product, or leave the round as it is"),
        )
    check_settled(session=session, year=year, product=product)  # a committee round: its result must be agreed
    candidates = {r.product_code: r for r in rank(session=session, year=year)}
    candidate: CandidateRow | None = candidates.get(product.code)
    why_anyway = (
        None if ineligible_because is None else _reason(ineligible_because, N_("reason for an ineligible pick"))
    )
    override = None
    if candidate is None or not candidate.eligible:
        if why_anyway is None:
            legal = ", ".join(c.standard_mark(s) for s in round_for(year).legal_standards)
            raise Conflict(
                _(
                    "{code} is not eligible for round {year}: it holds no valid certificate of {legal}",
                    code=product.code,
                    year=year,
                    legal=legal,
                ),
                _(
                    "pick an eligible product (see 'kbo report candidates'), or record why the network picks it "
                    'anyway with --ineligible-because "..."'
                ),
            )
        override = why_anyway
    row = existing or Selection(
        year=year, scope=scope, product_id=id_of(product), reason="", decided_by="", decided_on=on
    )
    if existing is not None:
        row.previous_product_id = existing.product_id
    row.product_id = id_of(product)
    row.reason = why
    row.decided_by = author_or_user(decided_by)
    row.decided_on = on
    row.override = override
    row.meeting_id = meeting_id
    session.add(row)
    session.flush()
    return row


class RoundRow(NamedTuple):
    year: int
    scope: str
    role: Role
    rank: int | None
    product_code: str
    product_name: str
    group_code: str
    district: str
    category: str
    score: float | None
    reason: str | None
    decided_by: str | None
    decided_on: date | None
    ineligible_because: str | None
    replaces: str | None


def _role_style(value: object, _row: object) -> str:
    return "bold green" if value == Role.SELECTED else ""


ROUND_COLUMNS = (
    Col("year", N_("Round"), Kind.CODE, table=False),
    Col("scope", N_("Scope"), show=scope_name, priority=EXTRA),
    Col("role", N_("Role"), Kind.TERM, style=_role_style),
    Col("rank", N_("Rank"), Kind.COUNT),
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    Col("group_code", N_("Group code"), Kind.CODE, table=False),
    Col("district", N_("District"), priority=EXTRA),
    Col("category", N_("Category"), table=False),
    Col("score", N_("Score"), Kind.DECIMAL),
    Col("reason", N_("Reason"), wrap=True, priority=USEFUL),
    Col("decided_by", N_("Decided by"), wrap=True, priority=EXTRA),
    Col("decided_on", N_("Decided on"), Kind.DATE, priority=EXTRA),
    Col("ineligible_because", N_("Picked although not eligible, because"), wrap=True, priority=USEFUL),
    Col("replaces", N_("Replaces"), Kind.CODE, priority=USEFUL),
)


def round_rows(
    *, session: Session, year: int, category: str | None = None, weights: Weights | None = None
) -> list[RoundRow]:
    """The picks of a round, each followed by its runners-up from the current ranking."""
    year = check_year(year)
    query = (
        with_group(select(Selection, Product, ProducerGroup), Selection.product_id)
        .where(Selection.year == year)
        .order_by(Selection.scope)
    )
    if category:
        query = query.where(Selection.scope == catalog.parse_category(category).code)
    picks = session.exec(query).all()
    if not picks:
        raise NotFound(
            _("round {year} has no pick yet", year=year),
            _("record one with 'kbo select PRODUCT --year {year} --reason ...'", year=year),
        )
    rows: list[RoundRow] = []
    for sel, product, group in picks:
        ranking = rank(
            session=session, category=None if sel.scope == PROVINCE else sel.scope, weights=weights, year=year
        )
        chosen = next((r for r in ranking if r.product_code == product.code), None)
        previous = session.get(Product, sel.previous_product_id) if sel.previous_product_id else None
        rows.append(
            RoundRow(
                year,
                sel.scope,
                Role.SELECTED,
                chosen.rank if chosen else None,
                product.code,
                product.name,
                group.code,
                group.district,
                product.category,
                chosen.score if chosen else None,
                sel.reason,
                sel.decided_by,
                sel.decided_on,
                sel.override,
                previous.code if previous else None,
            )
        )
        for r in [r for r in ranking if r.product_code != product.code][:RUNNERS_UP]:
            rows.append(
                RoundRow(
                    year,
                    sel.scope,
                    Role.RUNNER_UP,
                    r.rank,
                    r.product_code,
                    r.product_name,
                    r.group_code,
                    r.district,
                    r.category,
                    r.score,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
    return rows
