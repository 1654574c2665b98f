"""Ranking products for the province's pick, with a score that explains itself.

The weights are reviewed data (data/candidate_weights.toml, explained there and in the README); a user
may override any of them with a TOML file of their own.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.reference import catalog
from kbo_cli.domain import network
from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _
from kbo_cli.storage.models import ChecklistEntry, Finding, OpcScore, PlanAction, ProducerGroup, Product, Visit, VisitProduct
from kbo_cli.reference.resources import load_toml
from kbo_cli.vocab import Status


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
    legal_standards: tuple[str, ...]


def load_weights(override: Path | None = None) -> Weights:
    raw = dict(load_toml("candidate_weights.toml"))
    if override is not None:
        try:
            with override.open("rb") as fh:
                extra = tomllib.load(fh)
        except OSError as exc:
            raise InvalidValue(_("cannot read {path}: {reason}", path=override, reason=exc.strerror),
                               _("give the path of a TOML file")) from exc
        except tomllib.TOMLDecodeError as exc:
            raise InvalidValue(_("{path} is not valid TOML: {reason}", path=override, reason=str(exc)),
                               _("see data/candidate_weights.toml for the form")) from exc
        unknown = set(extra) - {f.name for f in fields(Weights)}
        if unknown:
            raise InvalidValue(_("unknown weights: {names}", names=", ".join(sorted(unknown))),
                               _("known weights: {names}", names=", ".join(f.name for f in fields(Weights))))
        raw.update(extra)
    raw["legal_standards"] = tuple(raw["legal_standards"])
    try:
        return Weights(**raw)
    except TypeError as exc:
        raise InvalidValue(_("the weights are incomplete"), _("see data/candidate_weights.toml")) from exc


def rank(
    *, session: Session, category: str | None = None, district: str | None = None, weights: Weights | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Every product with its score breakdown, best first (eligible products before the others)."""
    w = weights or load_weights()
    today = today or date.today()
    standards = catalog.standards()
    query = (
        select(Product.id, Product.code, Product.name, Product.category, ProducerGroup.id, ProducerGroup.code,
               ProducerGroup.name, ProducerGroup.district)
        .join(ProducerGroup, ProducerGroup.id == Product.group_id)
    )
    if category:
        query = query.where(Product.category == catalog.parse_category(category).code)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district, strict=False))
    products = session.exec(query).all()
    if not products:
        return []
    scope = query.with_only_columns(Product.id).subquery()  # the same filters, as a join (never a huge IN list)

    def in_scope(column: Any) -> Any:
        return col(column).in_(select(scope.c.id))

    req = defaultdict(lambda: [0, 0])  # product -> [certified, applicable]
    rec = defaultdict(lambda: [0, 0])
    legal: set[int] = set()
    cats = {p[0]: p[3] for p in products}
    entry_query = select(ChecklistEntry.product_id, ChecklistEntry.standard, ChecklistEntry.status,
                         ChecklistEntry.expires_on)
    if category or district:
        entry_query = entry_query.where(in_scope(ChecklistEntry.product_id))
    for pid, std_code, status, expires_on in session.connection().execute(entry_query):
        if status == Status.NOT_APPLICABLE:
            continue
        std = standards.get(std_code)
        bucket = req if std and std.is_required(cats[pid]) else rec
        bucket[pid][1] += 1
        certified = status == Status.CERTIFIED and not (expires_on is not None and expires_on < today)
        if certified:
            bucket[pid][0] += 1
            if std_code in w.legal_standards:
                legal.add(pid)
    latest_opc: dict[int, tuple[int, float]] = {}
    for pid, year, total in session.connection().execute(
        select(OpcScore.product_id, OpcScore.year, OpcScore.part1 + OpcScore.part2 + OpcScore.part3)
    ):
        if pid in cats and (pid not in latest_opc or year > latest_opc[pid][0]):
            latest_opc[pid] = (year, float(total))
    weaknesses = dict(session.connection().execute(
        select(Finding.product_id, func.count()).where(Finding.kind == "weakness", col(Finding.resolved_on).is_(None))
        .group_by(Finding.product_id)
    ).all())
    plans: dict[int, dict[str, int]] = defaultdict(dict)
    for pid, status, n in session.connection().execute(
        select(PlanAction.product_id, PlanAction.status, func.count()).group_by(PlanAction.product_id, PlanAction.status)
    ):
        plans[pid][status] = n
    since = today - timedelta(days=w.visit_window_days)
    visits: dict[int, int] = defaultdict(int)
    for pid, n in session.connection().execute(
        select(VisitProduct.product_id, func.count()).join(Visit, Visit.id == VisitProduct.visit_id)
        .where(Visit.visited_on >= since).group_by(VisitProduct.product_id)
    ):
        visits[pid] = n
    linked = select(VisitProduct.visit_id).where(VisitProduct.visit_id == Visit.id).exists()
    group_visits = dict(session.connection().execute(
        select(Visit.group_id, func.count()).where(Visit.visited_on >= since, ~linked).group_by(Visit.group_id)
    ).all())

    rows = []
    for pid, p_code, p_name, cat, gid, g_code, g_name, dist in products:
        r_cert, r_all = req[pid]
        c_cert, c_all = rec[pid]
        opc_year, opc_total = latest_opc.get(pid, (None, None))
        open_weak = weaknesses.get(pid, 0)
        done, open_ = plans[pid].get("done", 0), plans[pid].get("open", 0)
        n_visits = visits[pid] + group_visits.get(gid, 0)
        parts = {
            "required_points": w.required_certified * r_cert / r_all if r_all else 0.0,
            "recommended_points": w.recommended_certified * c_cert / c_all if c_all else 0.0,
            "opc_points": w.opc * opc_total / 100 if opc_total is not None else 0.0,
            "weakness_points": max(w.weakness_penalty * open_weak, w.weakness_floor),
            "plan_points": w.plan_done * done / (done + open_) if done + open_ else 0.0,
            "visit_points": min(w.visit_points * n_visits, w.visits_max),
        }
        parts = {k: round(v, 2) for k, v in parts.items()}
        rows.append({
            "product_code": p_code, "product_name": p_name, "group_code": g_code, "group_name": g_name,
            "district": dist, "category": cat, "eligible": pid in legal,
            "required_certified": r_cert, "required_applicable": r_all, "required_points": parts["required_points"],
            "recommended_certified": c_cert, "recommended_applicable": c_all,
            "recommended_points": parts["recommended_points"],
            "opc_year": opc_year, "opc_total": opc_total, "opc_points": parts["opc_points"],
            "open_weaknesses": open_weak, "weakness_points": parts["weakness_points"],
            "plans_done": done, "plans_open": open_, "plan_points": parts["plan_points"],
            "visits": n_visits, "visit_points": parts["visit_points"],
            "score": round(sum(parts.values()), 2),
        })
    rows.sort(key=lambda r: (not r["eligible"], -r["score"], r["product_code"]))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows
