"""Follow-up on a product: strengths and weaknesses, development plan actions, field visits.

Pure functions over a session; they never print or commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from kbo_cli.config import current_user
from kbo_cli.domain import columns as c
from kbo_cli.domain import network
from kbo_cli.domain.checklist import applying_standard
from kbo_cli.domain.refs import find_group, find_product
from kbo_cli.domain.reports import filters, place_order, products_in, with_group
from kbo_cli.domain.text import LINE_MAX, TEXT_MAX, free_text, one_line, required_name
from kbo_cli.errors import Conflict, InvalidValue, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.reference.agencies import parse_agency
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import Finding, Meeting, PlanAction, ProducerGroup, Product, Visit, VisitProduct, id_of
from kbo_cli.thai.dates import not_after_today, parse_date
from kbo_cli.vocab import ActionStatus, FindingKind

Numbered = TypeVar("Numbered", Finding, PlanAction, Meeting)


def parse_day(text: str | None, default: date | None = None) -> date:
    """A date typed by an official; none given means `default` (today)."""
    if text is None:
        return default or date.today()
    return parse_date(text)


def author_or_user(text: str | None) -> str:
    """Who wrote it: the name given, or the user running kbo when none was given."""
    if text is None:
        return current_user()
    return required_name(text, N_("author"))


def numbered(session: Session, model: type[Numbered], number: int, missing: str, hint: str) -> Numbered:
    """The record with this number, or NotFound with the message `missing` and the `hint` (where they are listed)."""
    row = session.get(model, number)
    if row is None:
        raise NotFound(missing, hint)
    return row


# --- findings ---------------------------------------------------------------------------------------


def add_finding(
    *,
    session: Session,
    product: Product,
    kind: str,
    text: str,
    noted_on: str | None = None,
    author: str | None = None,
    meeting_id: int | None = None,
) -> Finding:
    body = free_text(text, N_("finding"), limit=TEXT_MAX)
    if not body:
        raise InvalidValue(_("the {what} cannot be empty", what=_("finding")), _("say what the network found"))
    finding_kind = FindingKind.parse(kind)
    same = session.exec(
        select(Finding.id).where(
            Finding.product_id == id_of(product),
            Finding.kind == finding_kind,
            Finding.text == body,
            col(Finding.resolved_on).is_(None),
        )
    ).first()
    if same is not None:  # typed twice (the command run again): it would count twice against the product
        raise Conflict(
            _("{product} has this {kind} already: #{id}", product=product.code, kind=finding_kind.label, id=same),
            _("see them with 'kbo finding list --product {product}'", product=product.code),
        )
    finding = Finding(
        product_id=id_of(product),
        kind=finding_kind,
        text=body,
        noted_on=not_after_today(parse_day(noted_on), N_("date of the finding")),
        author=author_or_user(author),
        meeting_id=meeting_id,
    )
    session.add(finding)
    session.flush()
    return finding


def get_finding(session: Session, finding_id: int) -> Finding:
    missing = _("no finding #{id}", id=finding_id)
    return numbered(session, Finding, finding_id, missing, _("list them with 'kbo finding list'"))


def resolve_finding(*, session: Session, finding: Finding, on: str | None = None) -> Finding:
    if finding.kind != FindingKind.WEAKNESS:
        raise Conflict(
            _("finding #{id} is a strength; only weaknesses are resolved", id=finding.id),
            _("give the number of a weakness"),
        )
    if finding.resolved_on is not None:
        raise Conflict(_("weakness #{id} was already resolved", id=finding.id), _("nothing to do"))
    resolved = not_after_today(parse_day(on), N_("date it was resolved"))
    if resolved < finding.noted_on:
        raise InvalidValue(
            _("a weakness cannot be resolved before it was noted ({day})", day=finding.noted_on), _("check --on")
        )
    finding.resolved_on = resolved
    session.add(finding)
    session.flush()
    return finding


class FindingRow(NamedTuple):
    id: int
    product_code: str
    product_name: str
    kind: FindingKind
    text: str
    noted_on: date
    author: str
    resolved_on: date | None


def _kind_style(value: Any, _row: Any) -> str | None:
    return {"weakness": "red", "strength": "green"}.get(str(value))


FINDING_COLUMNS = (
    Col("id", N_("No."), Kind.COUNT),
    c.PRODUCT_CODE,
    Col("product_name", N_("Product name"), table=False),
    c.PRODUCT_SHORT,
    Col("kind", N_("Kind"), Kind.TERM, style=_kind_style),
    Col("text", N_("Finding"), wrap=True),
    Col("noted_on", N_("Date"), Kind.DATE, priority=USEFUL),
    Col("author", N_("By"), priority=EXTRA, wrap=True),
    Col("resolved_on", N_("Resolved"), Kind.DATE, priority=USEFUL),
)


def finding_rows(
    *,
    session: Session,
    product: str | None = None,
    group: str | None = None,
    kind: str | None = None,
    open_only: bool = False,
    within: Select[Any] | None = None,
) -> list[FindingRow]:
    """Findings by product, strengths before weaknesses, oldest first; `within` selects the ids of the products
    to cover (default: all)."""
    query = (
        sa_select(  # columns, not Finding objects: the register has 100,000s
            col(Finding.id),
            col(Product.code),
            col(Product.name),
            col(Finding.kind),
            col(Finding.text),
            col(Finding.noted_on),
            col(Finding.author),
            col(Finding.resolved_on),
        )
        .join(Product, col(Product.id) == Finding.product_id)
        .order_by(col(Product.code), col(Finding.kind), col(Finding.noted_on), col(Finding.id))
    )
    if product:
        query = query.where(col(Finding.product_id) == find_product(session, product).id)
    if group:
        query = query.where(col(Product.group_id) == find_group(session, group).id)
    if within is not None:
        query = query.where(col(Finding.product_id).in_(within))
    if kind:
        query = query.where(col(Finding.kind) == FindingKind.parse(kind))
    if open_only:
        query = query.where(col(Finding.kind) == FindingKind.WEAKNESS, col(Finding.resolved_on).is_(None))
    return [
        FindingRow(id_, code, name, FindingKind(kind), text, noted_on, author, resolved_on)
        for id_, code, name, kind, text, noted_on, author, resolved_on in session.execute(query)
    ]


# --- plan actions -----------------------------------------------------------------------------------


def add_action(
    *,
    session: Session,
    product: Product,
    action: str,
    agency: str,
    due: str | None = None,
    standard: str | None = None,
    weakness: int | None = None,
    author: str | None = None,
    meeting_id: int | None = None,
) -> PlanAction:
    """A plan action for a product, optionally linked to the standard or the weakness it addresses."""
    std_code = applying_standard(product, standard).code if standard else None
    finding_id = None
    if weakness is not None:
        finding = get_finding(session, weakness)
        if finding.product_id != product.id or finding.kind != FindingKind.WEAKNESS:
            raise Conflict(
                _("finding #{id} is not a weakness of {product}", id=weakness, product=product.code),
                _("list the product's weaknesses with 'kbo finding list --product {product}'", product=product.code),
            )
        finding_id = finding.id
    text = one_line(action, N_("action"), limit=LINE_MAX * 2)
    if not text:
        raise InvalidValue(_("the {what} cannot be empty", what=_("action")), _("say what is to be done"))
    same = session.exec(
        select(PlanAction.id).where(
            PlanAction.product_id == id_of(product),
            PlanAction.action == text,
            PlanAction.status == ActionStatus.OPEN,
        )
    ).first()
    if same is not None:  # typed twice: the agency would see it twice and the plan would count it twice
        raise Conflict(
            _("{product} has this open plan action already: #{id}", product=product.code, id=same),
            _("see them with 'kbo plan list --product {product}'", product=product.code),
        )
    row = PlanAction(
        product_id=id_of(product),
        action=text,
        agency=parse_agency(agency).code,
        due_on=parse_day(due) if due and due.strip() else None,
        standard=std_code,
        finding_id=finding_id,
        author=author_or_user(author),
        meeting_id=meeting_id,
    )
    session.add(row)
    session.flush()
    return row


def get_action(session: Session, action_id: int) -> PlanAction:
    missing = _("no plan action #{id}", id=action_id)
    return numbered(session, PlanAction, action_id, missing, _("list them with 'kbo plan list'"))


def close_action(
    *, session: Session, action: PlanAction, status: ActionStatus, on: str | date | None = None
) -> PlanAction:
    """Mark an open action done or dropped."""
    if action.status != ActionStatus.OPEN:
        raise Conflict(
            _("plan action #{id} is already {status}", id=action.id, status=ActionStatus(action.status).label),
            _("only open actions can be completed or dropped"),
        )
    action.status = status
    action.done_on = not_after_today(on if isinstance(on, date) else parse_day(on), N_("date it was closed"))
    session.add(action)
    session.flush()
    return action


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """An action is overdue while it is open past its due date."""
    return status == ActionStatus.OPEN and due_on is not None and due_on < today


def overdue_sql(today: date) -> ColumnElement[bool]:
    """True for an overdue action, as `is_overdue` says."""
    return and_(col(PlanAction.status) == ActionStatus.OPEN, col(PlanAction.due_on) < today)


class ActionRow(NamedTuple):
    id: int
    product_code: str
    product_name: str
    group_code: str
    group_name: str
    district: str
    action: str
    agency: str
    due_on: date | None
    standard: str | None
    weakness: int | None
    status: ActionStatus
    done_on: date | None
    overdue: bool


def _action_status(row: ActionRow) -> str:
    """A table's status cell: open actions past their due date say so."""
    if row.overdue:
        return f"{row.status.label} ({_('overdue')})"
    return row.status.label


ACTION_COLUMNS = (
    Col("id", N_("No."), Kind.COUNT),
    c.PRODUCT_CODE,
    Col("product_name", N_("Product name"), table=False),
    c.GROUP_CODE,
    c.GROUP_NAME,
    Col("district", N_("District"), table=False),
    c.PRODUCT_SHORT,
    Col("action", N_("Action"), wrap=True),
    c.AGENCY,
    Col("due_on", N_("Due"), Kind.DATE),
    Col("standard", N_("Standard"), Kind.CODE, show=c.standard_mark, priority=EXTRA),
    Col("weakness", N_("Weakness no."), Kind.COUNT, priority=EXTRA),
    Col("status", N_("Status"), Kind.TERM, table=False),
    Col(
        "status_shown",
        N_("Status"),
        value=_action_status,
        machine=False,
        wrap=True,
        style=lambda v, r: "bold red" if r.overdue else "green" if r.status == ActionStatus.DONE else None,
    ),
    Col("done_on", N_("Closed"), Kind.DATE, priority=USEFUL),
    Col("overdue", N_("Overdue"), Kind.FLAG, table=False),
)


def action_rows(
    *,
    session: Session,
    product: str | None = None,
    group: str | None = None,
    district: str | None = None,
    status: str | None = None,
    agency: str | None = None,
    overdue_only: bool = False,
    today: date | None = None,
    ids: list[int] | None = None,
    within: Select[Any] | None = None,
) -> list[ActionRow]:
    """Plan actions, soonest due first (those without a due date last); `within` selects the ids of the products
    to cover (default: all)."""
    today = today or date.today()
    query = with_group(
        sa_select(  # columns, not PlanAction objects: the register has 100,000s
            col(PlanAction.id),
            col(Product.code),
            col(Product.name),
            col(ProducerGroup.code),
            col(ProducerGroup.name),
            col(ProducerGroup.district),
            col(PlanAction.action),
            col(PlanAction.agency),
            col(PlanAction.due_on),
            col(PlanAction.standard),
            col(PlanAction.finding_id),
            col(PlanAction.status),
            col(PlanAction.done_on),
        ),
        PlanAction.product_id,
    ).order_by(col(PlanAction.due_on).is_(None), col(PlanAction.due_on), col(PlanAction.id))
    if ids is not None:
        query = query.where(col(PlanAction.id).in_(ids))
    if within is not None:
        query = query.where(col(PlanAction.product_id).in_(within))
    if product:
        query = query.where(col(PlanAction.product_id) == find_product(session, product).id)
    if group:
        query = query.where(col(Product.group_id) == find_group(session, group).id)
    if district:
        query = query.where(col(ProducerGroup.district) == network.check_district(session, district))
    if status:
        query = query.where(col(PlanAction.status) == ActionStatus.parse(status))
    if agency:
        query = query.where(col(PlanAction.agency) == parse_agency(agency).code)
    if overdue_only:
        query = query.where(overdue_sql(today))
    rows = []
    for row in session.execute(query):
        *head, status_, done_on = row  # head: id ... finding_id, as ActionRow has them
        overdue = is_overdue(status_, row.due_on, today)
        rows.append(ActionRow._make((*head, ActionStatus(status_), done_on, overdue)))
    return rows


# --- field visits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    products: list[str]
    closed: list[int]
    added: list[int]


def add_visit(
    *,
    session: Session,
    on: str | None,
    group: str | None,
    products: list[str],
    visitors: str,
    found: str | None = None,
    next_steps: str | None = None,
    closes: list[int] | None = None,
    adds: list[tuple[str, str, str | None]] | None = None,
    author: str | None = None,
    meeting_id: int | None = None,
) -> VisitResult:
    """Record a field visit to a group (and some of its products); it may close or add plan actions.

    `adds` holds (action, agency, due) for new actions, added to every product visited.
    """
    visited = [find_product(session, p) for p in products]
    if group:
        owner = find_group(session, group)
    elif visited:
        owner = session.get_one(ProducerGroup, visited[0].group_id)
    else:
        raise InvalidValue(_("a visit needs a group or at least one product"), _("give --group or --product"))
    strays = [p.code for p in visited if p.group_id != owner.id]
    if strays:
        raise Conflict(
            _("{products} do not belong to the group {group}", products=", ".join(strays), group=owner.code),
            _("record one visit per producer group"),
        )
    who = one_line(visitors, N_("visitors"), limit=LINE_MAX)
    if not who:
        raise InvalidValue(_("the {what} cannot be empty", what=_("visitors")), _("say who visited"))
    visit = Visit(
        visited_on=not_after_today(parse_day(on), N_("visit date")),
        group_id=id_of(owner),
        visitors=who,
        found=free_text(found, N_("found"), limit=TEXT_MAX) or None,
        next_steps=free_text(next_steps, N_("next steps"), limit=TEXT_MAX) or None,
        author=author_or_user(author),
        meeting_id=meeting_id,
    )
    session.add(visit)
    session.flush()
    for product in {p.id: p for p in visited}.values():
        session.add(VisitProduct(visit_id=id_of(visit), product_id=id_of(product)))
    closed = []
    for action_id in dict.fromkeys(closes or []):
        action = get_action(session, action_id)
        action_product = session.get(Product, action.product_id)
        if action_product is None or action_product.group_id != owner.id:
            raise Conflict(
                _("plan action #{id} is not for the group {group}", id=action_id, group=owner.code),
                _("a visit closes only its own group's actions"),
            )
        close_action(session=session, action=action, status=ActionStatus.DONE, on=visit.visited_on)
        closed.append(action_id)
    added = []
    for text, agency, due in adds or []:
        if not visited:
            raise InvalidValue(_("new plan actions need the products they are for"), _("give --product"))
        for product in visited:
            added.append(
                id_of(
                    add_action(
                        session=session,
                        product=product,
                        action=text,
                        agency=agency,
                        due=due,
                        author=author,
                        meeting_id=meeting_id,
                    )
                )
            )
    session.flush()
    return VisitResult(visit, [p.code for p in visited], closed, added)


class VisitRow(NamedTuple):
    id: int
    visited_on: date
    group_code: str
    group_name: str
    district: str
    products: str
    visitors: str
    found: str | None
    next_steps: str | None


VISIT_COLUMNS = (
    Col("id", N_("No."), Kind.COUNT),
    Col("visited_on", N_("Date"), Kind.DATE),
    c.GROUP_CODE,
    c.GROUP_NAME,
    Col("group_code", N_("Group"), Kind.CODE, machine=False),
    Col("district", N_("District"), priority=EXTRA),
    Col("products", N_("Products"), wrap=True, priority=USEFUL),
    Col("visitors", N_("Visitors"), wrap=True, priority=USEFUL),
    Col("found", N_("Found"), wrap=True),
    Col("next_steps", N_("Next steps"), wrap=True),
)


def visit_rows(
    *,
    session: Session,
    group: str | None = None,
    district: str | None = None,
    product: str | None = None,
    since: str | None = None,
    until: str | None = None,
    ids: list[int] | None = None,
    within: Select[Any] | None = None,
) -> list[VisitRow]:
    """Field visits, newest first; `within` selects the ids of products: the visits to their groups or naming
    them."""
    query = (
        sa_select(  # columns, not Visit objects: the register has 100,000s
            col(Visit.id),
            col(Visit.visited_on),
            col(ProducerGroup.code),
            col(ProducerGroup.name),
            col(ProducerGroup.district),
            col(Visit.visitors),
            col(Visit.found),
            col(Visit.next_steps),
        )
        .join(ProducerGroup, col(ProducerGroup.id) == Visit.group_id)
        .order_by(col(Visit.visited_on).desc(), col(Visit.id).desc())
    )
    if ids is not None:
        query = query.where(col(Visit.id).in_(ids))
    if within is not None:  # visits to the products' groups, and visits elsewhere that name one of them
        naming = select(VisitProduct.visit_id).where(col(VisitProduct.product_id).in_(within))
        query = query.where(
            or_(
                col(Visit.group_id).in_(select(Product.group_id).where(col(Product.id).in_(within))),
                col(Visit.id).in_(naming),
            )
        )
    if group:
        query = query.where(col(Visit.group_id) == find_group(session, group).id)
    if district:
        query = query.where(col(ProducerGroup.district) == network.check_district(session, district))
    if product:
        pid = find_product(session, product).id
        query = query.where(col(Visit.id).in_(select(VisitProduct.visit_id).where(VisitProduct.product_id == pid)))
    if since:
        query = query.where(col(Visit.visited_on) >= parse_day(since))
    if until:
        query = query.where(col(Visit.visited_on) <= parse_day(until))
    visits = session.execute(query).all()
    codes: dict[int, list[str]] = {}
    if visits:  # the visits' products, selected by the same query (not by a list of ids: there may be 100,000s)
        found = query.with_only_columns(col(Visit.id)).order_by(None)
        for visit_id, code in session.exec(
            select(VisitProduct.visit_id, Product.code)
            .join(Product, col(Product.id) == VisitProduct.product_id)
            .where(col(VisitProduct.visit_id).in_(found))
            .order_by(Product.code)
        ):
            codes.setdefault(visit_id, []).append(code)
    return [
        VisitRow(id_, on, g_code, g_name, dist, " ".join(codes.get(id_, [])), visitors, found, next_steps)
        for id_, on, g_code, g_name, dist, visitors, found, next_steps in visits
    ]


class UnvisitedRow(NamedTuple):
    product_code: str
    product_name: str
    category: str
    group_code: str
    group_name: str
    district: str
    last_visit: date | None
    days_since: int | None


UNVISITED_COLUMNS = (
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    c.CATEGORY,
    c.GROUP_CODE,
    c.GROUP_NAME,
    Col("group_code", N_("Group"), Kind.CODE, machine=False, priority=USEFUL),
    c.DISTRICT,
    Col("last_visit", N_("Last visit"), Kind.DATE),
    Col("days_since", N_("Days since"), Kind.COUNT),
)


def unvisited(
    *, session: Session, days: int, district: str | None = None, category: str | None = None, today: date | None = None
) -> list[UnvisitedRow]:
    """Products with no visit (to them, or to their whole group) in the last `days` days."""
    today = today or date.today()
    cutoff = today - timedelta(days=days)
    # the last visits of the products in scope only (a district's, not the country's)
    within = products_in(session, district=district, category=category)
    product_visits: Select[*tuple[Any, ...]] = sa_select(
        col(VisitProduct.product_id).label("pid"), func.max(Visit.visited_on).label("last")
    ).join(Visit, col(Visit.id) == VisitProduct.visit_id)
    group_visits: Select[*tuple[Any, ...]] = sa_select(
        col(Visit.group_id).label("gid"), func.max(Visit.visited_on).label("last")
    ).where(~select(VisitProduct.visit_id).where(VisitProduct.visit_id == Visit.id).exists())
    if within is not None:
        product_visits = product_visits.where(col(VisitProduct.product_id).in_(within))
        in_groups = select(Product.group_id).where(col(Product.id).in_(within))
        group_visits = group_visits.where(col(Visit.group_id).in_(in_groups))
    by_product = product_visits.group_by(col(VisitProduct.product_id)).subquery()
    by_group = group_visits.group_by(col(Visit.group_id)).subquery()
    query = (
        sa_select(
            col(Product.code),
            col(Product.name),
            col(Product.category),
            col(ProducerGroup.code),
            col(ProducerGroup.name),
            col(ProducerGroup.district),
            by_product.c.last,
            by_group.c.last,
        )
        .join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)
        .outerjoin(by_product, by_product.c.pid == Product.id)
        .outerjoin(by_group, by_group.c.gid == ProducerGroup.id)
        .order_by(place_order(session), col(Product.code))
    )
    query = filters(query, session, district=district, category=category)
    rows = []
    for p_code, p_name, cat, g_code, g_name, dist, last_p, last_g in session.execute(query):
        last = max((d for d in (last_p, last_g) if d is not None), default=None)
        if last is not None and last >= cutoff:
            continue
        rows.append(
            UnvisitedRow(p_code, p_name, cat, g_code, g_name, dist, last, (today - last).days if last else None)
        )
    return rows
