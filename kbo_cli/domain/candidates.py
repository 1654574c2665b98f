"""Ranking products for the province's pick, with a score that explains itself.

The weights are reviewed data (data/candidate_weights.toml, explained there and in the README); a user may
override any of them with a TOML file of their own. Which certificates make a product eligible is the
round's (data/opc_rounds.toml). Counting is done in SQL, by the rules of `checklist`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, cast

from sqlalchemy import BigInteger, ColumnElement, and_, case, func, literal, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from kbo_cli.domain import columns as c
from kbo_cli.domain import committee
from kbo_cli.domain.checklist import applicable_sql, certified_count_sql
from kbo_cli.domain.opc import Round, round_for
from kbo_cli.domain.reports import count_where, filters, products_in
from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
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
from kbo_cli.storage.rows import streamed_rows
from kbo_cli.transfer.files import read_small
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
    for name, sign in _SIGNS.items():  # a penalty that adds points, or a cap that takes them, is a slip
        value = getattr(weights, name)
        if (value > 0) if sign < 0 else (value < 0):
            raise InvalidValue(
                _("the weight {name} must be {sign}, not {value}", name=name, sign=_(_SIGN_WORDS[sign]), value=value),
                _("see data/candidate_weights.toml for what each weight does"),
            )
    return weights


#: weights whose sign is part of their meaning: -1 zero or below, +1 zero or above
_SIGNS = {"weakness_penalty": -1, "weakness_floor": -1, "visit_points": 1, "visits_max": 1}
_SIGN_WORDS = {-1: N_("zero or below"), 1: N_("zero or above")}


def _read_override(path: Path) -> dict[str, Any]:
    hint = _("see data/candidate_weights.toml for the form")
    data = read_small(path, limit=MAX_FILE_BYTES, what=_("a weights file"), hint=_("give the path of a TOML file"))
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
    ]
    # what a product has none of gives no points either: left out ("open weaknesses 0 0" read as a riddle)
    if row.open_weaknesses or row.weakness_points:
        parts.append(part(_("open weaknesses"), str(row.open_weaknesses), row.weakness_points))
    if row.plans_done or row.plans_open or row.plan_points:
        parts.append(part(_("plans done"), f"{row.plans_done}/{row.plans_done + row.plans_open}", row.plan_points))
    if row.visits or row.visit_points:
        parts.append(part(_("visits"), str(row.visits), row.visit_points))
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
    scope = products_in(session, district=district, category=category)
    in_scope = (lambda column: col(column).in_(scope)) if scope is not None else (lambda column: true())

    # the products in id order, each with its checklist summed in SQL into an integer or two (`_entry_states`);
    # the other per-product counts are queries of their own in the same order, merged in as the products go by
    standards = catalog.standards()
    codes = tuple(dict.fromkeys((*standards, *rnd.legal_standards)))
    chunks = [codes[i : i + _PER_SUM] for i in range(0, len(codes), _PER_SUM)] or [()]
    states = (
        sa_select(col(ChecklistEntry.product_id), *_entry_states(chunks, today))
        .where(in_scope(ChecklistEntry.product_id))
        .group_by(col(ChecklistEntry.product_id))
    ).subquery("states")
    products = sa_select(
        id_col(Product.id),
        col(Product.code),
        col(Product.name),
        col(Product.category),
        col(Product.group_id),
        *list(states.c)[1:],
    ).outerjoin(states, states.c.product_id == Product.id)
    if district:
        products = products.join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)
    products = filters(products, session, district=district, category=category).order_by(col(Product.id))
    latest = (
        select(OpcScore.product_id, func.max(OpcScore.year).label("year"))
        .where(in_scope(OpcScore.product_id))
        .group_by(col(OpcScore.product_id))
    ).subquery("latest")
    opc = (
        sa_select(latest.c.product_id, latest.c.year, col(OpcScore.part1) + col(OpcScore.part2) + col(OpcScore.part3))
        .join(OpcScore, and_(col(OpcScore.product_id) == latest.c.product_id, col(OpcScore.year) == latest.c.year))
        .order_by(latest.c.product_id)
    )
    weak = (
        sa_select(col(Finding.product_id), func.count())
        .where(
            col(Finding.kind) == FindingKind.WEAKNESS, col(Finding.resolved_on).is_(None), in_scope(Finding.product_id)
        )
        .group_by(col(Finding.product_id))
        .order_by(col(Finding.product_id))
    )
    plans = (
        sa_select(
            col(PlanAction.product_id),
            count_where(PlanAction.status == ActionStatus.DONE),
            count_where(PlanAction.status == ActionStatus.OPEN),
        )
        .where(in_scope(PlanAction.product_id))
        .group_by(col(PlanAction.product_id))
        .order_by(col(PlanAction.product_id))
    )
    since = today - timedelta(days=w.visit_window_days)
    recent = select(Visit.id).where(col(Visit.visited_on) >= since)  # by the date's index, then each visit's products
    visits = (
        sa_select(col(VisitProduct.product_id), func.count())
        .where(col(VisitProduct.visit_id).in_(recent), in_scope(VisitProduct.product_id))
        .group_by(col(VisitProduct.product_id))
        .order_by(col(VisitProduct.product_id))
    )
    linked = select(VisitProduct.visit_id).where(VisitProduct.visit_id == Visit.id).exists()
    group_visits = (
        sa_select(col(Visit.group_id), func.count())
        .where(col(Visit.visited_on) >= since, ~linked)
        .group_by(col(Visit.group_id))
    )
    groups = filters(
        sa_select(
            id_col(ProducerGroup.id), col(ProducerGroup.code), col(ProducerGroup.name), col(ProducerGroup.district)
        ),
        session,
        district=district,
    )
    conn = session.connection()
    visits_of_group: dict[int, int] = dict(cast("Iterator[tuple[int, int]]", streamed_rows(conn, group_visits)))
    # each group's code, name and district, read once rather than with each of its products; by id in lists
    # when the ids are dense, as they are (dicts would hold the country's 95,400 groups in 14 MB more)
    found = list(streamed_rows(conn, groups))
    top = max((gid for gid, *_ in found), default=0)
    dense = top < 2 * len(found) + 1000

    def by_id() -> list[str] | dict[int, str]:
        return [""] * (top + 1) if dense else {}

    code_of, name_of, district_of = by_id(), by_id(), by_id()
    districts: dict[str, str] = {}
    for gid, code, name, dist in found:
        code_of[gid], name_of[gid], district_of[gid] = code, name, districts.setdefault(dist, dist)
    del found
    # a committee's result replaces the single score: the round asked for's, else each product's latest
    committee_round, verdicts = committee.opc_results(session=session, year=year)

    # the parts take few distinct values (a product's checklist, counts of weaknesses, plans and visits), so each
    # is worked out once
    ratio = cache(lambda weight, got, of: round(weight * got / of, 2) + 0.0 if of else 0.0)
    opc_part = cache(lambda total: round(w.opc * total / 100, 2) + 0.0)
    weak_part = cache(lambda n: round(max(w.weakness_penalty * n, w.weakness_floor), 2) + 0.0)
    visit_part = cache(lambda n: round(min(w.visit_points * n, w.visits_max), 2) + 0.0)

    @cache
    def checklist_part(category: str, sums: tuple[Any, ...]) -> tuple[tuple[int, int, float, int, int, float], bool]:
        """((required certified, applicable, points, recommended certified, applicable, points), eligible)."""
        r_all = r_cert = c_all = c_cert = 0
        legal = False
        for chunk, total in zip(chunks, sums, strict=True):
            bits = int(total or 0)
            for i, code in enumerate(chunk):
                state = bits >> (2 * i) & 3
                std = standards.get(code)
                if std and std.is_required(category):
                    r_all, r_cert = r_all + (state & 1), r_cert + (state >> 1)
                else:
                    c_all, c_cert = c_all + (state & 1), c_cert + (state >> 1)
                legal = legal or (state == 3 and code in rnd.legal_standards)
            if chunk is chunks[0]:  # standards the catalogue no longer has: recommended ones
                c_all += bits // _OTHER % 2**16
                c_cert += bits // _OTHER_CERTIFIED
        req_p = ratio(w.required_certified, r_cert, r_all)
        rec_p = ratio(w.recommended_certified, c_cert, c_all)
        return (r_cert, r_all, req_p, c_cert, c_all, rec_p), legal

    @cache
    def activity_part(
        open_weak: int, done: int, open_: int, n_visits: int
    ) -> tuple[int, float, int, int, float, int, float]:
        """(open weaknesses, points, plan actions done, open, points, visits, points)."""
        plan_p = ratio(w.plan_done, done, done + open_)
        return open_weak, weak_part(open_weak), done, open_, plan_p, n_visits, visit_part(n_visits)

    # OPC rounds, categories, and floats (OPC totals, scores) repeat across products: each value is kept once
    year_of: dict[int, int] = {}
    category_of: dict[str, str] = {}
    float_of: dict[float, float] = {}
    opc_rows, weak_rows, plan_rows, visit_rows = (streamed_rows(conn, q) for q in (opc, weak, plans, visits))
    end: Any = (float("inf"),)  # after the last product
    o, k, p, v = next(opc_rows, end), next(weak_rows, end), next(plan_rows, end), next(visit_rows, end)
    rows: list[Any] = []  # each product's CandidateRow fields, as a plain tuple ranked 0 until the order is known
    for pid, p_code, p_name, cat, gid, *sums in streamed_rows(conn, products):
        while o[0] < pid:
            o = next(opc_rows, end)
        while k[0] < pid:
            k = next(weak_rows, end)
        while p[0] < pid:
            p = next(plan_rows, end)
        while v[0] < pid:
            v = next(visit_rows, end)
        opc_year, opc_total = (
            (year_of.setdefault(o[1], o[1]), float_of.setdefault(o[2], float(o[2]))) if o[0] == pid else (None, None)
        )
        verdict, opc_status = verdicts.get(pid), None
        if committee_round is not None or (verdict is not None and (opc_year is None or verdict.year >= opc_year)):
            opc_year = committee_round or (verdict.year if verdict is not None else None)
            opc_total = verdict.result if verdict is not None else None
            opc_status = verdict.status if verdict is not None else CommitteeStatus.PENDING
        opc_p = opc_part(opc_total) if opc_total is not None else 0.0
        (checks, eligible), activity = (
            checklist_part(cat, tuple(sums)),
            activity_part(
                k[1] if k[0] == pid else 0,
                *((p[1], p[2]) if p[0] == pid else (0, 0)),
                (v[1] if v[0] == pid else 0) + visits_of_group.get(gid, 0),
            ),
        )
        score = round(checks[2] + checks[5] + opc_p + activity[1] + activity[4] + activity[6], 2) + 0.0
        rows.append(
            (
                0,
                p_code,
                p_name,
                code_of[gid],
                name_of[gid],
                district_of[gid],
                category_of.setdefault(cat, cat),
                eligible,
                *checks,
                opc_year,
                opc_total,
                opc_p,
                opc_status,
                *activity,
                float_of.setdefault(score, score),
            )
        )
    del code_of, name_of, district_of
    # best first: stable sorts by one field each, the last key first (no key tuple is made for each product)
    for field, best_first in (("product_code", False), ("score", True), ("eligible", True)):
        rows.sort(key=itemgetter(CandidateRow._fields.index(field)), reverse=best_first)
    for i, row in enumerate(rows):  # ranked in place: the unranked row is freed as its ranked one (of the same
        rows[i] = CandidateRow._make((i + 1, *row[1:]))  # size, so it takes the freed memory) is made
    ranked: list[CandidateRow] = rows
    return ranked


#: a product's checklist summed in SQL (`_entry_states`): 2 bits for each standard of a sum, this many at most
_PER_SUM = 15
#: above them in the first sum, its entries of standards the catalogue no longer has: 16 bits count those that
#: apply, 16 those certified (a product has one entry per standard: a handful, never thousands)
_OTHER = 4**_PER_SUM
_OTHER_CERTIFIED = _OTHER * 2**16


def _entry_states(chunks: list[tuple[str, ...]], today: date) -> list[ColumnElement[Any]]:
    """Per product, summed over its entries by the rules of `checklist`: one sum for each chunk of standards,
    each standard in 2 bits, 0 when it does not apply (or the product has no entry for it), 1 when it applies,
    3 when it also counts as certified. A product has one entry per standard, so the sum keeps them apart."""
    applicable, certified = applicable_sql(), certified_count_sql(today)
    state = applicable + certified * 2
    other = applicable * literal(_OTHER, BigInteger) + certified * literal(_OTHER_CERTIFIED, BigInteger)
    sums: list[ColumnElement[Any]] = []
    for chunk in chunks:
        whens: dict[str, Any] = {code: state * literal(4**i, BigInteger) for i, code in enumerate(chunk)}
        if chunk is chunks[0]:
            whens.update((code, 0) for later in chunks[1:] for code in later)
        sums.append(func.sum(case(whens, value=col(ChecklistEntry.standard), else_=other if chunk is chunks[0] else 0)))
    return sums
