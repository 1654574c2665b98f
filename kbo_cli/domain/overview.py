"""Overviews for the network's meeting: each agency's work, and each district at a glance."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session, col

from kbo_cli.domain import columns as c
from kbo_cli.domain.checklist import group_counts_sql, percent
from kbo_cli.domain.followup import ActionRow, action_rows, overdue_sql
from kbo_cli.domain.opc import round_for
from kbo_cli.domain.reports import count_where, filters, products_in, with_group
from kbo_cli.i18n import N_, _
from kbo_cli.reference.agencies import agencies, parse_agency
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import OpcScore, PlanAction, ProducerGroup
from kbo_cli.storage.rows import streamed_rows
from kbo_cli.thai.textnorm import stored_sort_key
from kbo_cli.vocab import ActionStatus

# --- agencies ---------------------------------------------------------------------------------------------


class AgencyRow(NamedTuple):
    agency: str
    agency_name: str
    open: int
    overdue: int
    done: int
    dropped: int
    next_due: date | None


AGENCY_COLUMNS = (
    Col("agency", N_("Code"), Kind.CODE, priority=EXTRA),
    Col("agency_name", N_("Agency"), wrap=True),
    Col("open", N_("Open"), Kind.COUNT),
    Col("overdue", N_("Overdue"), Kind.COUNT, style=lambda v, _r: "bold red" if v else None),
    Col("done", N_("Done"), Kind.COUNT),
    Col("dropped", N_("Dropped"), Kind.COUNT, priority=USEFUL),
    # the earliest due date of the open actions: past (red) when one is overdue
    Col(
        "next_due",
        N_("Earliest due"),
        Kind.DATE,
        priority=USEFUL,
        style=lambda v, _r: "bold red" if v is not None and v < date.today() else None,
    ),
)


def agency_rows(*, session: Session, district: str | None = None, today: date | None = None) -> list[AgencyRow]:
    """Every agency of the network with its open, overdue, done and dropped plan actions."""
    today = today or date.today()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    next_due: dict[str, date] = {}
    query = with_group(
        select(
            col(PlanAction.agency),
            col(PlanAction.status),
            func.count(),
            count_where(overdue_sql(today)),
            func.min(col(PlanAction.due_on)),
        ),
        PlanAction.product_id,
    ).group_by(col(PlanAction.agency), col(PlanAction.status))  # counted by the database: 7 agencies, 3 statuses
    for agency, status, n, overdue, first_due in session.connection().execute(
        filters(query, session, district=district)
    ):
        counts[agency][status] += int(n)
        if status == ActionStatus.OPEN:
            counts[agency]["overdue"] += int(overdue)
            if first_due is not None:
                next_due[agency] = first_due
    return [
        AgencyRow(
            code,
            a.name,
            counts[code][ActionStatus.OPEN],
            counts[code]["overdue"],
            counts[code][ActionStatus.DONE],
            counts[code][ActionStatus.DROPPED],
            next_due.get(code),
        )
        for code, a in agencies().items()
    ]


def agency_todo(
    *,
    session: Session,
    agency: str,
    district: str | None = None,
    include_closed: bool = False,
    today: date | None = None,
) -> list[ActionRow]:
    """One agency's plan actions by district and group, open ones (overdue first) before the others."""
    code = parse_agency(agency).code
    rows = action_rows(session=session, agency=code, district=district, today=today)
    if not include_closed:
        rows = [r for r in rows if r.status == ActionStatus.OPEN]
    far = date.max
    rows.sort(
        key=lambda r: (
            stored_sort_key(r.district),
            stored_sort_key(r.group_name),
            r.group_code,
            r.status != ActionStatus.OPEN,
            not r.overdue,
            r.due_on or far,
            r.id,
        )
    )
    return rows


# --- districts --------------------------------------------------------------------------------------------


class DistrictRow(NamedTuple):
    district: str
    groups: int
    products: int
    applicable: int
    certified: int
    percent: float | None
    gaps: int
    open_actions: int
    overdue_actions: int
    opc_products: int
    star5: int
    star4: int
    star3: int
    star2: int
    star1: int


def stars_text(row: Any) -> str:
    """`5★ ×1 · 4★ ×2`: how many products reached each star level in their latest OPC score."""
    return _stars({n: getattr(row, f"star{n}") for n in range(1, 6)})


def _stars(counts: dict[int, int]) -> str:
    return " · ".join(f"{n}★ ×{counts[n]}" for n in (5, 4, 3, 2, 1) if counts[n])


DISTRICT_COLUMNS = (
    Col("district", N_("District"), wrap=True),
    Col("groups", N_("Groups"), Kind.COUNT, priority=USEFUL),
    Col("products", N_("Products"), Kind.COUNT),
    Col("applicable", N_("Applicable"), Kind.COUNT, priority=EXTRA),
    Col("certified", N_("Certified"), Kind.COUNT, priority=EXTRA),
    c.PROGRESS,
    Col("gaps", N_("Gaps"), Kind.COUNT),
    Col("open_actions", N_("Open actions"), Kind.COUNT, priority=USEFUL),
    Col("overdue_actions", N_("Overdue"), Kind.COUNT, style=lambda v, _r: "bold red" if v else None),
    Col("opc_products", N_("OPC scored"), Kind.COUNT, priority=EXTRA),
    Col("stars", N_("OPC stars"), value=stars_text, machine=False, wrap=True, priority=USEFUL),
    *(Col(f"star{n}", f"{n}★", Kind.COUNT, table=False) for n in (5, 4, 3, 2, 1)),
)


def district_rows(*, session: Session, category: str | None = None, today: date | None = None) -> list[DistrictRow]:
    """Each district: its groups, products, progress and gaps, open and overdue actions, OPC stars."""
    today = today or date.today()
    # each group's counts (as `report progress` counts them: a group without products in the filter has no row),
    # summed per district
    counts = group_counts_sql(today, within=products_in(session, category=category))
    base = (
        select(
            col(ProducerGroup.district),
            func.count(),
            *(func.sum(counts.c[name]) for name in ("products", "applicable", "certified")),
        )
        .join(counts, counts.c.group_id == ProducerGroup.id)
        .group_by(col(ProducerGroup.district))
    )
    figures = {d: (int(g), int(p), int(a), int(c)) for d, g, p, a, c in session.connection().execute(base)}
    open_actions = filters(
        with_group(
            select(
                col(ProducerGroup.district),
                func.count(),
                count_where(overdue_sql(today)),
            ),
            PlanAction.product_id,
        )
        .where(col(PlanAction.status) == ActionStatus.OPEN)
        .group_by(col(ProducerGroup.district)),
        session,
        category=category,
    )
    actions = {dist: (int(n), int(late)) for dist, n, late in session.connection().execute(open_actions)}
    latest: dict[int, tuple[int, float, str]] = {}
    for pid, year, total, dist in streamed_rows(  # the country's 150,000 scores, as the driver's rows
        session.connection(),
        filters(
            with_group(
                select(
                    col(OpcScore.product_id),
                    col(OpcScore.year),
                    col(OpcScore.part1) + col(OpcScore.part2) + col(OpcScore.part3),
                    col(ProducerGroup.district),
                ),
                OpcScore.product_id,
            ),
            session,
            category=category,
        ),
    ):
        if pid not in latest or year > latest[pid][0]:
            latest[pid] = (year, float(total), dist)
    stars: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for year, total, dist in latest.values():
        stars[dist][round_for(year).star_level(total)] += 1
    rows = []
    for dist, (groups, products, applicable, certified) in figures.items():
        s = stars[dist]
        rows.append(
            DistrictRow(
                dist,
                groups,
                products,
                applicable,
                certified,
                percent(certified, applicable),
                applicable - certified,
                *actions.get(dist, (0, 0)),
                sum(s),
                s[5],
                s[4],
                s[3],
                s[2],
                s[1],
            )
        )
    rows.sort(key=lambda r: stored_sort_key(r.district))
    return rows


def district_totals(rows: list[DistrictRow]) -> dict[str, Any]:
    keys = [k for k in DistrictRow._fields if k not in ("district", "percent")]
    total: dict[str, Any] = {k: sum(getattr(r, k) for r in rows) for k in keys}
    total["percent"] = percent(total["certified"], total["applicable"])
    total["district"] = _("Total")
    total["stars"] = _stars({n: total[f"star{n}"] for n in range(1, 6)})
    return total
