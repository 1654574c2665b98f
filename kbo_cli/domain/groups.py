"""Producer groups: add, list, edit, remove. Pure functions over a session; the command commits."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.domain import network
from kbo_cli.domain.codes import assign_code, temporary_code
from kbo_cli.domain.products import check_code_free, edit_fields, recorded_about, remove_product
from kbo_cli.domain.refs import clean_code
from kbo_cli.domain.text import one_line, optional, required_name
from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import ProducerGroup, Product, Visit, VisitProduct
from kbo_cli.thai.textnorm import name_key, stored_sort_key
from kbo_cli.vocab import GroupKind

#: the longest phone number or contact kbo takes (characters)
PHONE_MAX = 40


class GroupRow(NamedTuple):
    code: str
    name: str
    kind: GroupKind
    district: str
    subdistrict: str | None
    village: str | None
    contact: str | None
    phone: str | None
    products: int


GROUP_COLUMNS = (
    Col("code", N_("Code"), Kind.CODE),
    Col("name", N_("Group"), wrap=True),
    Col("kind", N_("Kind"), Kind.TERM, priority=EXTRA, wrap=True),
    Col("district", N_("District")),
    Col("subdistrict", N_("Sub-district"), priority=USEFUL),
    Col("village", N_("Village"), priority=EXTRA, wrap=True),
    Col("contact", N_("Contact"), priority=EXTRA, wrap=True),
    Col("phone", N_("Phone"), Kind.CODE, priority=EXTRA),
    Col("products", N_("Products"), Kind.COUNT),
)

_LIMITS = {"phone": PHONE_MAX, "contact": 120, "village": 120, "subdistrict": 120}
#: each field a user gives, as messages name it
FIELD_NAMES = {
    "name": N_("name"),
    "code": N_("code"),
    "kind": N_("kind"),
    "district": N_("district"),
    "subdistrict": N_("sub-district"),
    "village": N_("village"),
    "contact": N_("contact person"),
    "phone": N_("phone number"),
}


def kind_of_name(name: str) -> GroupKind:
    """The kind a group's name says when no kind is given: a วิสาหกิจชุมชน (community enterprise, registered under
    the Community Enterprise Promotion Act) says so in its name; any other group is a community producer group."""
    return GroupKind.ENTERPRISE if name.startswith(("วิสาหกิจชุมชน", "วสช.")) else GroupKind.COMMUNITY


def _optional(field: str, text: str | None) -> str | None:
    if text is None:
        return None
    value = optional(one_line(text, FIELD_NAMES[field], limit=_LIMITS[field]))
    return check_phone(value) if field == "phone" else value


def check_phone(value: str | None) -> str | None:
    """A phone number as typed (spaces, dashes, +66 kept), refused when it has no digit at all. (A dash or ไม่มี
    never reaches it: read as none by `text.optional` first.)"""
    if value is not None and not any(ch.isdigit() for ch in value):
        raise InvalidValue(
            _("'{phone}' is not a phone number: it has no digits", phone=value),
            _("give the number, e.g. 042-511-234 or 081 234 5678"),
        )
    return value


def _check_unique(session: Session, group: ProducerGroup) -> None:
    check_code_free(session, ProducerGroup, group)
    with session.no_autoflush:  # asked before the edited group is flushed (see check_code_free)
        same_name = session.exec(
            select(ProducerGroup).where(
                ProducerGroup.name_key == group.name_key,
                ProducerGroup.district == group.district,
                ProducerGroup.id != group.id,
            )
        ).first()
    if same_name is not None:
        raise Conflict(
            _(
                "a group named '{name}' already exists in {district} ({code})",
                name=same_name.name,
                district=group.district,
                code=same_name.code,
            ),
            _("use the existing group {code}, or give the new one a different name", code=same_name.code),
        )


def add_group(
    *,
    session: Session,
    name: str,
    district: str,
    subdistrict: str | None = None,
    village: str | None = None,
    code: str | None = None,
    contact: str | None = None,
    phone: str | None = None,
    kind: str | None = None,
) -> ProducerGroup:
    clean_name = required_name(name, N_("group name"))
    group = ProducerGroup(
        code=clean_code(code) if code else temporary_code(),
        name=clean_name,
        name_key=name_key(clean_name),
        kind=GroupKind.parse(kind) if kind else kind_of_name(clean_name),
        district=network.check_district(session, district),
        subdistrict=network.check_subdistrict(session, district, _optional("subdistrict", subdistrict)),
        village=_optional("village", village),
        contact=_optional("contact", contact),
        phone=_optional("phone", phone),
    )
    _check_unique(session, group)
    session.add(group)
    if not code:
        assign_code(session, group)
    session.flush()
    return group


def edit_group(*, session: Session, group: ProducerGroup, changes: dict[str, Any]) -> list[str]:
    """Change only the fields given (None = leave as is); returns the names of the changed fields."""
    readers: dict[str, Callable[[Any], Any]] = {
        "name": lambda raw: required_name(raw, N_("group name")),
        "code": clean_code,
        "kind": GroupKind.parse,
        "district": lambda raw: network.check_district(session, raw),
        # after the district: it must lie in the (new) district
        "subdistrict": lambda raw: network.check_subdistrict(session, group.district, _optional("subdistrict", raw)),
        **{field: partial(_optional, field) for field in ("village", "contact", "phone")},
    }
    changed = edit_fields(group, changes, readers, hint=_("give at least one field that differs, e.g. --phone"))
    if "district" in changed and "subdistrict" not in changed and group.subdistrict:
        network.check_subdistrict(session, group.district, group.subdistrict)  # still in the new district?
    _check_unique(session, group)
    session.add(group)
    session.flush()
    return changed


def remove_group(*, session: Session, group: ProducerGroup, cascade: bool = False) -> int:
    """Remove a group; with `cascade` its products (and their checklists) too. Returns products removed."""
    products = list(session.exec(select(Product).where(Product.group_id == group.id)).all())
    if products and not cascade:
        raise Conflict(
            _("the group {code} still has {count} products", code=group.code, count=len(products)),
            _("remove its products first, or add --cascade to remove them with the group"),
        )
    for product in products:
        remove_product(session=session, product=product)
    for visit in session.exec(select(Visit).where(Visit.group_id == group.id)).all():
        for link in session.exec(select(VisitProduct).where(VisitProduct.visit_id == visit.id)).all():
            session.delete(link)
        session.delete(visit)
    session.flush()
    session.delete(group)
    session.flush()
    return len(products)


def removed_with(session: Session, group: ProducerGroup) -> list[tuple[str, int]]:
    """How many products, records about them, and visits removing the group takes with it (kinds with none left
    out), said before it is asked and after it is done."""
    products = list(session.exec(select(Product.id).where(Product.group_id == group.id)).all())
    visits = session.exec(select(func.count()).select_from(Visit).where(Visit.group_id == group.id)).one()
    return [
        *([(N_("products"), len(products))] if products else []),
        *recorded_about(session, [p for p in products if p is not None]),
        *([(N_("visits"), visits)] if visits else []),
    ]


def product_count(session: Session, group: ProducerGroup) -> int:
    return session.exec(select(func.count()).select_from(Product).where(Product.group_id == group.id)).one()


def list_groups(*, session: Session, district: str | None = None, code: str | None = None) -> list[GroupRow]:
    """Groups with their product counts, by district, then name (both in Thai dictionary order)."""
    counts = select(Product.group_id, func.count().label("n")).group_by(col(Product.group_id)).subquery()
    query = select(ProducerGroup, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.group_id == ProducerGroup.id)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district))
    if code is not None:
        query = query.where(ProducerGroup.code == code)
    rows = [
        GroupRow(
            code=g.code,
            name=g.name,
            kind=GroupKind(g.kind),
            district=g.district,
            subdistrict=g.subdistrict,
            village=g.village,
            contact=g.contact,
            phone=g.phone,
            products=n,
        )
        for g, n in session.exec(query).all()
    ]
    rows.sort(key=lambda r: (stored_sort_key(r.district), stored_sort_key(r.name), r.code))
    return rows
