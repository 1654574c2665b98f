"""The gap, progress and expiry reports: rows computed in SQL and streamed, by the rules of `checklist`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple, TypedDict, TypeVar, Unpack

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlmodel import Session, col

from kbo_cli.domain import columns as c
from kbo_cli.domain import network
from kbo_cli.domain.checklist import (
    entry_counts_sql,
    gap_sql,
    group_counts_sql,
    number_missing_sql,
    percent,
    required_sql,
    standing_sql,
)
from kbo_cli.domain.columns import standard_mark
from kbo_cli.domain.refs import find_group
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product, id_col, table_of
from kbo_cli.storage.rows import QueryRows, streamed_rows
from kbo_cli.vocab import Standing, Status

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


class ReportFilters(TypedDict, total=False):
    """The filters every report shares, each a code or a name as typed (None, or not given: no filter): they
    travel together from the command to `filters`."""

    group: str | None
    district: str | None
    category: str | None


def count_where(condition: Any) -> ColumnElement[int]:
    """How many of a group's rows meet `condition` (0 for none), for a GROUP BY query."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def with_group(query: Query, product_id: Any) -> Query:
    """`query` joined to the product whose id is `product_id` (a plan action's, an entry's ...) and to the
    product's producer group, as `filters` wants it."""
    query = query.join(Product, col(Product.id) == product_id)
    return query.join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)


def filters(query: Query, session: Session, **where: Unpack[ReportFilters]) -> Query:
    """The filters every report shares (a query joining Product and ProducerGroup)."""
    group, district, category = where.get("group"), where.get("district"), where.get("category")
    if group:
        query = query.where(col(Product.group_id) == find_group(session, group).id)
    if district:
        query = query.where(col(ProducerGroup.district) == network.check_district(session, district))
    if category:
        query = query.where(col(Product.category) == catalog.parse_category(category).code)
    return query


def products_in(session: Session, **where: Unpack[ReportFilters]) -> Select[int] | None:
    """The ids of the products inside the filters (a subquery for `IN`), or None when nothing is filtered: lets a
    count over a whole table (the checklist's, per product) read only the products a filtered report shows."""
    if not any(where.values()):
        return None
    return filters(
        select(id_col(Product.id)).join(ProducerGroup, col(ProducerGroup.id) == Product.group_id), session, **where
    )


def _entry_rows(*columns: Any) -> Select[*tuple[Any, ...]]:
    """Checklist entries, each with its product and the product's group: rows that begin with the group's code,
    name and district and the product's code and name (as GapRow and ExpiringRow do), then `columns`."""
    return (
        select(
            col(ProducerGroup.code),
            col(ProducerGroup.name),
            col(ProducerGroup.district),
            col(Product.code),
            col(Product.name),
            *columns,
        )
        .join(Product, col(Product.group_id) == ProducerGroup.id)
        .join(ChecklistEntry, col(ChecklistEntry.product_id) == Product.id)
    )


# --- gaps ------------------------------------------------------------------------------------------------


class GapRow(NamedTuple):
    group_code: str
    group_name: str
    district: str
    product_code: str
    product_name: str
    category: str
    standard: str
    standard_name: str
    required: bool  # 1 or 0 from SQLite (the rows are the driver's): a truth value, a flag for the writers
    status: str  # a `Standing` code


GAP_COLUMNS = (
    c.GROUP_CODE,
    c.GROUP_NAME,
    c.GROUP,
    Col("district", N_("District"), priority=EXTRA, wrap=True),
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    c.CATEGORY,
    c.STANDARD,
    Col("standard_name", N_("Standard name"), table=False),
    c.LEVEL,
    c.STANDING,
)


def gaps(
    *,
    session: Session,
    standard: str | None = None,
    required_only: bool = False,
    today: date | None = None,
    **where: Unpack[ReportFilters],
) -> Iterator[GapRow]:
    """Every gap, per district, producer group and product in Thai dictionary order, standards in catalogue order.

    Also listed, as warnings that do not count against progress: entries marked certified without the
    certificate number their standard has (standing `number_missing`). The rows are computed whole in SQL
    (the national register has half a million gaps), so that they stream straight to the writer, or, as CSV on
    PostgreSQL, are written by the server.
    """
    today = today or date.today()
    standards = catalog.standards()
    names = case(
        {code: std.name for code, std in standards.items()},
        value=ChecklistEntry.standard,
        else_=ChecklistEntry.standard,
    )
    required = required_sql()
    query = _entry_rows(
        col(Product.category), col(ChecklistEntry.standard), names, required, standing_sql(today)
    ).where(or_(gap_sql(today), number_missing_sql(today)))
    query = filters(query, session, **where)
    if standard:
        query = query.where(col(ChecklistEntry.standard) == catalog.parse_standard(standard).code)
    if required_only:
        query = query.where(required)
    query = query.order_by(place_order(session), col(Product.code), *standard_order())  # Thai order, as `progress`
    return QueryRows(session.connection(), query, GapRow)


def standard_order() -> tuple[ColumnElement[Any], ...]:
    """ORDER BY these for a product's entries in catalogue order, then by code (standards the catalogue no longer
    has). With them a report's order is total: SQLite's sorter, which may use several threads on a large report,
    would otherwise give tied rows in an order that changes from run to run."""
    standards = catalog.standards()
    by_catalogue = case(
        {code: i for i, code in enumerate(standards)}, value=ChecklistEntry.standard, else_=len(standards)
    )
    return by_catalogue, table_of(ChecklistEntry).c.standard


# --- progress -------------------------------------------------------------------------------------------


class ProgressRow(NamedTuple):
    group_code: str
    group_name: str
    district: str
    products: int
    applicable: int
    certified: int
    in_progress: int
    gaps: int
    percent: float | None

    @classmethod
    def of(
        cls, code: str, name: str, district: str, products: int, applicable: int, certified: int, under_way: int
    ) -> ProgressRow:
        """A group's row from its counts: the gaps and the percentage follow from them."""
        return cls(
            code,
            name,
            district,
            products,
            applicable,
            certified,
            under_way,
            applicable - certified,
            percent(certified, applicable),
        )


PROGRESS_COLUMNS = (
    c.GROUP_CODE,
    c.GROUP_NAME,
    c.GROUP,
    c.DISTRICT,
    Col("products", N_("Products"), Kind.COUNT, priority=EXTRA),
    c.APPLICABLE,
    Col("certified", N_("Certified"), Kind.COUNT),
    Col("in_progress", N_("In progress"), Kind.COUNT, priority=USEFUL),
    Col("gaps", N_("Gaps"), Kind.COUNT),
    c.PROGRESS,
)


def progress(
    *, session: Session, today: date | None = None, ordered: bool = True, **where: Unpack[ReportFilters]
) -> list[ProgressRow]:
    """One row per producer group, in Thai dictionary order of district and group name."""
    day = today or date.today()
    return progress_on(session, [day], ordered=ordered, **where)[0]


def progress_on(
    session: Session, days: Sequence[date], *, ordered: bool = False, **where: Unpack[ReportFilters]
) -> list[list[ProgressRow]]:
    """`progress` counted on each of `days` (a certificate counts until it expires), in one reading of the
    checklist; the rows in Thai dictionary order of district, group name and code when `ordered` (the
    database orders them by the groups' stored sort key), else unordered."""
    within = products_in(session, **where)
    group = (col(ProducerGroup.code), col(ProducerGroup.name), col(ProducerGroup.district))
    if session.get_bind().dialect.name == "sqlite":
        # each product's checklist counted (its index read once, in order), the counts summed per group (each
        # product found by its id): PostgreSQL's form below has SQLite index the 212,000 products' counts first
        counts = group_counts_sql(*days, within=within)
        query = select(*group, *(counts.c[name] for name in _COUNTED), *_certified_on(counts, days)).join(
            counts, counts.c.group_id == ProducerGroup.id
        )
    else:  # each product's checklist counted first, by a merge on its index, then summed in the join with the
        # groups: PostgreSQL takes 1.5 times as long over the counts per group (it builds them once per worker)
        counts = entry_counts_sql(*days, within=within)
        query = select(
            *group,
            func.count(col(Product.id)),
            *(func.coalesce(func.sum(column), 0) for column in (counts.c.applicable, counts.c.under_way)),
            *(func.coalesce(func.sum(column), 0) for column in _certified_on(counts, days)),
        )
        query = (
            query.join(Product, col(Product.group_id) == ProducerGroup.id)
            .outerjoin(counts, counts.c.product_id == Product.id)
            .group_by(id_col(ProducerGroup.id))
        )
        query = filters(query, session, **where)
    if ordered:  # Thai dictionary order: the groups' stored key, then the id
        query = query.order_by(place_order(session), id_col(ProducerGroup.id))
    found: list[list[ProgressRow]] = [[] for _day in days]
    for code, name, dist, products, applicable, under_way, *certified_on in streamed_rows(session.connection(), query):
        applicable, under_way = int(applicable), int(under_way)
        for rows, certified_then in zip(found, certified_on, strict=True):
            certified_then = int(certified_then)
            rows.append(ProgressRow.of(code, name, dist, int(products), applicable, certified_then, under_way))
    return found


#: the counts of `group_counts_sql` a progress row takes, in its order
_COUNTED = ("products", "applicable", "under_way")


def _certified_on(counts: Any, days: Sequence[date]) -> list[Any]:
    """The columns of `counts` (`entry_counts_sql`, `group_counts_sql`) with what counted as certified on each
    of `days`."""
    return [counts.c.certified, *(counts.c[f"certified_{n}"] for n in range(1, len(days)))]


def place_order(session: Session) -> ColumnElement[str]:
    """ORDER BY this for Thai dictionary order of district, group name and code: the groups' stored sort key
    (`textnorm.place_key`) in code-point order, as SQLite's BINARY and PostgreSQL's "C" collation compare."""
    key = table_of(ProducerGroup).c.sort_key
    return key.collate("C") if session.get_bind().dialect.name == "postgresql" else key


def progress_totals(rows: list[ProgressRow]) -> dict[str, Any]:
    """The sum of progress rows (a table's footer)."""
    total: dict[str, Any] = {
        k: sum(getattr(r, k) for r in rows) for k in ("products", "applicable", "certified", "in_progress", "gaps")
    }
    total["percent"] = percent(total["certified"], total["applicable"])
    total["group"] = _("Total")
    return total


# --- certificates expiring ------------------------------------------------------------------------------


class ExpiringRow(NamedTuple):
    group_code: str
    group_name: str
    district: str
    product_code: str
    product_name: str
    standard: str
    standard_name: str
    certificate_no: str | None
    expires_on: date
    days_left: int


def _days_left(value: int) -> str:
    return f"{value} ({_('expired')})" if value < 0 else str(value)


def _days_left_style(value: Any, _row: Any) -> str:
    return "bold magenta" if value < 0 else "red" if value <= 30 else "yellow"


EXPIRING_COLUMNS = (
    c.GROUP_CODE,
    c.GROUP_NAME,
    # the certificate's product, number and dates are what the list is for: the group goes first on a short line
    c.GROUP.replace(priority=USEFUL),
    c.DISTRICT,
    c.PRODUCT_CODE,
    c.PRODUCT_NAME,
    c.PRODUCT,
    c.STANDARD,
    Col("standard_name", N_("Standard name"), table=False),
    Col("certificate_no", N_("Certificate no."), Kind.CODE),
    Col("expires_on", N_("Expires"), Kind.DATE),
    Col("days_left", N_("Days left"), Kind.COUNT, style=_days_left_style, show=_days_left),
)


def expiring(
    *, session: Session, within: int = 90, today: date | None = None, **where: Unpack[ReportFilters]
) -> list[ExpiringRow]:
    """Certificates that have expired or expire within `within` days, soonest first (days_left < 0: expired)."""
    today = today or date.today()
    query = (
        _entry_rows(col(ChecklistEntry.standard), col(ChecklistEntry.certificate_no), col(ChecklistEntry.expires_on))
        .where(
            col(ChecklistEntry.status) == Status.CERTIFIED,
            col(ChecklistEntry.expires_on).is_not(None),
            col(ChecklistEntry.expires_on) <= today + timedelta(days=within),
        )
        .order_by(col(ChecklistEntry.expires_on), col(ProducerGroup.code), col(Product.code), *standard_order())
    )
    query = filters(query, session, **where)
    return [
        ExpiringRow(g, gn, d, p, pn, std, catalog.standard_name(std), cert, exp, (exp - today).days)
        for g, gn, d, p, pn, std, cert, exp in session.connection().execute(query)
        if exp is not None  # (the query has none: for the type checker)
    ]


class ProductGaps(NamedTuple):
    """One product's gaps in one line, for printed pages: `required: อย. (expired), GMP · recommended: มผช.`."""

    group_code: str
    group_name: str
    district: str
    product_code: str
    product_name: str
    required: tuple[tuple[str, str], ...]  # (standard, standing code)
    recommended: tuple[tuple[str, str], ...]

    @property
    def missing(self) -> str:
        def listed(items: tuple[tuple[str, str], ...]) -> str:
            return ", ".join(
                standard_mark(code) + ("" if status == Standing.NOT_STARTED else f" ({Standing(status).label})")
                for code, status in items
            )

        parts = []
        if self.required:
            parts.append(_("required: {standards}", standards=listed(self.required)))
        if self.recommended:
            parts.append(_("recommended: {standards}", standards=listed(self.recommended)))
        return " · ".join(parts)


def gaps_per_product(rows: Iterator[GapRow] | list[GapRow]) -> list[ProductGaps]:
    """Gap rows folded into one line per product, in the order they came."""
    products: dict[str, ProductGaps] = {}
    for r in rows:
        p = products.get(r.product_code) or ProductGaps(
            r.group_code, r.group_name, r.district, r.product_code, r.product_name, (), ()
        )
        item = ((r.standard, r.status),)
        products[r.product_code] = (
            p._replace(required=p.required + item) if r.required else p._replace(recommended=p.recommended + item)
        )
    return list(products.values())
