"""Products: add (with their checklist), list, edit, remove. Pure functions over a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, Unpack

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.domain import columns as c
from kbo_cli.domain import network
from kbo_cli.domain.checklist import ProductRow, applicable_sql, certified_count_sql, percent, sync_entries
from kbo_cli.domain.codes import assign_code, temporary_code
from kbo_cli.domain.refs import clean_code, find_group
from kbo_cli.domain.reports import ReportFilters
from kbo_cli.domain.text import TEXT_MAX, free_text, optional, required_name
from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import (
    ChecklistEntry,
    Finding,
    JudgeScore,
    OpcScore,
    PlanAction,
    ProducerGroup,
    Product,
    Selection,
    VisitProduct,
    id_of,
    utcnow,
)
from kbo_cli.thai.textnorm import name_key, stored_sort_key

PRODUCT_COLUMNS = (
    Col("code", N_("Code"), Kind.CODE),
    Col("name", N_("Product"), wrap=True),
    Col("group_code", N_("Group code"), Kind.CODE, priority=USEFUL),
    Col("group_name", N_("Group"), wrap=True, priority=EXTRA),
    c.DISTRICT,
    c.CATEGORY,
    Col("certified", N_("Certified"), Kind.COUNT, priority=USEFUL),
    c.APPLICABLE,
    c.PROGRESS,
)
#: each field a user gives, as messages name it
FIELD_NAMES = {
    "name": N_("name"),
    "code": N_("code"),
    "group": N_("producer group"),
    "group_id": N_("producer group"),  # the field `edit_product` reports changed
    "category": N_("category"),
    "description": N_("description"),
}
#: one product shown: its description too
PRODUCT_SHOW_COLUMNS = (*PRODUCT_COLUMNS, Col("description", N_("Description"), wrap=True, table=False))


Coded = TypeVar("Coded", Product, ProducerGroup)


def check_code_free(session: Session, model: type[Coded], record: Coded) -> None:
    """Refuse a product's or a group's code that another of its kind already has (asked before the edited
    record is flushed: the database would refuse the flush itself, in its own words)."""
    with session.no_autoflush:
        same_code = session.exec(select(model).where(model.code == record.code, model.id != record.id)).first()
    if same_code is not None:
        raise Conflict(
            _("the code {code} is already used by {name}", code=record.code, name=same_code.name),
            _("choose another code, or leave --code out to get one made up"),
        )


def edit_fields(
    record: Coded,
    changes: dict[str, Any],
    readers: dict[str, Callable[[Any], Any]],
    *,
    hint: str,
    attributes: dict[str, str] | None = None,
) -> list[str]:
    """Set the fields given on a product or a group, in the order given: each value as its reader makes it,
    on the attribute `attributes` names (by default the field's own); None leaves a field as it is, and a
    field without a reader is ignored. An edit that changes nothing is refused (`hint`: what to give). The
    name key follows the name and the record is marked updated; returns the attributes changed."""
    changed: list[str] = []
    for field, raw in changes.items():
        read = readers.get(field)
        if raw is None or read is None:
            continue
        value = read(raw)
        attribute = (attributes or {}).get(field, field)
        if getattr(record, attribute) != value:
            setattr(record, attribute, value)
            changed.append(attribute)
    if not changed:
        raise InvalidValue(_("nothing to change"), hint)
    record.name_key = name_key(record.name)
    record.updated_at = utcnow()
    return changed


def _check_unique(session: Session, product: Product) -> None:
    check_code_free(session, Product, product)
    with session.no_autoflush:  # (see check_code_free)
        same_name = session.exec(
            select(Product).where(
                Product.name_key == product.name_key, Product.group_id == product.group_id, Product.id != product.id
            )
        ).first()
    if same_name is not None:
        raise Conflict(
            _("this group already has a product named '{name}' ({code})", name=same_name.name, code=same_name.code),
            _("use the existing product {code}, or give the new one a different name", code=same_name.code),
        )


def add_product(
    *,
    session: Session,
    name: str,
    group: str,
    category: str,
    code: str | None = None,
    description: str | None = None,
) -> Product:
    """Add a product to a group and create its checklist from the catalogue for its category."""
    clean_name = required_name(name, N_("product name"))
    owner = find_group(session, group)
    product = Product(
        code=clean_code(code) if code else temporary_code(),
        name=clean_name,
        name_key=name_key(clean_name),
        group_id=id_of(owner),
        category=catalog.parse_category(category).code,
        description=optional(free_text(description, N_("description"), limit=TEXT_MAX)),
    )
    _check_unique(session, product)
    session.add(product)
    if not code:
        assign_code(session, product)
    session.flush()
    sync_entries(session, product)
    return product


def edit_product(
    *, session: Session, product: Product, changes: dict[str, Any]
) -> tuple[list[str], list[ChecklistEntry]]:
    """Change only the fields given. A new category adjusts the checklist, keeping entries that still
    apply. Returns (changed fields, checklist entries removed)."""
    readers: dict[str, Callable[[Any], Any]] = {
        "name": lambda raw: required_name(raw, N_("product name")),
        "code": clean_code,
        "category": lambda raw: catalog.parse_category(raw).code,
        "group": lambda raw: find_group(session, raw).id,
        "description": lambda raw: optional(free_text(raw, N_("description"), limit=TEXT_MAX)),
    }
    hint = _("give at least one field that differs, e.g. --category")
    changed = edit_fields(product, changes, readers, hint=hint, attributes={"group": "group_id"})
    _check_unique(session, product)
    session.add(product)
    session.flush()
    removed: list[ChecklistEntry] = []
    if "category" in changed:
        removed = sync_entries(session, product)[1]
    return changed, removed


#: what is recorded about a product, and removed with it, as messages name it
RECORDED_WITH = (
    (ChecklistEntry, N_("checklist entries")),
    (Finding, N_("findings")),
    (PlanAction, N_("plan actions")),
    (VisitProduct, N_("visits' products")),
    (OpcScore, N_("OPC scores")),
    (JudgeScore, N_("judges' scores")),
)


def recorded_about(session: Session, product_ids: list[int]) -> list[tuple[str, int]]:
    """How many records of each kind are recorded about these products (kinds with none left out): what removing
    them takes with it, said before it is asked and after it is done."""
    counts = []
    for model, label in RECORDED_WITH:
        query = select(func.count()).select_from(model).where(col(model.product_id).in_(product_ids))
        if n := session.exec(query).one():
            counts.append((label, n))
    return counts


def remove_product(*, session: Session, product: Product) -> None:
    """Remove a product with everything recorded about it (each record deleted, so history keeps it)."""
    picked = session.exec(select(Selection).where(Selection.product_id == product.id)).first()
    if picked is not None:
        raise Conflict(
            _("{code} was picked to represent round {year}; it stays on record", code=product.code, year=picked.year),
            _("a product picked in a selection round cannot be removed"),
        )
    for model, _label in RECORDED_WITH:
        for row in session.exec(select(model).where(model.product_id == product.id)).all():
            session.delete(row)
    session.flush()
    session.delete(product)
    session.flush()


def list_products(
    *,
    session: Session,
    product_id: int | None = None,
    today: date | None = None,
    **where: Unpack[ReportFilters],
) -> list[ProductRow]:
    """Products with their certified/applicable counts, by group then name (Thai dictionary order)."""
    group, category, district = where.get("group"), where.get("category"), where.get("district")
    query = (
        select(
            Product,
            ProducerGroup,
            func.coalesce(func.sum(applicable_sql()), 0),
            func.coalesce(func.sum(certified_count_sql(today or date.today())), 0),
        )
        .join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)
        .outerjoin(ChecklistEntry, col(ChecklistEntry.product_id) == Product.id)
        .group_by(col(Product.id), col(ProducerGroup.id))
    )
    if product_id is not None:
        query = query.where(Product.id == product_id)
    if group:
        query = query.where(Product.group_id == find_group(session, group).id)
    if category:
        query = query.where(Product.category == catalog.parse_category(category).code)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district))
    rows = [
        ProductRow(
            p.code,
            p.name,
            g.code,
            g.name,
            g.district,
            p.category,
            int(cert),
            int(appl),
            percent(int(cert), int(appl)),
            p.description,
        )
        for p, g, appl, cert in session.exec(query).all()
    ]
    rows.sort(key=lambda r: (stored_sort_key(r.group_name), r.group_code, stored_sort_key(r.name), r.code))
    return rows
