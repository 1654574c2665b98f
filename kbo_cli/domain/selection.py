"""The province's pick for a selection round, and the round report (the pick and the runners-up)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from kbo_cli.reference import catalog
from kbo_cli.domain.candidates import Weights, rank
from kbo_cli.config import current_user
from kbo_cli.errors import Conflict, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.storage.models import ProducerGroup, Product, Selection
from kbo_cli.domain.opc import check_year
from kbo_cli.domain.refs import required_name
from kbo_cli.thai.textnorm import clean_text

PROVINCE = "province"
RUNNERS_UP = 5


def select_product(
    *, session: Session, product: Product, year: int, reason: str, category_round: bool = False,
    decided_by: str | None = None, decided_on: date | None = None,
) -> Selection:
    """Record the representative of a round: one per year, or one per category with `category_round`."""
    year = check_year(year)
    scope = product.category if category_round else PROVINCE
    existing = session.exec(select(Selection).where(Selection.year == year, Selection.scope == scope)).first()
    if existing is not None:
        picked = session.get(Product, existing.product_id)
        raise Conflict(
            _("round {year} ({scope}) already has its pick: {code} {name}", year=year,
              scope=scope_name(scope), code=picked.code if picked else "?", name=picked.name if picked else ""),
            _("one pick per round; for a pick per category add --category-round"),
        )
    row = Selection(
        year=year, scope=scope, product_id=product.id,  # type: ignore[arg-type]
        reason=required_name(reason, N_("reason")),
        decided_by=clean_text(decided_by or "") or current_user(),
        decided_on=decided_on or date.today(),
    )
    session.add(row)
    session.flush()
    return row


def scope_name(scope: str) -> str:
    return _("whole province") if scope == PROVINCE else catalog.category_name(scope)


def round_rows(
    *, session: Session, year: int, category: str | None = None, weights: Weights | None = None
) -> list[dict[str, Any]]:
    """The picks of a round, each followed by its runners-up from the current ranking."""
    year = check_year(year)
    query = (
        select(Selection, Product, ProducerGroup)
        .join(Product, Product.id == Selection.product_id)
        .join(ProducerGroup, ProducerGroup.id == Product.group_id)
        .where(Selection.year == year)
        .order_by(Selection.scope)
    )
    if category:
        query = query.where(Selection.scope == catalog.parse_category(category).code)
    picks = session.exec(query).all()
    if not picks:
        raise NotFound(_("round {year} has no pick yet", year=year),
                       _("record one with 'kbo select PRODUCT --year {year} --reason ...'", year=year))
    rows: list[dict[str, Any]] = []
    for sel, product, group in picks:
        ranking = rank(session=session, category=None if sel.scope == PROVINCE else sel.scope, weights=weights)
        by_code = {r["product_code"]: r for r in ranking}
        base = {"year": year, "scope": sel.scope}
        chosen = by_code.get(product.code, {})
        rows.append({**base, "role": "selected", "rank": chosen.get("rank"), "product_code": product.code,
                     "product_name": product.name, "group_code": group.code, "district": group.district,
                     "category": product.category, "score": chosen.get("score"), "reason": sel.reason,
                     "decided_by": sel.decided_by, "decided_on": sel.decided_on})
        for r in [r for r in ranking if r["product_code"] != product.code][:RUNNERS_UP]:
            rows.append({**base, "role": "runner_up", "rank": r["rank"], "product_code": r["product_code"],
                         "product_name": r["product_name"], "group_code": r["group_code"], "district": r["district"],
                         "category": r["category"], "score": r["score"], "reason": None, "decided_by": None,
                         "decided_on": None})
    return rows
