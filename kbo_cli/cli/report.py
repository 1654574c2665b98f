"""kbo report: gaps, progress, expiring certificates, candidates, selection rounds, unvisited products."""

from pathlib import Path
from typing import Annotated, Any

import typer

from kbo_cli.cli._common import open_session, show, subcommands
from kbo_cli.cli.options import (
    CategoryOption,
    DistrictOption,
    ForceOption,
    FormatOption,
    GroupOption,
    LimitOption,
    OptionalYear,
    WideOption,
    record_option,
    text_option,
    whole,
    year,
)
from kbo_cli.i18n import N_, _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

#: what progress and gaps mean, in the group's help and under its reports
DEFINITIONS = N_(
    "Progress = certified / applicable, where not_applicable entries leave the denominator. "
    "Gaps = applicable entries that are not certified; a certificate past its expiry date is a gap "
    "(shown as expired)."
)

app = subcommands(f"Reports on the checklist. {DEFINITIONS}")


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    group: GroupOption = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    standard: Annotated[str | None, text_option("--standard", "-s", help="Only this standard (code or mark).")] = None,
    required_only: Annotated[bool, typer.Option("--required-only", help="Only required standards.")] = False,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List the gaps: applicable checklist entries that are not certified, by district, group and product.

    Example: kbo report gaps --district เรณูนคร --required-only
    """
    from kbo_cli.domain.reports import GAP_COLUMNS
    from kbo_cli.domain.reports import gaps as gap_rows

    with open_session(ctx, write=False) as s:
        rows = gap_rows(
            session=s, group=group, district=district, category=category, standard=standard, required_only=required_only
        )
        listing = Listing(
            rows,
            GAP_COLUMNS,
            # the count differs from report progress's when a filter leaves gaps out: the title says which
            title=_("Gaps per producer group (required standards only)")
            if required_only
            else _("Gaps per producer group"),
            group_by=("group", "district", "product", "category"),
            empty=_("No gaps: everything that applies is certified."),
            count_note=lambda count: _("{count} gaps. {definitions}", count=count, definitions=_(DEFINITIONS)),
        )
        show(ctx, listing, fmt, wide)


@app.command("progress")
def progress(
    ctx: typer.Context,
    district: DistrictOption = None,
    category: CategoryOption = None,
    as_of: Annotated[
        str | None, text_option("--as-of", metavar="DATE", help="Progress as it stood at the end of this day.")
    ] = None,
    since: Annotated[
        str | None, text_option("--since", metavar="DATE", help="Add what changed after this day.")
    ] = None,
    since_meeting: Annotated[
        int | None, record_option("--since-meeting", help="Add what changed after this meeting.")
    ] = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Show each producer group's progress: certified / applicable standards over its products.

    --as-of shows it as it stood on a day (from the recorded history); --since or --since-meeting adds
    what changed after: progress then and now, entries newly certified, gaps closed, new gaps (an expiry,
    a new product), plan actions done. Sorted by district, then group name (Thai dictionary order).
    Example: kbo report progress --since-meeting 1
    """
    from kbo_cli.domain.reports import PROGRESS_COLUMNS, progress_totals
    from kbo_cli.domain.reports import progress as progress_rows

    if as_of is not None and (since is not None or since_meeting is not None):
        from kbo_cli.errors import InvalidValue

        raise InvalidValue(_("--as-of and --since cannot be combined"), _("give one of them"))
    if since is not None and since_meeting is not None:
        from kbo_cli.errors import InvalidValue

        raise InvalidValue(_("--since and --since-meeting cannot be combined"), _("give one of them"))
    with open_session(ctx, write=False) as s:
        if since is not None or since_meeting is not None:
            _progress_since(ctx, s, since, since_meeting, district, category, fmt, wide)
            return
        if as_of is not None:
            from kbo_cli.domain.timeline import progress_as_of
            from kbo_cli.thai.dates import format_date, parse_date

            day = parse_date(as_of)
            rows = progress_as_of(session=s, day=day, district=district, category=category)
            title = _("Progress per producer group as it stood on {day}", day=format_date(day))
        else:
            rows = progress_rows(session=s, district=district, category=category)
            title = _("Progress per producer group")
    show(
        ctx,
        Listing(
            rows,
            PROGRESS_COLUMNS,
            title=title,
            totals=progress_totals,
            empty=_("No products yet."),
            notes=[_(DEFINITIONS)],
        ),
        fmt,
        wide,
    )


def _progress_since(
    ctx: typer.Context,
    s: Any,
    since: str | None,
    since_meeting: int | None,
    district: str | None,
    category: str | None,
    fmt: Format,
    wide: bool,
) -> None:
    from kbo_cli.domain.meetings import get_meeting, meeting_end
    from kbo_cli.domain.timeline import CHANGE_COLUMNS, change_totals, progress_since
    from kbo_cli.thai.dates import format_date, parse_date

    if since_meeting is not None:
        meeting = get_meeting(s, since_meeting)
        day = meeting_end(meeting)
        title = _(
            "Progress since meeting #{id} ({title}, {day})", id=meeting.id, title=meeting.title, day=format_date(day)
        )
    else:
        day = parse_date(since or "")
        title = _("Progress since {day}", day=format_date(day))
    rows = progress_since(session=s, day=day, district=district, category=category)
    show(
        ctx,
        Listing(
            rows,
            CHANGE_COLUMNS,
            title=title,
            totals=change_totals,
            empty=_("No products yet."),
            notes=[
                _(
                    "Then: as recorded by the end of {day}. Gaps closed: no longer a gap (certified, or "
                    "found not to apply). New gaps: a certificate expired, a new product or standard.",
                    day=format_date(day),
                )
            ],
        ),
        fmt,
        wide,
    )


@app.command("agencies")
def agencies(
    ctx: typer.Context,
    agency: Annotated[
        str | None, text_option("--agency", "-a", help="One agency's to-do list (สสจ., พช. ...).")
    ] = None,
    district: DistrictOption = None,
    all_actions: Annotated[bool, typer.Option("--all", help="With --agency: done and dropped actions too.")] = False,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Each agency's plan actions (open, overdue, done), or with --agency its to-do list by district and group.

    Example: kbo report agencies --agency สสจ. -f html > งานของ-สสจ.html
    """
    from kbo_cli.domain.overview import AGENCY_COLUMNS, agency_rows, agency_todo

    with open_session(ctx, write=False) as s:
        if agency is None:
            rows: list[Any] = agency_rows(session=s, district=district)
            listing = Listing(rows, AGENCY_COLUMNS, title=_("Plan actions per agency"))
        else:
            from kbo_cli.domain.followup import ACTION_COLUMNS
            from kbo_cli.reference.agencies import parse_agency
            from kbo_cli.render.columns import EXTRA, Col, Kind

            found = parse_agency(agency)
            rows = agency_todo(session=s, agency=agency, district=district, include_closed=all_actions)
            columns = [
                Col("district", N_("District"), wrap=True, machine=False),  # the machine formats keep plan list's
                Col("group", N_("Group"), Kind.CODE, value=lambda r: r.group_code, machine=False),
                Col(
                    "group_name_shown",
                    N_("Group name"),
                    value=lambda r: r.group_name,
                    machine=False,
                    wrap=True,
                    priority=EXTRA,
                ),
                *(c.replace(table=False) if c.key == "agency" else c for c in ACTION_COLUMNS),
            ]
            listing = Listing(
                rows,
                columns,
                title=_("To-do list of {agency}", agency=found.name),
                group_by=("district", "group"),
                empty=_("{agency} has no open plan action.", agency=found.name),
            )
    show(ctx, listing, fmt, wide)


@app.command("districts")
def districts(
    ctx: typer.Context,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Each district at a glance: groups, products, progress, gaps, open and overdue actions, OPC stars.

    Example: kbo report districts
    """
    from kbo_cli.domain.overview import DISTRICT_COLUMNS, district_rows, district_totals

    with open_session(ctx, write=False) as s:
        rows = district_rows(session=s, category=category)
    show(
        ctx,
        Listing(rows, DISTRICT_COLUMNS, title=_("Districts"), totals=district_totals, empty=_("No products yet.")),
        fmt,
        wide,
    )


@app.command("expiring")
def expiring(
    ctx: typer.Context,
    within: Annotated[
        int, typer.Option("--within", parser=whole(0, 36_500), metavar="DAYS", help="Days ahead to look (0 to 36500).")
    ] = 90,
    group: GroupOption = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List certificates that have expired or expire soon, soonest first, with the days left.

    Example: kbo report expiring --within 60 --district เรณูนคร
    """
    from kbo_cli.domain.reports import EXPIRING_COLUMNS
    from kbo_cli.domain.reports import expiring as expiring_rows

    with open_session(ctx, write=False) as s:
        rows = expiring_rows(session=s, within=within, group=group, district=district, category=category)
    notes = [_("Days left below zero: the certificate has expired and counts as a gap.")] if rows else []
    show(
        ctx,
        Listing(
            rows,
            EXPIRING_COLUMNS,
            title=_("Certificates expired or expiring within {days} days", days=within),
            empty=_("No certificate expires within {days} days.", days=within),
            notes=notes,
        ),
        fmt,
        wide,
    )


@app.command("candidates")
def candidates(
    ctx: typer.Context,
    category: CategoryOption = None,
    district: DistrictOption = None,
    round_year: OptionalYear = None,
    weights: Annotated[
        Path | None, typer.Option("--weights", help="A TOML file overriding some of data/candidate_weights.toml.")
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Rank products for the province's pick, each part of the score shown.

    Score = required standards certified + recommended standards certified + latest OPC score
    - open weaknesses + plan actions done vs open + recent field visits, weighted as in
    data/candidate_weights.toml. Products without a certificate of the round's legal standards (อย., มผช.,
    มอก.) come last. Example: kbo report candidates --category textile
    """
    from kbo_cli.domain.candidates import CANDIDATE_COLUMNS, load_weights, rank
    from kbo_cli.domain.opc import current_year, round_for, unconfirmed_note

    w = load_weights(weights)
    year = round_year or current_year()
    with open_session(ctx, write=False) as s:
        rows = rank(session=s, category=category, district=district, weights=w, year=year)
    rows = rows[:limit] if limit else rows
    notes = [n for n in (unconfirmed_note(round_for(year), year),) if n]
    show(
        ctx,
        Listing(
            rows,
            CANDIDATE_COLUMNS,
            title=_("Candidates for the provincial pick"),
            empty=_("No products yet."),
            notes=notes,
            row_style=lambda r: "dim" if not r.eligible else None,
        ),
        fmt,
        wide,
    )


@app.command("scores")
def scores(
    ctx: typer.Context,
    round_year: Annotated[
        int, typer.Option("--year", "-y", parser=year, metavar="YEAR", help="The round's Buddhist-Era year, e.g. 2569.")
    ],
    category: CategoryOption = None,
    judge: Annotated[
        str | None,
        text_option(
            "--judge",
            "-j",
            help="One judge's view: while the round is open, only their own scores and how many others have scored.",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Show a committee round: per product each judge's parts and total, the mean, the spread, the judges who
    scored, and the flags (quorum not reached; spread over the limit: discuss and re-score).

    A product's result is the judges' mean once the quorum is reached and the spread is within the limit.
    Example: kbo report scores --year 2569 --judge "กัลยา"
    """
    from kbo_cli.domain import committee as cm

    with open_session(ctx, write=False) as s:
        rules = cm.rules(session=s, year=round_year)
        if not rules.members:
            from kbo_cli.errors import NotFound

            raise NotFound(
                _("round {year} has no committee", year=rules.year),
                _("add its members with 'kbo committee add {year} NAME --agency AGENCY'", year=rules.year),
            )
        notes = [cm.rules_note(rules)]
        if judge is not None and not rules.closed:
            rows: list[Any] = cm.judge_view(session=s, year=round_year, judge=judge, category=category)
            who = rows[0].judge if rows else cm.find_member(s, round_year, judge).name
            listing = Listing(
                rows,
                cm.JUDGE_COLUMNS,
                title=_("Scores of {judge}, round {year}", judge=who, year=rules.year),
                empty=_("No product scored in round {year} yet.", year=rules.year),
                notes=[
                    *notes,
                    _(
                        "The round is open: you see only your own scores. The full table "
                        "opens when the round is closed."
                    ),
                ],
            )
        else:
            if judge is not None:
                cm.find_member(s, round_year, judge)
            rows = cm.round_table(session=s, year=round_year, category=category)
            listing = Listing(
                rows,
                cm.SCORE_COLUMNS,
                title=_("Committee scores, round {year}", year=rules.year),
                group_by=cm.SCORE_GROUP,
                empty=_("No product scored in round {year} yet.", year=rules.year),
                notes=[
                    *notes,
                    _(
                        "Mean: of the judges' totals. Spread: highest total - lowest total. "
                        "A product's result is its mean once the quorum is reached and the "
                        "spread is within the limit."
                    ),
                ],
            )
    show(ctx, listing, fmt, wide)


@app.command("round")
def round_(
    ctx: typer.Context,
    round_year: Annotated[
        int, typer.Argument(parser=year, metavar="YEAR", help="The round's Buddhist-Era year, e.g. 2567.")
    ],
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Show a round's pick, with who decided and why, and the runners-up by current score.

    Example: kbo report round 2567
    """
    from kbo_cli.domain.selection import ROUND_COLUMNS, round_rows

    with open_session(ctx, write=False) as s:
        rows = round_rows(session=s, year=round_year, category=category)
    show(
        ctx,
        Listing(
            rows,
            ROUND_COLUMNS,
            title=_("Selection round {year}", year=rows[0].year),
            row_style=lambda r: "bold" if r.role == "selected" else None,
        ),
        fmt,
        wide,
    )


@app.command("unvisited")
def unvisited(
    ctx: typer.Context,
    days: Annotated[
        int,
        typer.Option(
            "--days", parser=whole(1, 36_500), metavar="DAYS", help="Not visited for this many days (1 to 36500)."
        ),
    ] = 90,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List products not visited (themselves or their whole group) for N days.

    Example: kbo report unvisited --days 180 --district นาแก
    """
    from kbo_cli.domain.followup import UNVISITED_COLUMNS
    from kbo_cli.domain.followup import unvisited as rows_for

    with open_session(ctx, write=False) as s:
        rows = rows_for(session=s, days=days, district=district, category=category)
    show(
        ctx,
        Listing(
            rows,
            UNVISITED_COLUMNS,
            title=_("Products not visited for {days} days", days=days),
            empty=_("Every product was visited in the last {days} days.", days=days),
        ),
        fmt,
        wide,
    )


@app.command("summary")
def summary(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write: .html (needs nothing) or .pdf.")],
    meeting: Annotated[
        int | None, record_option("--meeting", "-m", help="The meeting the brief is for (default: the latest).")
    ] = None,
    round_year: OptionalYear = None,
    leave_out: Annotated[
        list[str] | None,
        text_option(
            "--leave-out",
            help="A section to leave out (repeat): attendance, districts, progress, "
            "candidates, pick, agencies, products.",
        ),
    ] = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    force: ForceOption = False,
) -> None:
    """Write the meeting's brief, A4, in Thai: cover, attendance, districts, progress with the change since the
    previous meeting, the candidates, the pick, each agency's actions, one page per product.

    Example: kbo report summary --meeting 2 --out สรุปการประชุม-KBO.pdf
    """
    from kbo_cli.domain.brief import SECTIONS, gather
    from kbo_cli.errors import InvalidValue
    from kbo_cli.render.brief import brief_page
    from kbo_cli.render.streams import message
    from kbo_cli.transfer.files import atomic_path, check_target

    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InvalidValue(
            _("kbo writes the brief as .html or .pdf, not {suffix}", suffix=suffix or out.name),
            _("give a file ending in .html or .pdf"),
        )
    unknown = [name for name in leave_out or [] if name.strip().lower() not in SECTIONS]
    if unknown:
        raise InvalidValue(
            _("unknown section '{name}'", name=unknown[0]), _("use one of: {choices}", choices=", ".join(SECTIONS))
        )
    target = check_target(out, force=force)
    with open_session(ctx, write=False) as s:
        brief = gather(
            session=s,
            meeting=meeting,
            round_year=round_year,
            district=district,
            category=category,
            leave_out={name.strip().lower() for name in leave_out or []},
        )
    page = brief_page(brief)
    with atomic_path(target) as tmp:
        if suffix == ".pdf":
            from kbo_cli.render.pdf import write_pdf

            write_pdf(page, tmp, shown=target)
        else:
            tmp.write_text(page, encoding="utf-8")
    message(_("Brief written: {path}", path=out))
