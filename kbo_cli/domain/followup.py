"""Follow-up on a product: strengths and weaknesses, development plan actions, field visits.

Pure functions over a session; they never print or commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.reference import catalog
from kbo_cli.domain import network
from kbo_cli.reference.agencies import parse_agency
from kbo_cli.domain.checklist import applying_standard
from kbo_cli.config import current_user
from kbo_cli.errors import Conflict, InvalidValue, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.storage.models import Finding, PlanAction, ProducerGroup, Product, Visit, VisitProduct
from kbo_cli.domain.refs import find_group, find_product, required_name
from kbo_cli.thai.textnorm import clean_text

STRENGTH, WEAKNESS = "strength", "weakness"
FINDING_KINDS = {STRENGTH: N_("strength"), WEAKNESS: N_("weakness")}
OPEN, DONE, DROPPED = "open", "done", "dropped"
ACTION_STATUSES = {OPEN: N_("open"), DONE: N_("done"), DROPPED: N_("dropped")}


def parse_day(text: str | None, default: date | None = None) -> date:
    from kbo_cli.thai import dates as thaidate

    if text is None or not text.strip():
        return default or date.today()
    return thaidate.parse_date(text)


def _kind(text: str) -> str:
    wanted = text.strip().casefold()
    aliases = {STRENGTH: {"strength", "ข้อดี", "ข้อเด่น", "จุดเด่น"}, WEAKNESS: {"weakness", "ข้อด้อย", "จุดอ่อน"}}
    for kind, names in aliases.items():
        if wanted in names:
            return kind
    raise InvalidValue(_("unknown kind of finding '{value}'", value=text), _("use strength or weakness"))


# --- findings ---------------------------------------------------------------------------------------

def add_finding(
    *, session: Session, product: Product, kind: str, text: str, noted_on: str | None = None, author: str | None = None
) -> Finding:
    finding = Finding(
        product_id=product.id,  # type: ignore[arg-type]
        kind=_kind(kind),
        text=required_name(text, N_("finding")),
        noted_on=parse_day(noted_on),
        author=clean_text(author or "") or current_user(),
    )
    session.add(finding)
    session.flush()
    return finding


def get_finding(session: Session, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(_("no finding #{id}", id=finding_id), _("list them with 'kbo finding list'"))
    return finding


def resolve_finding(*, session: Session, finding: Finding, on: str | None = None) -> Finding:
    if finding.kind != WEAKNESS:
        raise Conflict(_("finding #{id} is a strength; only weaknesses are resolved", id=finding.id),
                       _("give the number of a weakness"))
    if finding.resolved_on is not None:
        raise Conflict(_("weakness #{id} was already resolved", id=finding.id), _("nothing to do"))
    finding.resolved_on = parse_day(on)
    session.add(finding)
    session.flush()
    return finding


def finding_rows(
    *, session: Session, product: str | None = None, group: str | None = None, kind: str | None = None,
    open_only: bool = False,
) -> list[dict[str, Any]]:
    query = (
        select(Finding, Product.code, Product.name)
        .join(Product, Product.id == Finding.product_id)
        .order_by(Product.code, Finding.kind, Finding.noted_on, Finding.id)
    )
    if product:
        query = query.where(Finding.product_id == find_product(session, product).id)
    if group:
        query = query.where(Product.group_id == find_group(session, group).id)
    if kind:
        query = query.where(Finding.kind == _kind(kind))
    if open_only:
        query = query.where(Finding.kind == WEAKNESS, col(Finding.resolved_on).is_(None))
    return [
        {"id": f.id, "product_code": code, "product_name": name, "kind": f.kind, "text": f.text,
         "noted_on": f.noted_on, "author": f.author, "resolved_on": f.resolved_on}
        for f, code, name in session.exec(query).all()
    ]


# --- plan actions -----------------------------------------------------------------------------------

def add_action(
    *, session: Session, product: Product, action: str, agency: str, due: str | None = None,
    standard: str | None = None, weakness: int | None = None, author: str | None = None,
) -> PlanAction:
    """A plan action for a product, optionally linked to the standard or the weakness it addresses."""
    std_code = applying_standard(product, standard).code if standard else None
    finding_id = None
    if weakness is not None:
        finding = get_finding(session, weakness)
        if finding.product_id != product.id or finding.kind != WEAKNESS:
            raise Conflict(
                _("finding #{id} is not a weakness of {product}", id=weakness, product=product.code),
                _("list the product's weaknesses with 'kbo finding list --product {product}'", product=product.code),
            )
        finding_id = finding.id
    row = PlanAction(
        product_id=product.id,  # type: ignore[arg-type]
        action=required_name(action, N_("action")),
        agency=parse_agency(agency).code,
        due_on=parse_day(due) if due else None,
        standard=std_code,
        finding_id=finding_id,
        author=clean_text(author or "") or current_user(),
    )
    session.add(row)
    session.flush()
    return row


def get_action(session: Session, action_id: int) -> PlanAction:
    row = session.get(PlanAction, action_id)
    if row is None:
        raise NotFound(_("no plan action #{id}", id=action_id), _("list them with 'kbo plan list'"))
    return row


def close_action(*, session: Session, action: PlanAction, status: str, on: str | None = None) -> PlanAction:
    """Mark an open action done or dropped."""
    if action.status != OPEN:
        raise Conflict(
            _("plan action #{id} is already {status}", id=action.id, status=_(ACTION_STATUSES[action.status])),
            _("only open actions can be completed or dropped"),
        )
    action.status = status
    action.done_on = parse_day(on)
    session.add(action)
    session.flush()
    return action


def action_rows(
    *, session: Session, product: str | None = None, group: str | None = None, district: str | None = None,
    status: str | None = None, agency: str | None = None, overdue_only: bool = False, today: date | None = None,
) -> list[dict[str, Any]]:
    today = today or date.today()
    query = (
        select(PlanAction, Product.code, Product.name, ProducerGroup.code)
        .join(Product, Product.id == PlanAction.product_id)
        .join(ProducerGroup, ProducerGroup.id == Product.group_id)
        .order_by(col(PlanAction.due_on).is_(None), PlanAction.due_on, PlanAction.id)
    )
    if product:
        query = query.where(PlanAction.product_id == find_product(session, product).id)
    if group:
        query = query.where(Product.group_id == find_group(session, group).id)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district, strict=False))
    if status:
        wanted = status.strip().casefold()
        if wanted not in ACTION_STATUSES:
            raise InvalidValue(_("unknown action status '{value}'", value=status), _("use open, done or dropped"))
        query = query.where(PlanAction.status == wanted)
    if agency:
        query = query.where(PlanAction.agency == parse_agency(agency).code)
    if overdue_only:
        query = query.where(PlanAction.status == OPEN, col(PlanAction.due_on) < today)
    return [
        {"id": a.id, "product_code": p_code, "product_name": p_name, "group_code": g_code, "action": a.action,
         "agency": a.agency, "due_on": a.due_on, "standard": a.standard, "weakness": a.finding_id,
         "status": a.status, "done_on": a.done_on,
         "overdue": a.status == OPEN and a.due_on is not None and a.due_on < today}
        for a, p_code, p_name, g_code in session.exec(query).all()
    ]


# --- field visits -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    products: list[str]
    closed: list[int]
    added: list[int]


def add_visit(
    *, session: Session, on: str | None, group: str | None, products: list[str], visitors: str,
    found: str | None = None, next_steps: str | None = None, closes: list[int] | None = None,
    adds: list[tuple[str, str, str | None]] | None = None, author: str | None = None,
) -> VisitResult:
    """Record a field visit to a group (and some of its products); it may close or add plan actions.

    `adds` holds (action, agency, due) for new actions, added to every product visited.
    """
    visited = [find_product(session, p) for p in products]
    if group:
        owner = find_group(session, group)
    elif visited:
        owner = session.get(ProducerGroup, visited[0].group_id)  # type: ignore[assignment]
    else:
        raise InvalidValue(_("a visit needs a group or at least one product"), _("give --group or --product"))
    strays = [p.code for p in visited if p.group_id != owner.id]
    if strays:
        raise Conflict(
            _("{products} do not belong to the group {group}", products=", ".join(strays), group=owner.code),
            _("record one visit per producer group"),
        )
    visit = Visit(
        visited_on=parse_day(on),
        group_id=owner.id,  # type: ignore[arg-type]
        visitors=required_name(visitors, N_("visitors")),
        found=clean_text(found or "") or None,
        next_steps=clean_text(next_steps or "") or None,
        author=clean_text(author or "") or current_user(),
    )
    session.add(visit)
    session.flush()
    for product in visited:
        session.add(VisitProduct(visit_id=visit.id, product_id=product.id))  # type: ignore[arg-type]
    closed = []
    for action_id in closes or []:
        action = get_action(session, action_id)
        product = session.get(Product, action.product_id)
        if product is None or product.group_id != owner.id:
            raise Conflict(_("plan action #{id} is not for the group {group}", id=action_id, group=owner.code),
                           _("a visit closes only its own group's actions"))
        close_action(session=session, action=action, status=DONE, on=visit.visited_on.isoformat())
        closed.append(action_id)
    added = []
    for text, agency, due in adds or []:
        if not visited:
            raise InvalidValue(_("new plan actions need the products they are for"), _("give --product"))
        for product in visited:
            added.append(add_action(session=session, product=product, action=text, agency=agency, due=due,
                                    author=author).id)  # type: ignore[arg-type]
    session.flush()
    return VisitResult(visit, [p.code for p in visited], closed, added)  # type: ignore[arg-type]


def visit_rows(
    *, session: Session, group: str | None = None, district: str | None = None, product: str | None = None,
    since: str | None = None, until: str | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(Visit, ProducerGroup.code, ProducerGroup.name, ProducerGroup.district)
        .join(ProducerGroup, ProducerGroup.id == Visit.group_id)
        .order_by(col(Visit.visited_on).desc(), col(Visit.id).desc())
    )
    if group:
        query = query.where(Visit.group_id == find_group(session, group).id)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district, strict=False))
    if product:
        pid = find_product(session, product).id
        query = query.where(col(Visit.id).in_(select(VisitProduct.visit_id).where(VisitProduct.product_id == pid)))
    if since:
        query = query.where(Visit.visited_on >= parse_day(since))
    if until:
        query = query.where(Visit.visited_on <= parse_day(until))
    visits = session.exec(query).all()
    codes: dict[int, list[str]] = {}
    ids = [v.id for v, *_rest in visits]
    if ids:
        for visit_id, code in session.exec(
            select(VisitProduct.visit_id, Product.code).join(Product, Product.id == VisitProduct.product_id)
            .where(col(VisitProduct.visit_id).in_(ids)).order_by(Product.code)
        ):
            codes.setdefault(visit_id, []).append(code)
    return [
        {"id": v.id, "visited_on": v.visited_on, "group_code": g_code, "group_name": g_name, "district": dist,
         "products": " ".join(codes.get(v.id, [])), "visitors": v.visitors, "found": v.found,
         "next_steps": v.next_steps}
        for v, g_code, g_name, dist in visits
    ]


def unvisited(
    *, session: Session, days: int, district: str | None = None, category: str | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Products with no visit (to them, or to their whole group) in the last `days` days."""
    today = today or date.today()
    cutoff = today - timedelta(days=days)
    by_product = (
        select(VisitProduct.product_id.label("pid"), func.max(Visit.visited_on).label("last"))  # type: ignore[attr-defined]
        .join(Visit, Visit.id == VisitProduct.visit_id).group_by(VisitProduct.product_id).subquery()
    )
    by_group = (
        select(Visit.group_id.label("gid"), func.max(Visit.visited_on).label("last"))  # type: ignore[attr-defined]
        .where(~select(VisitProduct.visit_id).where(VisitProduct.visit_id == Visit.id).exists())
        .group_by(Visit.group_id).subquery()
    )
    query = (
        select(Product.code, Product.name, Product.category, ProducerGroup.code, ProducerGroup.name,
               ProducerGroup.district, by_product.c.last, by_group.c.last)
        .join(ProducerGroup, ProducerGroup.id == Product.group_id)
        .outerjoin(by_product, by_product.c.pid == Product.id)
        .outerjoin(by_group, by_group.c.gid == ProducerGroup.id)
        .order_by(ProducerGroup.district, ProducerGroup.code, Product.code)
    )
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district, strict=False))
    if category:
        query = query.where(Product.category == catalog.parse_category(category).code)
    rows = []
    for p_code, p_name, cat, g_code, g_name, dist, last_p, last_g in session.exec(query):
        last = max((d for d in (last_p, last_g) if d is not None), default=None)
        if last is not None and last >= cutoff:
            continue
        rows.append({"product_code": p_code, "product_name": p_name, "category": cat, "group_code": g_code,
                     "group_name": g_name, "district": dist, "last_visit": last,
                     "days_since": (today - last).days if last else None})
    return rows
