"""kbo committee: a round's scoring committee (its judges), its rules, and closing the round."""

from typing import Annotated

import typer

from kbo_cli.cli._common import confirm, open_session, show, subcommands
from kbo_cli.cli.options import FormatOption, RecordedByOption, WideOption, YesOption, decimal, text_option, year
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("A round's scoring committee: its judges, its quorum and spread limit, closing the round.")

YearArg = Annotated[int, typer.Argument(parser=year, metavar="YEAR", help="The round's Buddhist-Era year, e.g. 2569.")]
NameArg = Annotated[str, typer.Argument(metavar="NAME", help='The member\'s name, e.g. "นางสาวกัลยา ศรีวงศ์".')]


def _quorum(text: str) -> float:
    from kbo_cli.domain.committee import parse_quorum
    from kbo_cli.errors import KboError

    try:
        return parse_quorum(text)
    except KboError as exc:
        raise typer.BadParameter(exc.message) from None


@app.command("add")
def add(
    ctx: typer.Context,
    round_year: YearArg,
    name: NameArg,
    agency: Annotated[str, text_option("--agency", "-a", help="The member's agency: พช., ม., สสจ., สอจ. ...")],
    title: Annotated[str | None, text_option("--title", help='The member\'s position, e.g. "ผู้อำนวยการ".')] = None,
    by: RecordedByOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Add a member (a judge) to a round's scoring committee.

    Example: kbo committee add 2569 "นางสาวกัลยา ศรีวงศ์" --agency พช. --title "ประธานคณะทำงาน"
    """
    from kbo_cli.domain.committee import MEMBER_COLUMNS, add_member, member_rows, rules, rules_note
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        member = add_member(session=s, year=round_year, name=name, agency=agency, title=title, author=by)
        rows = [r for r in member_rows(session=s, year=member.year) if r.name == member.name]
        note = rules_note(rules(session=s, year=member.year))
    message(_("Added {name} to the committee of round {year}", name=rows[0].name, year=rows[0].year))
    message(note)
    show(ctx, Listing(rows, MEMBER_COLUMNS), fmt)


@app.command("list")
def list_(ctx: typer.Context, round_year: YearArg, fmt: FormatOption = Format.table, wide: WideOption = False) -> None:
    """List a round's committee members, with how many products each has scored, and the round's rules.

    Example: kbo committee list 2569
    """
    from kbo_cli.domain.committee import MEMBER_COLUMNS, member_rows, rules, rules_note

    with open_session(ctx, write=False) as s:
        rows = member_rows(session=s, year=round_year)
        note = rules_note(rules(session=s, year=round_year))
    show(
        ctx,
        Listing(
            rows,
            MEMBER_COLUMNS,
            title=_("Committee of round {year}", year=round_year),
            empty=_("Round {year} has no committee yet.", year=round_year),
            notes=[note],
        ),
        fmt,
        wide,
    )


@app.command("remove")
def remove(ctx: typer.Context, round_year: YearArg, name: NameArg, yes: YesOption = False) -> None:
    """Remove a member added by mistake, with their scores (the history keeps them).

    Example: kbo committee remove 2569 "นายสมชาย ใจดี"
    """
    from kbo_cli.domain.committee import find_member, remove_member
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        member = find_member(s, round_year, name)
        confirm(
            _("Remove {name} and their scores from the committee of round {year}?", name=member.name, year=round_year),
            yes,
        )
        removed, scores = remove_member(session=s, year=round_year, judge=member.name)
        who = removed.name
    message(
        _(
            "Removed {name} from the committee of round {year} ({count} scores removed)",
            name=who,
            year=round_year,
            count=scores,
        )
    )


@app.command("rules")
def rules_(
    ctx: typer.Context,
    round_year: YearArg,
    quorum: Annotated[
        float | None,
        typer.Option(
            "--quorum",
            parser=_quorum,
            metavar="SHARE",
            help="The share of members who must score a product: 3/4, 0.75 or 75%.",
        ),
    ] = None,
    spread: Annotated[
        float | None,
        typer.Option(
            "--spread",
            parser=decimal(0, 100),
            metavar="POINTS",
            help="The largest difference between two judges' totals before a product is discussed and re-scored.",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show a round's committee rules, or override its quorum and spread limit (defaults: data/opc_rounds.toml).

    Example: kbo committee rules 2569 --quorum 3/4 --spread 10
    """
    from kbo_cli.domain.committee import RULES_COLUMNS, rules, rules_note, set_rules
    from kbo_cli.render.streams import message

    with open_session(ctx, write=quorum is not None or spread is not None) as s:
        if quorum is None and spread is None:
            current = rules(session=s, year=round_year)
        else:
            current = set_rules(session=s, year=round_year, quorum=quorum, spread=spread)
    if fmt is Format.table:  # for people: one sentence
        message(rules_note(current))
    else:
        show(ctx, Listing([current], RULES_COLUMNS), fmt)


@app.command("close")
def close(ctx: typer.Context, round_year: YearArg, by: RecordedByOption = None) -> None:
    """Close a round: its scores are frozen and every judge sees the full table.

    Example: kbo committee close 2569
    """
    from kbo_cli.domain.committee import close_round, results, rules_note, summary
    from kbo_cli.render.streams import message, warn
    from kbo_cli.vocab import CommitteeStatus

    with open_session(ctx, write=True) as s:
        closed = close_round(session=s, year=round_year, by=by)
        counts = summary(results(session=s, year=round_year))
    message(
        _(
            "Closed round {year}: {agreed} products agreed, {pending} pending, {flagged} flagged",
            year=closed.year,
            agreed=counts[CommitteeStatus.AGREED],
            pending=counts[CommitteeStatus.PENDING],
            flagged=counts[CommitteeStatus.FLAGGED],
        )
    )
    message(rules_note(closed))
    if counts[CommitteeStatus.PENDING] or counts[CommitteeStatus.FLAGGED]:
        warn(_("products pending or flagged keep no result for round {year} and cannot be picked", year=closed.year))
    message(_("The full table: kbo report scores --year {year}", year=closed.year))
