"""Meetings of the network: the workshop, the follow-up meetings, the meeting that picks the representative.

A meeting has its dates, place, attendance (producer groups, agencies, named people) and minutes; the
findings, plan actions, visits and picks recorded at it name it, so that `kbo meeting show` lists what came
out of it and the meeting brief (`kbo report summary --meeting N`) is its document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from kbo_cli.domain.followup import author_or_user, numbered, parse_day
from kbo_cli.domain.refs import find_group
from kbo_cli.domain.text import LINE_MAX, NAME_MAX, free_text, one_line, required_name
from kbo_cli.errors import Conflict, InvalidValue
from kbo_cli.i18n import N_, _
from kbo_cli.reference.agencies import agency_name, parse_agency
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import (
    Attendance,
    Finding,
    Meeting,
    PlanAction,
    ProducerGroup,
    Product,
    Selection,
    Visit,
    id_col,
    id_of,
)
from kbo_cli.thai.dates import format_date
from kbo_cli.transfer.files import read_small
from kbo_cli.transfer.sheets import decode

#: the longest minutes kbo keeps (characters: some twenty pages), and the largest minutes file it reads (bytes)
MINUTES_MAX = 60_000
MINUTES_FILE_MAX = 1_000_000


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    missing = _("no meeting #{id}", id=meeting_id)
    return numbered(session, Meeting, meeting_id, missing, _("list them with 'kbo meeting list'"))


def read_minutes(path: Path) -> str:
    """Minutes from a text file (UTF-8 or the Thai Windows code page)."""
    raw = read_small(path, limit=MINUTES_FILE_MAX, what=_("minutes"), hint=_("give the path of a text file"))
    try:
        return decode(raw)
    except UnicodeDecodeError as exc:
        raise InvalidValue(_("{path} is not UTF-8 text", path=path), _("save it as UTF-8")) from exc


def _dates(on: str | date, to: str | date | None) -> tuple[date, date | None]:
    starts = on if isinstance(on, date) else parse_day(on)
    ends = (to if isinstance(to, date) else parse_day(to)) if to else None
    if ends is not None and ends < starts:
        raise InvalidValue(
            _("a meeting cannot end ({end}) before it starts ({start})", end=ends, start=starts),
            _("check --on and --to"),
        )
    return starts, (ends if ends != starts else None)


def add_meeting(
    *,
    session: Session,
    title: str,
    on: str | date,
    to: str | date | None = None,
    place: str | None = None,
    minutes: str | None = None,
    author: str | None = None,
) -> Meeting:
    starts, ends = _dates(on, to)
    meeting = Meeting(
        title=required_name(title, N_("meeting title")),
        starts_on=starts,
        ends_on=ends,
        place=one_line(place, N_("place"), limit=LINE_MAX) or None,
        minutes=free_text(minutes, N_("minutes"), limit=MINUTES_MAX) or None,
        author=author_or_user(author),
    )
    session.add(meeting)
    session.flush()
    return meeting


def edit_meeting(
    *,
    session: Session,
    meeting: Meeting,
    title: str | None = None,
    on: str | None = None,
    to: str | None = None,
    place: str | None = None,
    minutes: str | None = None,
) -> list[str]:
    """Change only the fields given; returns their names."""
    changed = []
    if title is not None:
        meeting.title = required_name(title, N_("meeting title"))
        changed.append("title")
    if on is not None or to is not None:
        meeting.starts_on, meeting.ends_on = _dates(on or meeting.starts_on, to or meeting.ends_on)
        changed.append("dates")
    if place is not None:
        meeting.place = one_line(place, N_("place"), limit=LINE_MAX) or None
        changed.append("place")
    if minutes is not None:
        meeting.minutes = free_text(minutes, N_("minutes"), limit=MINUTES_MAX) or None
        changed.append("minutes")
    session.add(meeting)
    session.flush()
    return changed


@dataclass(frozen=True)
class Attendees:
    """Who is named as attending a meeting: producer groups (code or name), agencies (as typed), people."""

    groups: Sequence[str] = ()
    agencies: Sequence[str] = ()
    people: Sequence[str] = ()

    def checked(self, session: Session) -> tuple[list[int | None], list[str], list[str]]:
        """The groups' ids, the agencies' codes and the people's cleaned names; an error for any not known."""
        return (
            [find_group(session, g).id for g in self.groups],
            [parse_agency(a).code for a in self.agencies],
            [required_name(p, N_("person"), limit=NAME_MAX) for p in self.people],
        )


def add_attendance(*, session: Session, meeting: Meeting, who: Attendees) -> int:
    """Record who attended (groups, agencies, named people); someone already recorded is not added twice."""
    present = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    have = {(a.group_id, a.agency, a.person) for a in present}
    group_ids, codes, names = who.checked(session)
    wanted: list[tuple[int | None, str | None, str | None]] = [(g, None, None) for g in group_ids]
    wanted += [(None, code, None) for code in codes]
    wanted += [(None, None, name) for name in names]
    added = 0
    for group_id, agency, person in dict.fromkeys(wanted):
        if (group_id, agency, person) in have:
            continue
        session.add(Attendance(meeting_id=id_of(meeting), group_id=group_id, agency=agency, person=person))
        added += 1
    session.flush()
    return added


def remove_attendance(*, session: Session, meeting: Meeting, who: Attendees) -> int:
    """Remove who was recorded by mistake; returns how many attendance records went."""
    gone = 0
    present = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    group_ids, codes, names = who.checked(session)
    recorded = {(a.group_id, a.agency, a.person) for a in present}
    named = [
        *zip(who.groups, ((g, None, None) for g in group_ids), strict=True),
        *zip(who.agencies, ((None, c, None) for c in codes), strict=True),
        *zip(who.people, ((None, None, n) for n in names), strict=True),
    ]
    for typed, key in named:  # removing who was not there is a slip in the name (or the meeting)
        if key not in recorded:
            raise Conflict(
                _("{who} is not recorded as attending meeting #{id}", who=typed, id=meeting.id),
                _("see who is with 'kbo meeting show {id}'", id=meeting.id),
            )
    for a in present:
        if a.group_id in group_ids or a.agency in codes or a.person in names:
            session.delete(a)
            gone += 1
    session.flush()
    return gone


class MeetingRow(NamedTuple):
    id: int
    starts_on: date
    ends_on: date | None
    title: str
    place: str | None
    groups: int
    agencies: int
    people: int
    findings: int
    actions: int
    visits: int
    picks: int


def _dates_shown(row: MeetingRow) -> str:
    if row.ends_on is None:
        return format_date(row.starts_on)
    return f"{format_date(row.starts_on)} – {format_date(row.ends_on)}"


MEETING_COLUMNS = (
    Col("id", N_("No."), Kind.COUNT),
    Col("starts_on", N_("From"), Kind.DATE, table=False),
    Col("ends_on", N_("To"), Kind.DATE, table=False),
    Col("dates", N_("Date"), value=_dates_shown, machine=False, wrap=True),
    Col("title", N_("Meeting"), wrap=True),
    Col("place", N_("Place"), wrap=True, priority=USEFUL),
    Col("groups", N_("Groups"), Kind.COUNT, priority=EXTRA),
    Col("agencies", N_("Agencies"), Kind.COUNT, priority=EXTRA),
    Col("people", N_("People"), Kind.COUNT, priority=EXTRA),
    Col("findings", N_("Findings"), Kind.COUNT, priority=USEFUL),
    Col("actions", N_("Actions"), Kind.COUNT, priority=USEFUL),
    Col("visits", N_("Visits"), Kind.COUNT, priority=EXTRA),
    Col("picks", N_("Picks"), Kind.COUNT, priority=EXTRA),
)


def _linked(session: Session, model: type[Finding | PlanAction | Visit | Selection]) -> dict[int, int]:
    """Meeting id -> how many records of `model` name it."""
    meeting_id = col(model.meeting_id)
    counts = session.exec(select(meeting_id, func.count()).where(meeting_id.is_not(None)).group_by(meeting_id)).all()
    return {m: n for m, n in counts if m is not None}  # None is excluded by the query; this says so to mypy


def _attending(session: Session, column: str) -> dict[int, int]:
    """Meeting id -> how many groups, agencies or people (`column`) attended."""
    who = getattr(Attendance, column)
    return dict(
        session.exec(
            select(Attendance.meeting_id, func.count())
            .where(col(who).is_not(None))
            .group_by(col(Attendance.meeting_id))
        ).all()
    )


def meeting_rows(*, session: Session, ids: list[int] | None = None) -> list[MeetingRow]:
    """Meetings, oldest first."""
    query = select(Meeting).order_by(col(Meeting.starts_on), col(Meeting.id))
    if ids is not None:
        query = query.where(col(Meeting.id).in_(ids))
    groups, agencies, people = (_attending(session, c) for c in ("group_id", "agency", "person"))
    findings, actions, visits, picks = (_linked(session, m) for m in (Finding, PlanAction, Visit, Selection))
    rows = []
    for m in session.exec(query).all():
        mid = id_of(m)
        rows.append(
            MeetingRow(
                mid,
                m.starts_on,
                m.ends_on,
                m.title,
                m.place,
                groups.get(mid, 0),
                agencies.get(mid, 0),
                people.get(mid, 0),
                findings.get(mid, 0),
                actions.get(mid, 0),
                visits.get(mid, 0),
                picks.get(mid, 0),
            )
        )
    return rows


class AttendanceRow(NamedTuple):
    kind: str  # group | agency | person
    code: str | None
    name: str


ATTENDANCE_COLUMNS = (
    Col("kind", N_("Kind"), show=lambda v: _(v)),
    Col("code", N_("Code"), Kind.CODE, priority=USEFUL),
    Col("name", N_("Name"), wrap=True),
)
GROUP, AGENCY, PERSON = N_("group"), N_("agency"), N_("person")


def attendance_rows(session: Session, meeting: Meeting) -> list[AttendanceRow]:
    rows = []
    for a, g_code, g_name in session.exec(
        select(Attendance, ProducerGroup.code, ProducerGroup.name)
        .outerjoin(ProducerGroup, col(ProducerGroup.id) == Attendance.group_id)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(col(Attendance.id))
    ).all():
        if a.group_id is not None:
            rows.append(AttendanceRow(GROUP, g_code, g_name))
        elif a.agency is not None:
            rows.append(AttendanceRow(AGENCY, a.agency, agency_name(a.agency)))
        else:
            rows.append(AttendanceRow(PERSON, None, a.person or ""))
    order = {GROUP: 1, AGENCY: 0, PERSON: 2}
    return sorted(rows, key=lambda r: order[r.kind])


@dataclass(frozen=True)
class MeetingView:
    meeting: MeetingRow
    minutes: str | None
    attendance: list[AttendanceRow]
    finding_ids: list[int]
    action_ids: list[int]
    visit_ids: list[int]
    picks: list[tuple[int, str, str]]  # (year, scope, product code)


def view(session: Session, meeting: Meeting) -> MeetingView:
    """A meeting with who attended and what came out of it."""

    def ids(model: type[Finding | PlanAction | Visit]) -> list[int]:
        return list(
            session.exec(
                select(id_col(model.id)).where(model.meeting_id == meeting.id).order_by(id_col(model.id))
            ).all()
        )

    picks = [
        (s.year, s.scope, code)
        for s, code in session.exec(
            select(Selection, Product.code)
            .join(Product, col(Product.id) == Selection.product_id)
            .where(Selection.meeting_id == meeting.id)
        ).all()
    ]
    return MeetingView(
        meeting_rows(session=session, ids=[id_of(meeting)])[0],
        meeting.minutes,
        attendance_rows(session, meeting),
        ids(Finding),
        ids(PlanAction),
        ids(Visit),
        picks,
    )


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The meeting held before this one (by start date), if any."""
    return session.exec(
        select(Meeting)
        .where(
            (col(Meeting.starts_on) < meeting.starts_on)
            | ((col(Meeting.starts_on) == meeting.starts_on) & (col(Meeting.id) < meeting.id))
        )
        .order_by(col(Meeting.starts_on).desc(), col(Meeting.id).desc())
        .limit(1)
    ).first()


def meeting_end(meeting: Meeting | MeetingRow) -> date:
    """The last day of a meeting: what it knew is what was recorded by the end of this day."""
    return meeting.ends_on or meeting.starts_on


def latest_meeting(session: Session) -> Meeting | None:
    return session.exec(
        select(Meeting).order_by(col(Meeting.starts_on).desc(), col(Meeting.id).desc()).limit(1)
    ).first()
