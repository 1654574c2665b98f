"""kbo meeting: the network's meetings, who attended, and what came out of them."""

from pathlib import Path
from typing import Annotated, Any

import typer

from kbo_cli.cli._common import open_session, show, subcommands
from kbo_cli.cli.options import FormatOption, RecordedByOption, WideOption, record_number, text_option
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("Meetings of the network: the workshop, follow-up meetings, the pick.")

MeetingArg = Annotated[int, record_number("The meeting's number (see 'kbo meeting list').")]
GroupsOpt = Annotated[list[str] | None, text_option("--group", "-g", help="A producer group that attended (repeat).")]
AgenciesOpt = Annotated[
    list[str] | None,
    text_option("--agency", "-a", help="An agency that attended: พช., สสจ., ม. ... (repeat)."),
]
PeopleOpt = Annotated[
    list[str] | None,
    text_option("--person", help='A person who attended, e.g. "นางสาวสมศรี ใจดี (พช.)" (repeat).'),
]
MinutesOpt = Annotated[str | None, typer.Option("--minutes", help="The minutes, as text.")]
MinutesFileOpt = Annotated[Path | None, typer.Option("--minutes-file", help="The minutes, from a text file.")]


def _minutes(text: str | None, path: Path | None) -> str | None:
    from kbo_cli.domain.meetings import read_minutes
    from kbo_cli.errors import InvalidValue

    if text is not None and path is not None:
        raise InvalidValue(_("give the minutes as text or as a file, not both"), _("use --minutes or --minutes-file"))
    return read_minutes(path) if path is not None else text


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help='What the meeting was, e.g. "ประชุมเชิงปฏิบัติการเครือข่าย KBO".')
    ],
    on: Annotated[str, text_option("--on", help="Its (first) day.")],
    to: Annotated[str | None, text_option("--to", help="Its last day, when it lasted longer.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where it was held.")] = None,
    groups: GroupsOpt = None,
    agencies: AgenciesOpt = None,
    people: PeopleOpt = None,
    minutes: MinutesOpt = None,
    minutes_file: MinutesFileOpt = None,
    by: RecordedByOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a meeting of the network: when, where, who attended, the minutes.

    Example: kbo meeting add "ประชุมเชิงปฏิบัติการ KBO" --on 20/07/69 --to 21/07/69 --place "ศาลากลาง" --agency พช.
    """
    from kbo_cli.domain.meetings import MEETING_COLUMNS, Attendees, add_attendance, add_meeting, meeting_rows
    from kbo_cli.render.streams import message
    from kbo_cli.storage.models import id_of

    with open_session(ctx, write=True) as s:
        meeting = add_meeting(
            session=s, title=title, on=on, to=to, place=place, minutes=_minutes(minutes, minutes_file), author=by
        )
        add_attendance(session=s, meeting=meeting, who=Attendees(groups or [], agencies or [], people or []))
        rows = meeting_rows(session=s, ids=[id_of(meeting)])
    message(_("Recorded meeting #{id}", id=rows[0].id))
    show(ctx, Listing(rows, MEETING_COLUMNS), fmt)


@app.command("list")
def list_(ctx: typer.Context, fmt: FormatOption = Format.table, wide: WideOption = False) -> None:
    """List the meetings, oldest first, with what came out of each.

    Example: kbo meeting list
    """
    from kbo_cli.domain.meetings import MEETING_COLUMNS, meeting_rows

    with open_session(ctx, write=False) as s:
        rows = meeting_rows(session=s)
    show(ctx, Listing(rows, MEETING_COLUMNS, title=_("Meetings"), empty=_("No meetings recorded yet.")), fmt, wide)


@app.command("show")
def show_(ctx: typer.Context, meeting: MeetingArg, fmt: FormatOption = Format.table, wide: WideOption = False) -> None:
    """Show a meeting: when and where, who attended, the minutes, and the findings, plan actions, visits and
    picks recorded at it.

    Example: kbo meeting show 1
    """
    from kbo_cli.domain.followup import action_rows, finding_rows, visit_rows
    from kbo_cli.domain.meetings import get_meeting, view

    with open_session(ctx, write=False) as s:
        data = view(s, get_meeting(s, meeting))
        findings = [r for r in finding_rows(session=s) if r.id in set(data.finding_ids)]
        actions = action_rows(session=s, ids=data.action_ids)
        visits = visit_rows(session=s, ids=data.visit_ids)
    _render(ctx, data, {"findings": findings, "plans": actions, "visits": visits}, fmt, wide)


def _render(ctx: typer.Context, data: Any, outcomes: dict[str, list[Any]], fmt: Format, wide: bool) -> None:
    from kbo_cli.domain.followup import ACTION_COLUMNS, FINDING_COLUMNS, VISIT_COLUMNS
    from kbo_cli.domain.meetings import ATTENDANCE_COLUMNS, MEETING_COLUMNS
    from kbo_cli.render.output import emit_object, key_values
    from kbo_cli.render.values import human

    m = data.meeting
    if fmt is Format.json:
        emit_object(
            {
                **m._asdict(),
                "minutes": data.minutes,
                "attendance": [a._asdict() for a in data.attendance],
                **{k: [r._asdict() for r in v] for k, v in outcomes.items()},
                "picks": [{"year": y, "scope": sc, "product_code": p} for y, sc, p in data.picks],
            }
        )
        return
    if fmt is not Format.table:
        show(ctx, Listing([m], MEETING_COLUMNS, title=m.title), fmt, wide)
        return
    pairs = [(_(c.header), human(c, c.get(m))) for c in MEETING_COLUMNS if c.table and c.key not in ("id",)]
    key_values([p for p in pairs if p[1]], title=f"#{m.id}  {m.title}")
    if data.attendance:
        show(ctx, Listing(data.attendance, ATTENDANCE_COLUMNS, title=_("Attendance")), fmt, wide)
    if data.minutes:
        key_values([(_("Minutes"), data.minutes)])
    for key, columns, title in (
        ("findings", FINDING_COLUMNS, _("Strengths and weaknesses")),
        ("plans", ACTION_COLUMNS, _("Development plan")),
        ("visits", VISIT_COLUMNS, _("Field visits")),
    ):
        if outcomes[key]:
            show(ctx, Listing(outcomes[key], columns, title=title), fmt, wide)
    if data.picks:
        from kbo_cli.domain.selection import scope_name

        key_values(
            [(_("Round {year}", year=y), f"{code} ({scope_name(sc)})") for y, sc, code in data.picks], title=_("Picks")
        )


@app.command("edit")
def edit(
    ctx: typer.Context,
    meeting: MeetingArg,
    title: Annotated[str | None, text_option("--title", help="New title.")] = None,
    on: Annotated[str | None, text_option("--on", help="New first day.")] = None,
    to: Annotated[str | None, text_option("--to", help="New last day.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="New place (empty: none).")] = None,
    minutes: MinutesOpt = None,
    minutes_file: MinutesFileOpt = None,
    groups: GroupsOpt = None,
    agencies: AgenciesOpt = None,
    people: PeopleOpt = None,
    absent_groups: Annotated[
        list[str] | None, text_option("--remove-group", help="A group recorded by mistake (repeat).")
    ] = None,
    absent_agencies: Annotated[
        list[str] | None, text_option("--remove-agency", help="An agency recorded by mistake (repeat).")
    ] = None,
    absent_people: Annotated[
        list[str] | None, text_option("--remove-person", help="A person recorded by mistake (repeat).")
    ] = None,
) -> None:
    """Change a meeting: its details, who attended, its minutes. Only what is given changes.

    Example: kbo meeting edit 1 --agency พณ. --minutes-file บันทึกการประชุม.txt
    """
    from kbo_cli.domain.meetings import Attendees, add_attendance, edit_meeting, get_meeting, remove_attendance
    from kbo_cli.errors import InvalidValue
    from kbo_cli.render.streams import message

    for adding, removing in ((groups, absent_groups), (agencies, absent_agencies), (people, absent_people)):
        both = set(adding or []) & set(removing or [])
        if both:  # which is meant?
            raise InvalidValue(
                _("{who} is both added and removed", who=", ".join(sorted(both))),
                _("give each one once: as attending, or with --remove-…"),
            )
    with open_session(ctx, write=True) as s:
        found = get_meeting(s, meeting)
        changed = edit_meeting(
            session=s, meeting=found, title=title, on=on, to=to, place=place, minutes=_minutes(minutes, minutes_file)
        )
        added = add_attendance(session=s, meeting=found, who=Attendees(groups or [], agencies or [], people or []))
        absent = Attendees(absent_groups or [], absent_agencies or [], absent_people or [])
        removed = remove_attendance(session=s, meeting=found, who=absent)
        if not (changed or added or removed):
            raise InvalidValue(_("nothing to change"), _("give at least one option, e.g. --place or --agency"))
    message(_("Changed meeting #{id}", id=meeting))
