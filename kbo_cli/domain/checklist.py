"""Each product's checklist: one entry per standard of the catalogue that applies to its category.

Progress and gaps are defined here, once:
- an entry is *applicable* unless its status is `not_applicable`;
- an entry *counts as certified* when its status is `certified` and its certificate has not expired;
- a *gap* is an applicable entry that does not count as certified;
- progress = certified / applicable.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_
from sqlmodel import Session, col, select

from kbo_cli.reference import catalog
from kbo_cli.reference.catalog import Standard
from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import _
from kbo_cli.storage.models import ChecklistEntry, Product, utcnow
from kbo_cli.thai.textnorm import clean_text
from kbo_cli.vocab import Status, parse_status

#: statuses that mean work is under way (the `in_progress` figure of `report progress`)
UNDER_WAY = (Status.IN_PROGRESS.value, Status.SUBMITTED.value)


def applicable_sql() -> ColumnElement[int]:
    """1 for an applicable entry, else 0 (to be summed in SQL)."""
    return case((ChecklistEntry.status != Status.NOT_APPLICABLE.value, 1), else_=0)


def certified_sql(today: date) -> ColumnElement[bool]:
    """True for an entry that counts as certified on `today` (certified and not expired)."""
    return and_(
        ChecklistEntry.status == Status.CERTIFIED.value,
        or_(col(ChecklistEntry.expires_on).is_(None), col(ChecklistEntry.expires_on) >= today),
    )


def gap_sql(today: date) -> ColumnElement[bool]:
    """True for a gap: applicable and not counting as certified."""
    return and_(ChecklistEntry.status != Status.NOT_APPLICABLE.value, ~certified_sql(today))


def is_expired(entry: ChecklistEntry | Any, today: date) -> bool:
    return entry.status == Status.CERTIFIED and entry.expires_on is not None and entry.expires_on < today


def effective_status(entry: ChecklistEntry | Any, today: date) -> str:
    """The status a report shows: `expired` for a certificate past its expiry date."""
    return "expired" if is_expired(entry, today) else entry.status


def sync_entries(session: Session, product: Product) -> tuple[list[str], list[ChecklistEntry]]:
    """Make the product's entries match the standards of its category.

    Adds missing entries (not_started) and removes those whose standard no longer applies; entries that
    still apply are kept as they are. Returns (standards added, entries removed).
    """
    existing = {e.standard: e for e in session.exec(
        select(ChecklistEntry).where(ChecklistEntry.product_id == product.id)
    ).all()}
    wanted = [s.code for s in catalog.applicable(product.category)]
    added = [code for code in wanted if code not in existing]
    for code in added:
        session.add(ChecklistEntry(product_id=product.id, standard=code))  # type: ignore[arg-type]
    removed = [e for code, e in existing.items() if code not in wanted]
    for entry in removed:
        session.delete(entry)
    session.flush()
    return added, removed


def entries(session: Session, product: Product) -> list[ChecklistEntry]:
    """The product's entries in catalogue order."""
    order = {code: i for i, code in enumerate(catalog.standards())}
    rows = session.exec(select(ChecklistEntry).where(ChecklistEntry.product_id == product.id)).all()
    return sorted(rows, key=lambda e: order.get(e.standard, len(order)))


def applying_standard(product: Product, standard_ref: str) -> Standard:
    """The standard named, refusing one that does not apply to the product's category."""
    std = catalog.parse_standard(standard_ref)
    if not std.applies_to(product.category):
        names = ", ".join(s.code for s in catalog.applicable(product.category))
        raise Conflict(
            _("{standard} does not apply to {category} products such as {product}",
              standard=std.mark, category=catalog.category_name(product.category), product=product.code),
            _("standards for this category: {names}", names=names),
        )
    return std


def set_entry(
    *,
    session: Session,
    product: Product,
    standard: str,
    status: str | None = None,
    cert: str | None = None,
    issued: str | None = None,
    expires: str | None = None,
    note: str | None = None,
) -> tuple[ChecklistEntry, list[str]]:
    """Record where a product stands against one standard. Only the fields given change.

    Certificate numbers are normalised to their standard's format; dates accept the forms Thai officials
    write. When only the issue date is given and the catalogue knows the validity, the expiry is
    computed. Returns the entry and warnings for the user.
    """
    from kbo_cli.thai import certno
    from kbo_cli.thai import dates as thaidate

    std = applying_standard(product, standard)
    entry = session.exec(
        select(ChecklistEntry).where(ChecklistEntry.product_id == product.id, ChecklistEntry.standard == std.code)
    ).first()
    if entry is None:  # the catalogue gained a standard since the product was added
        entry = ChecklistEntry(product_id=product.id, standard=std.code)  # type: ignore[arg-type]
    if status is None and cert is None and issued is None and expires is None and note is None:
        raise InvalidValue(_("nothing to change"), _("give --status, --cert, --issued, --expires or --note"))
    if status is not None:
        entry.status = parse_status(status).value
    if cert is not None:
        entry.certificate_no = certno.normalize_cert(std.cert_format(product.category), cert) if cert.strip() else None
    if issued is not None:
        entry.issued_on = thaidate.parse_date(issued) if issued.strip() else None
    if expires is not None:
        entry.expires_on = thaidate.parse_date(expires) if expires.strip() else None
    elif issued is not None and entry.issued_on is not None:
        months = std.validity_months(product.category)
        if months:
            entry.expires_on = add_months(entry.issued_on, months)
    if note is not None:
        entry.note = clean_text(note) or None
    if entry.issued_on and entry.expires_on and entry.expires_on <= entry.issued_on:
        raise InvalidValue(
            _("the expiry date must come after the issue date"),
            _("check --issued and --expires"),
        )
    warnings = []
    if entry.status == Status.CERTIFIED and not entry.certificate_no and std.cert_format(product.category) != "free":
        warnings.append(_("certified without a certificate number: reports show it as a gap to fill"))
    entry.updated_at = utcnow()
    session.add(entry)
    session.flush()
    return entry, warnings


def add_months(start: date, months: int) -> date:
    """The day before the same date `months` later (a 3-year certificate issued 2023-01-19 runs to 2026-01-18)."""
    from datetime import timedelta

    year, month = divmod(start.month - 1 + months, 12)
    day = start.day
    while True:
        try:
            end = date(start.year + year, month + 1, day)
            break
        except ValueError:
            day -= 1
    return end - timedelta(days=1)
