"""The gap and progress reports: rows computed in SQL, streamed, never printed here.

Definitions (also in the README and in `kbo report --help`), from `kbo_cli.domain.checklist`:
- applicable: every checklist entry whose status is not `not_applicable`;
- certified: status `certified` and the certificate not expired;
- gap: an applicable entry that is not certified (an expired certificate is a gap, shown as `expired`);
- progress (percent) = certified / applicable x 100, per producer group.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from kbo_cli.reference import catalog
from kbo_cli.domain import network
from kbo_cli.domain.checklist import UNDER_WAY, applicable_sql, certified_sql, gap_sql
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product
from kbo_cli.domain.refs import find_group
from kbo_cli.thai.textnorm import stored_sort_key
from kbo_cli.vocab import Status

#: a gap-report status: certified, but the certificate number is not recorded (a warning)
NUMBER_MISSING = "number_missing"
EXPIRING_KEYS = [
    "group_code", "group_name", "district", "product_code", "product_name", "standard", "standard_name",
    "certificate_no", "expires_on", "days_left",
]


GAP_KEYS = [
    "group_code", "group_name", "district", "product_code", "product_name", "category",
    "standard", "standard_name", "required", "status",
]
PROGRESS_KEYS = [
    "group_code", "group_name", "district", "products", "applicable", "certified", "in_progress",
    "gaps", "percent",
]


def _filters(query: Any, session: Session, *, group: str | None, district: str | None, category: str | None) -> Any:
    if group:
        query = query.where(Product.group_id == find_group(session, group).id)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district, strict=False))
    if category:
        query = query.where(Product.category == catalog.parse_category(category).code)
    return query


def gaps(
    *,
    session: Session,
    group: str | None = None,
    district: str | None = None,
    category: str | None = None,
    standard: str | None = None,
    required_only: bool = False,
    today: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Every gap, per producer group and product, in catalogue order of standards.

    Also listed, as warnings that do not count against progress: entries marked certified without the
    certificate number their standard has (status `number_missing`).
    """
    today = today or date.today()
    standards = catalog.standards()
    numbered = [code for code, std in standards.items() if any(std.cert_format(c) != "free" for c in std.applies)]
    order = case({code: i for i, code in enumerate(standards)}, value=ChecklistEntry.standard, else_=len(standards))
    query = (
        select(
            ProducerGroup.code, ProducerGroup.name, ProducerGroup.district,
            Product.code, Product.name, Product.category,
            ChecklistEntry.standard, ChecklistEntry.status, ChecklistEntry.expires_on, ChecklistEntry.certificate_no,
        )
        .join(Product, Product.group_id == ProducerGroup.id)
        .join(ChecklistEntry, ChecklistEntry.product_id == Product.id)
        .where(or_(gap_sql(today), and_(certified_sql(today), col(ChecklistEntry.certificate_no).is_(None),
                                        col(ChecklistEntry.standard).in_(numbered))))
    )
    query = _filters(query, session, group=group, district=district, category=category)
    if standard:
        query = query.where(ChecklistEntry.standard == catalog.parse_standard(standard).code)
    query = query.order_by(ProducerGroup.district, ProducerGroup.code, Product.code, order)
    names = {code: std.name for code, std in standards.items()}
    required = {(cat, code) for code, std in standards.items() for cat in std.applies if std.is_required(cat)}
    free = {(cat, code) for code, std in standards.items() for cat in std.applies if std.cert_format(cat) == "free"}
    certified, expired = Status.CERTIFIED.value, "expired"
    rows = session.connection().execute(query.execution_options(yield_per=5000))
    for g_code, g_name, district_, p_code, p_name, cat, std_code, status, expires_on, cert in rows:
        is_required = (cat, std_code) in required
        if required_only and not is_required:
            continue
        if status == certified:
            if expires_on is not None and expires_on < today:
                status = expired
            elif (cat, std_code) in free or cert:
                continue
            else:
                status = NUMBER_MISSING
        yield {
            "group_code": g_code, "group_name": g_name, "district": district_,
            "product_code": p_code, "product_name": p_name, "category": cat,
            "standard": std_code, "standard_name": names.get(std_code, std_code), "required": is_required,
            "status": status,
        }


def progress(
    *,
    session: Session,
    district: str | None = None,
    category: str | None = None,
    group: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """One row per producer group: products, applicable, certified, under way, gaps and percent."""
    today = today or date.today()
    query = (
        select(
            ProducerGroup.code, ProducerGroup.name, ProducerGroup.district,
            func.count(func.distinct(Product.id)),
            func.coalesce(func.sum(applicable_sql()), 0),
            func.coalesce(func.sum(case((certified_sql(today), 1), else_=0)), 0),
            func.coalesce(func.sum(case((ChecklistEntry.status.in_(UNDER_WAY), 1), else_=0)), 0),  # type: ignore[attr-defined]
        )
        .join(Product, Product.group_id == ProducerGroup.id)
        .outerjoin(ChecklistEntry, ChecklistEntry.product_id == Product.id)
        .group_by(ProducerGroup.id, ProducerGroup.code, ProducerGroup.name, ProducerGroup.district)
    )
    query = _filters(query, session, group=group, district=district, category=category)
    rows = []
    for code, name, district_, products, applicable, certified, under_way in session.connection().execute(query):
        applicable, certified = int(applicable), int(certified)
        rows.append({
            "group_code": code, "group_name": name, "district": district_,
            "products": int(products), "applicable": applicable, "certified": certified,
            "in_progress": int(under_way), "gaps": applicable - certified,
            "percent": percent(certified, applicable),
        })
    rows.sort(key=lambda r: (stored_sort_key(r["district"]), stored_sort_key(r["group_name"]), r["group_code"]))
    return rows


def percent(certified: int, applicable: int) -> float | None:
    return round(100 * certified / applicable, 1) if applicable else None


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of progress rows (for a table's footer)."""
    total = {k: sum(r[k] for r in rows) for k in ("products", "applicable", "certified", "in_progress", "gaps")}
    total["percent"] = percent(total["certified"], total["applicable"])
    return total


def expiring(
    *,
    session: Session,
    within: int = 90,
    group: str | None = None,
    district: str | None = None,
    category: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Certificates that have expired or expire within `within` days, soonest first (days_left < 0: expired)."""
    from datetime import timedelta

    today = today or date.today()
    query = (
        select(ProducerGroup.code, ProducerGroup.name, ProducerGroup.district, Product.code, Product.name,
               ChecklistEntry.standard, ChecklistEntry.certificate_no, ChecklistEntry.expires_on)
        .join(Product, Product.group_id == ProducerGroup.id)
        .join(ChecklistEntry, ChecklistEntry.product_id == Product.id)
        .where(ChecklistEntry.status == Status.CERTIFIED.value, col(ChecklistEntry.expires_on).is_not(None),
               col(ChecklistEntry.expires_on) <= today + timedelta(days=within))
        .order_by(ChecklistEntry.expires_on, ProducerGroup.code, Product.code)
    )
    query = _filters(query, session, group=group, district=district, category=category)
    return [
        {"group_code": g, "group_name": gn, "district": d, "product_code": p, "product_name": pn,
         "standard": std, "standard_name": catalog.standard_name(std), "certificate_no": cert,
         "expires_on": exp, "days_left": (exp - today).days}
        for g, gn, d, p, pn, std, cert, exp in session.exec(query)
    ]
