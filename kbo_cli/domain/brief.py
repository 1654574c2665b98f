"""The meeting brief: everything the network's meeting needs, gathered from the same results as the reports.

A `Brief` holds, for one meeting (or for today when no meeting is named): who met where and when, each
district at a glance, each group's progress with the change since the previous meeting and its course over
the meetings, the candidates' ranking with its breakdown, the round's pick and runners-up (or that it is not
decided yet), each agency's open and overdue actions, and one page per product. `render.brief` turns it into
the A4 document; nothing here knows about HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.config import current_user
from kbo_cli.domain import network
from kbo_cli.domain.candidates import CandidateRow, rank
from kbo_cli.domain.checklist import EntryRow, ProductRow, percent, view
from kbo_cli.domain.committee import ProductResult, Rules, results, rules
from kbo_cli.domain.followup import ActionRow, FindingRow, VisitRow, action_rows, finding_rows, visit_rows
from kbo_cli.domain.meetings import (
    AttendanceRow,
    MeetingRow,
    attendance_rows,
    get_meeting,
    latest_meeting,
    meeting_end,
    meeting_rows,
    previous_meeting,
)
from kbo_cli.domain.opc import ScoreRow, current_year, round_for, score_rows, unconfirmed_note
from kbo_cli.domain.overview import AgencyRow, DistrictRow, agency_rows, district_rows, district_totals
from kbo_cli.domain.reports import ProductGaps, filters, gaps, gaps_per_product, progress
from kbo_cli.domain.selection import RoundRow, round_rows
from kbo_cli.domain.timeline import ChangeRow, change_totals, progress_as_of, progress_since
from kbo_cli.errors import InvalidValue, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.storage.models import Meeting, ProducerGroup, Product, id_of
from kbo_cli.thai.dates import format_date
from kbo_cli.thai.textnorm import stored_sort_key
from kbo_cli.vocab import ActionStatus

#: the sections of a brief, in order; any may be left out
SECTIONS = {
    "attendance": N_("attendance and minutes"),
    "districts": N_("districts at a glance"),
    "progress": N_("progress per group"),
    "candidates": N_("the candidates' ranking"),
    "pick": N_("the pick"),
    "agencies": N_("each agency's actions"),
    "products": N_("one page per product"),
}
#: how many candidates the ranking shows
TOP = 10
#: the most producer groups a brief covers: it is a meeting's document with a page per product; a wider scope
#: (a whole country's register) is asked to choose a district or a category, or to use the reports
MAX_GROUPS = 500


@dataclass(frozen=True)
class Point:
    """Progress on a day (a meeting's last day, or today)."""

    day: date
    label: str
    percent: float | None


@dataclass(frozen=True)
class ProductPage:
    summary: ProductRow
    missing: str
    entries: list[EntryRow]
    findings: list[FindingRow]
    actions: list[ActionRow]
    latest_visit: VisitRow | None
    scores: list[ScoreRow]


@dataclass
class Brief:
    network: str | None
    province: str | None
    prepared_by: str
    today: date
    meeting: MeetingRow | None
    minutes: str | None
    attendance: list[AttendanceRow]
    previous: MeetingRow | None
    sections: set[str]
    districts: list[DistrictRow] = field(default_factory=list)
    district_totals: dict[str, Any] = field(default_factory=dict)
    progress: list[ChangeRow] = field(default_factory=list)
    progress_totals: dict[str, Any] = field(default_factory=dict)
    course: dict[str, list[Point]] = field(default_factory=dict)  # group code ("" for the province) -> points
    round_year: int = 0
    candidates: list[CandidateRow] = field(default_factory=list)
    pick: list[RoundRow] = field(default_factory=list)
    committee: list[ProductResult] = field(default_factory=list)
    committee_rules: Rules | None = None
    agencies: list[AgencyRow] = field(default_factory=list)
    agency_actions: dict[str, list[ActionRow]] = field(default_factory=dict)
    products: list[ProductPage] = field(default_factory=list)
    gap_lines: list[ProductGaps] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def gather(
    *,
    session: Session,
    meeting: int | None = None,
    round_year: int | None = None,
    leave_out: set[str] | None = None,
    district: str | None = None,
    category: str | None = None,
    today: date | None = None,
) -> Brief:
    """The brief of a meeting (default: the latest one, or none), as the data stands today."""
    today = today or date.today()
    _check_scope(session, district=district, category=category)
    chosen: Meeting | None = get_meeting(session, meeting) if meeting is not None else latest_meeting(session)
    before = previous_meeting(session, chosen) if chosen is not None else None
    meta = network.page_meta(session)
    sections = set(SECTIONS) - (leave_out or set())
    brief = Brief(
        network=meta["network"],
        province=meta["province"],
        prepared_by=current_user(),
        today=today,
        meeting=meeting_rows(session=session, ids=[id_of(chosen)])[0] if chosen else None,
        minutes=chosen.minutes if chosen else None,
        attendance=attendance_rows(session, chosen) if chosen else [],
        previous=meeting_rows(session=session, ids=[id_of(before)])[0] if before else None,
        sections=sections,
    )
    if "districts" in sections:
        brief.districts = district_rows(session=session, category=category, today=today)
        brief.district_totals = district_totals(brief.districts)
    if "progress" in sections:
        since = meeting_end(before) if before is not None else None
        if since is not None:
            brief.progress = progress_since(
                session=session, day=since, district=district, category=category, today=today
            )
        else:
            brief.progress = [
                ChangeRow(
                    r.group_code,
                    r.group_name,
                    r.district,
                    None,
                    r.percent,
                    None,
                    0,
                    r.applicable,
                    0,
                    r.certified,
                    0,
                    0,
                    0,
                    0,
                )
                for r in progress(session=session, district=district, category=category)
            ]
        brief.progress_totals = change_totals(brief.progress)
        brief.course = _course(session, district=district, category=category, today=today)
    year = round_year or _round_year(session, chosen, today)
    brief.round_year = year
    if "candidates" in sections or "pick" in sections:
        ranking = rank(session=session, category=category, district=district, year=year)
        brief.candidates = ranking[:TOP]
        note = unconfirmed_note(round_for(year), year)
        if note:
            brief.notes.append(note)
    if "pick" in sections:
        try:
            brief.pick = round_rows(session=session, year=year)
        except NotFound:
            brief.pick = []
        committee_rules = rules(session=session, year=year)
        if committee_rules.members:
            brief.committee_rules = committee_rules
            brief.committee = results(session=session, year=year, category=category)
    if "agencies" in sections:
        brief.agencies = [
            a for a in agency_rows(session=session, district=district, today=today) if a.open or a.done or a.dropped
        ]
        for row in action_rows(session=session, status=ActionStatus.OPEN, district=district, today=today):
            brief.agency_actions.setdefault(row.agency, []).append(row)
    if "products" in sections:
        brief.gap_lines = gaps_per_product(
            list(gaps(session=session, district=district, category=category, today=today))
        )
        brief.products = _product_pages(session, brief.gap_lines, district=district, category=category, today=today)
    return brief


def _check_scope(session: Session, *, district: str | None, category: str | None) -> None:
    in_scope = filters(
        select(func.count(func.distinct(ProducerGroup.id))).join(Product, col(Product.group_id) == ProducerGroup.id),
        session,
        district=district,
        category=category,
    )
    count = session.execute(in_scope).scalar_one()
    if count > MAX_GROUPS:
        raise InvalidValue(
            _(
                "the brief would cover {count} producer groups; it is made for at most {limit}",
                count=f"{count:,}",
                limit=MAX_GROUPS,
            ),
            _("choose a district (--district) or a category (--category), or use the reports with -f csv"),
        )


def _round_year(session: Session, meeting: Meeting | None, today: date) -> int:
    """The selection round a brief speaks of: the meeting's year (Buddhist Era)."""
    return current_year(meeting.starts_on if meeting is not None else today)


def _course(session: Session, *, district: str | None, category: str | None, today: date) -> dict[str, list[Point]]:
    """Each group's progress (and the province's) at the end of every meeting, and today."""
    days = [
        (meeting_end(m), m.title)
        for m in session.exec(select(Meeting).order_by(col(Meeting.starts_on), col(Meeting.id))).all()
        if meeting_end(m) < today
    ]
    course: dict[str, list[Point]] = {}
    for day, _title in [*days, (today, "")]:
        rows = (
            progress_as_of(session=session, day=day, district=district, category=category)
            if day < today
            else progress(session=session, district=district, category=category)
        )
        label = format_date(day)
        for r in rows:
            course.setdefault(r.group_code, []).append(Point(day, label, r.percent))
        certified = sum(r.certified for r in rows)
        applicable = sum(r.applicable for r in rows)
        course.setdefault("", []).append(Point(day, label, percent(certified, applicable)))
    return course


def _product_pages(
    session: Session, lines: list[ProductGaps], *, district: str | None, category: str | None, today: date
) -> list[ProductPage]:
    missing = {g.product_code: g.missing for g in lines}
    scope = filters(
        select(Product.id).join(ProducerGroup, col(ProducerGroup.id) == Product.group_id),
        session,
        district=district,
        category=category,
    )
    products = session.exec(select(Product).where(col(Product.id).in_(scope))).all()
    findings = _by_product(finding_rows(session=session, within=scope))
    actions = _by_product(action_rows(session=session, today=today, within=scope))
    scores = _by_product(score_rows(session=session, within=scope))
    latest_visit: dict[str, VisitRow] = {}  # by product code, or by group code for visits naming no product
    for v in visit_rows(session=session, within=scope):  # newest first: the first one seen is kept
        for key in v.products.split() or [f"group:{v.group_code}"]:
            latest_visit.setdefault(key, v)
    pages = []
    for product in products:
        shown = view(session, product, today)
        code = product.code
        pages.append(
            ProductPage(
                shown.product,
                missing.get(code, ""),
                shown.entries,
                findings.get(code, []),
                actions.get(code, []),
                _newest(latest_visit.get(code), latest_visit.get(f"group:{shown.product.group_code}")),
                scores.get(code, []),
            )
        )
    pages.sort(key=lambda p: (stored_sort_key(p.summary.district), p.summary.group_code, p.summary.code))
    return pages


def _by_product(rows: list[Any]) -> dict[str, list[Any]]:
    """Rows with a `product_code`, by product, each product's in the order given."""
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row.product_code, []).append(row)
    return found


def _newest(*visits: VisitRow | None) -> VisitRow | None:
    """The newest of the visits given (visit_rows order: latest day, then highest number)."""
    present = [v for v in visits if v is not None]
    return max(present, key=lambda v: (v.visited_on, v.id)) if present else None
