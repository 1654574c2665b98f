"""Ranking products for the province's pick, with a score that explains itself.

The weights are reviewed data (data/candidate_weights.toml, explained there and in the README); a user may
override any of them with a TOML file of their own. Which certificates make a product eligible is the
round's (data/opc_rounds.toml). Counting is done in SQL, by the rules of `checklist`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from kbo_cli.domain import columns as c
from kbo_cli.domain import committee
from kbo_cli.domain.checklist import applicable_sql, certified_sql, required_sql
from kbo_cli.domain.opc import Round, round_for
from kbo_cli.domain.reports import filters
from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.reference.resources import load_toml
from kbo_cli.render.columns import USEFUL, Col, Kind
from kbo_cli.render.values import decimal
from kbo_cli.storage.models import (
    ChecklistEntry,
    Finding,
    OpcScore,
    PlanAction,
    ProducerGroup,
    Product,
    Visit,
    VisitProduct,
    id_col,
)
from kbo_cli.vocab import ActionStatus, CommitteeStatus, FindingKind

MAX_FILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Weights:
    required_certified: float
    recommended_certified: float
    opc: float
    weakness_penalty: float
    weakness_floor: float
    plan_done: float
    visit_points: float
    visits_max: float
    visit_window_days: int


#: the range each weight may take (a weights file is data a user wrote: checked like typed input)
LIMITS = {"visit_window_days": (1, 3650)}
WEIGHT_RANGE = (-1000.0, 1000.0)


def load_weights(override: Path | None = None) -> Weights:
    raw = dict(load_toml("candidate_weights.toml"))
    if override is not None:
        raw.update(_read_override(override))
    try:
        weights = Weights(**raw)
    except TypeError as exc:
        raise InvalidValue(_("the weights are incomplete"), _("see data/candidate_weights.toml")) from exc
    return weights


def _read_override(path: Path) -> dict[str, Any]:
    hint = _("see data/candidate_weights.toml for the form")
    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise InvalidValue(
            _("cannot read {path}: {reason}", path=path, reason=exc.strerror or exc), _("give the path of a TOML file")
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise InvalidValue(_("{path} is too large for a weights file", path=path), hint)
    try:
        extra = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidValue(_("{path} is not UTF-8 text", path=path), _("save it as UTF-8")) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValue(_("{path} is not valid TOML: {reason}", path=path, reason=str(exc)), hint) from exc
    known = {f.name: f.type for f in fields(Weights)}
    unknown = set(extra) - set(known)
    if unknown:
        raise InvalidValue(
            _("unknown weights: {names}", names=", ".join(sorted(unknown))),
            _("known weights: {names}", names=", ".join(known)),
        )
    for key, value in extra.items():
        low, high = LIMITS.get(key, WEIGHT_RANGE)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise InvalidValue(
                _("the weight {name} must be a number from {low} to {high}", name=key, low=low, high=high), hint
            )
        if key in LIMITS and not isinstance(value, int):
            raise InvalidValue(_("the weight {name} must be a whole number", name=key), hint)
    return extra


class CandidateRow(NamedTuple):
    rank: int
    product_code: str
    product_name: str
    group_code: str
    group_name: str
    district: str
    category: str
    eligible: bool
    required_certified: int
    required_applicable: int
    required_points: float
    recommended_certified: int
    recommended_applicable: int
    recommended_points: float
    opc_year: int | None
    opc_total: float | None
    opc_points: float
    opc_status: CommitteeStatus | None  # the committee's verdict, when the OPC result comes from a committee round
    open_weaknesses: int
    weakness_points: float
    plans_done: int
    plans_open: int
    plan_points: float
    visits: int
    visit_points: float
    score: float


def breakdown(row: CandidateRow) -> str:
    """Where a score comes from, part by part, for people."""

    def part(label: str, detail: str, points: float) -> str:
        sign = decimal(points)
        return f"{label} {detail} {sign if sign.startswith('-') or sign == '0' else '+' + sign}"

    parts = [
        part(_("required"), f"{row.required_certified}/{row.required_applicable}", row.required_points),
        part(_("recommended"), f"{row.recommended_certified}/{row.recommended_applicable}", row.recommended_points),
        part("OPC", _opc_detail(row), row.opc_points),
        part(_("open weaknesses"), str(row.open_weaknesses), row.weakness_points),
        part(_("plans done"), f"{row.plans_done}/{row.plans_done + row.plans_open}", row.plan_points),
        part(_("visits"), str(row.visits), row.visit_points),
    ]
    return " · ".join(parts)


def _opc_detail(row: CandidateRow) -> str:
    if row.opc_status not in (None, CommitteeStatus.AGREED):
        return _("pending")
    return decimal(row.opc_total) if row.opc_total is not None else "–"


def _opc_pending(row: CandidateRow) -> str:
    """A committee result not settled yet: the product cannot be picked in that round."""
    if row.opc_status in (None, CommitteeStatus.AGREED):
        return ""
    return f"{row.opc_status.label} ({row.opc_year})"


def _eligible_text(value: bool) -> str:
    return _("yes") if value else _("no")


CANDIDATE_COLUMNS = (
    Col("rank", N_("Rank"), Kind.COUNT),
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    c.GROUP_CODE,
    c.GROUP_NAME,
    Col("district", N_("District"), table=False),
    Col("category", N_("Category"), table=False),
    Col("eligible", N_("Eligible"), Kind.FLAG, show=_eligible_text),
    Col("score", N_("Score"), Kind.DECIMAL),
    Col("breakdown", N_("Where the score comes from"), value=breakdown, machine=False, wrap=True, priority=USEFUL),
    Col("opc_pending", N_("OPC pending"), value=_opc_pending, machine=False, wrap=True, priority=USEFUL),
    *(
        Col(key, header, kind, table=False)
        for key, header, kind in (
            ("required_certified", N_("Required certified"), Kind.COUNT),
            ("required_applicable", N_("Required applicable"), Kind.COUNT),
            ("required_points", N_("Required pts"), Kind.DECIMAL),
            ("recommended_certified", N_("Recommended certified"), Kind.COUNT),
            ("recommended_applicable", N_("Recommended applicable"), Kind.COUNT),
            ("recommended_points", N_("Recommended pts"), Kind.DECIMAL),
            ("opc_year", N_("OPC round"), Kind.CODE),
            ("opc_total", N_("OPC total"), Kind.DECIMAL),
            ("opc_points", N_("OPC pts"), Kind.DECIMAL),
            ("opc_status", N_("OPC committee status"), Kind.TERM),
            ("open_weaknesses", N_("Open weaknesses"), Kind.COUNT),
            ("weakness_points", N_("Weakness pts"), Kind.DECIMAL),
            ("plans_done", N_("Actions done"), Kind.COUNT),
            ("plans_open", N_("Actions open"), Kind.COUNT),
            ("plan_points", N_("Plan pts"), Kind.DECIMAL),
            ("visits", N_("Recent visits"), Kind.COUNT),
            ("visit_points", N_("Visit pts"), Kind.DECIMAL),
        )
    ),
)
# JSON and CSV keep the documented key order: the score comes last there, beside the product in tables
CANDIDATE_COLUMNS = (
    *(c_.replace(machine=False) if c_.key == "score" else c_ for c_ in CANDIDATE_COLUMNS),
    Col("score", N_("Score"), Kind.DECIMAL, table=False),
)


def rank(
    *,
    session: Session,
    category: str | None = None,
    district: str | None = None,
    weights: Weights | None = None,
    year: int | None = None,
    today: date | None = None,
) -> list[CandidateRow]:
    """Every product with its score breakdown, best first (eligible products before the others)."""
    w = weights or load_weights()
    rnd: Round = round_for(year)
    today = today or date.today()
    scope = filters(
        select(Product.id).join(ProducerGroup, col(ProducerGroup.id) == Product.group_id),
        session,
        district=district,
        category=category,
    )
    # each per-product count is aggregated on its own (over the products in scope only, when filtered)
    # and joined to its product: one streamed query, whatever the size of the register
    in_scope = (lambda column: col(column).in_(scope)) if (category or district) else (lambda column: true())
    is_required, certified = required_sql(), certified_sql(today)
    legal = col(ChecklistEntry.standard).in_(rnd.legal_standards)
    applicable = applicable_sql() == 1
    counts = (
        sa_select(
            col(ChecklistEntry.product_id),
            _count(is_required & applicable).label("r_all"),
            _count(is_required & certified).label("r_cert"),
            _count(applicable).label("all"),  # recommended = all - required: the rule that is long is
            _count(certified).label("cert"),  # evaluated twice per entry, not four times
            _count(certified & legal).label("legal"),
        )
        .join(Product, col(Product.id) == ChecklistEntry.product_id)
        .where(in_scope(ChecklistEntry.product_id))
        .group_by(col(ChecklistEntry.product_id))
    ).subquery("counts")
    latest = (
        select(OpcScore.product_id, func.max(OpcScore.year).label("year"))
        .where(in_scope(OpcScore.product_id))
        .group_by(col(OpcScore.product_id))
    ).subquery("latest")
    weak = (
        select(Finding.product_id, func.count().label("n"))
        .where(Finding.kind == FindingKind.WEAKNESS, col(Finding.resolved_on).is_(None), in_scope(Finding.product_id))
        .group_by(col(Finding.product_id))
    ).subquery("weak")
    plans = (
        select(
            PlanAction.product_id,
            _count(PlanAction.status == ActionStatus.DONE).label("done"),
            _count(PlanAction.status == ActionStatus.OPEN).label("open"),
        )
        .where(in_scope(PlanAction.product_id))
        .group_by(col(PlanAction.product_id))
    ).subquery("plans")
    since = today - timedelta(days=w.visit_window_days)
    visits = (
        select(VisitProduct.product_id, func.count().label("n"))
        .join(Visit, col(Visit.id) == VisitProduct.visit_id)
        .where(Visit.visited_on >= since, in_scope(VisitProduct.product_id))
        .group_by(col(VisitProduct.product_id))
    ).subquery("visits")
    linked = select(VisitProduct.visit_id).where(VisitProduct.visit_id == Visit.id).exists()
    group_visits = (
        select(Visit.group_id, func.count().label("n"))
        .where(Visit.visited_on >= since, ~linked)
        .group_by(col(Visit.group_id))
    ).subquery("group_visits")

    def zero(column: Any) -> ColumnElement[Any]:
        return func.coalesce(column, 0)

    query = filters(
        sa_select(
            id_col(Product.id),
            col(Product.code),
            col(Product.name),
            col(Product.category),
            col(ProducerGroup.code),
            col(ProducerGroup.name),
            col(ProducerGroup.district),
            zero(counts.c.r_all),
            zero(counts.c.r_cert),
            zero(counts.c["all"]) - zero(counts.c.r_all),
            zero(counts.c.cert) - zero(counts.c.r_cert),
            zero(counts.c.legal),
            latest.c.year,
            col(OpcScore.part1) + col(OpcScore.part2) + col(OpcScore.part3),
            zero(weak.c.n),
            zero(plans.c.done),
            zero(plans.c.open),
            zero(visits.c.n) + zero(group_visits.c.n),
        )
        .join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)
        .outerjoin(counts, counts.c.product_id == Product.id)
        .outerjoin(latest, latest.c.product_id == Product.id)
        .outerjoin(OpcScore, and_(col(OpcScore.product_id) == Product.id, col(OpcScore.year) == latest.c.year))
        .outerjoin(weak, weak.c.product_id == Product.id)
        .outerjoin(plans, plans.c.product_id == Product.id)
        .outerjoin(visits, visits.c.product_id == Product.id)
        .outerjoin(group_visits, group_visits.c.group_id == ProducerGroup.id),
        session,
        district=district,
        category=category,
    )
    # a committee's result replaces the single score: the round asked for's, else each product's latest
    committee_round, verdicts = committee.opc_results(session=session, year=year)

    # the parts take few distinct values (counts of a handful of standards, plans, visits), so each is worked
    # out once; texts repeated across rows (districts, categories, groups) are kept once
    ratio = cache(lambda weight, got, of: round(weight * got / of, 2) + 0.0 if of else 0.0)
    opc_part = cache(lambda total: round(w.opc * total / 100, 2) + 0.0)
    weak_part = cache(lambda n: round(max(w.weakness_penalty * n, w.weakness_floor), 2) + 0.0)
    visit_part = cache(lambda n: round(min(w.visit_points * n, w.visits_max), 2) + 0.0)
    texts: dict[str, str] = {}
    share = texts.setdefault
    rows: list[CandidateRow] = []
    for (
        pid,
        p_code,
        p_name,
        cat,
        g_code,
        g_name,
        dist,
        r_all,
        r_cert,
        c_all,
        c_cert,
        n_legal,
        opc_year,
        opc_total,
        open_weak,
        done,
        open_,
        n_visits,
    ) in session.connection().execute(query.execution_options(yield_per=5000)):
        opc_total = float(opc_total) if opc_total is not None else None
        verdict, opc_status = verdicts.get(pid), None
        if committee_round is not None or (verdict is not None and (opc_year is None or verdict.year >= opc_year)):
            opc_year = committee_round or (verdict.year if verdict is not None else None)
            opc_total = verdict.result if verdict is not None else None
            opc_status = verdict.status if verdict is not None else CommitteeStatus.PENDING
        req_p = ratio(w.required_certified, r_cert, r_all)
        rec_p = ratio(w.recommended_certified, c_cert, c_all)
        opc_p = opc_part(opc_total) if opc_total is not None else 0.0
        weak_p, visit_p = weak_part(open_weak), visit_part(n_visits)
        plan_p = ratio(w.plan_done, done, done + open_)
        score = round(req_p + rec_p + opc_p + weak_p + plan_p + visit_p, 2) + 0.0
        rows.append(
            CandidateRow._make(
                (
                    0,
                    p_code,
                    p_name,
                    share(g_code, g_code),
                    share(g_name, g_name),
                    share(dist, dist),
                    share(cat, cat),
                    n_legal > 0,
                    r_cert,
                    r_all,
                    req_p,
                    c_cert,
                    c_all,
                    rec_p,
                    opc_year,
                    opc_total,
                    opc_p,
                    opc_status,
                    open_weak,
                    weak_p,
                    done,
                    open_,
                    plan_p,
                    n_visits,
                    visit_p,
                    score,
                )
            )
        )
    rows.sort(key=lambda r: (not r.eligible, -r.score, r.product_code))
    for i, row in enumerate(rows):  # ranked in place: the unranked row is freed as its ranked one is made
        rows[i] = CandidateRow._make((i + 1, *row[1:]))
    return rows


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
