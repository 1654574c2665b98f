"""kbo report: gaps, progress, expiring certificates, candidates, selection rounds, unvisited products."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kbo_cli.cli._common import (
    filled,
    CategoryOption,
    DistrictOption,
    ForceOption,
    FormatOption,
    GroupOption,
    LimitOption,
    OptionalYear,
    WideOption,
    open_session,
    show,
    whole,
    year,
)
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.output import Format
from kbo_cli.vocab import DEFINITIONS

app = typer.Typer(rich_markup_mode=None, help=f"Reports on the checklist. {DEFINITIONS}", no_args_is_help=True)


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    group: GroupOption = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    standard: Annotated[str | None, typer.Option("--standard", "-s", parser=filled, help="Only this standard (code or mark).")] = None,
    required_only: Annotated[bool, typer.Option("--required-only", help="Only required standards.")] = False,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List the gaps: applicable checklist entries that are not certified, by district, group and product.

    Example: kbo report gaps --district เรณูนคร --required-only
    """
    from kbo_cli.domain.reports import GAP_COLUMNS, gaps as gap_rows

    with open_session(ctx, write=False) as s:
        rows = gap_rows(session=s, group=group, district=district, category=category, standard=standard,
                        required_only=required_only)
        listing = Listing(rows, GAP_COLUMNS, title=_("Gaps per producer group"), group_by=("group", "district", "product", "category"),
                          empty=_("No gaps: everything that applies is certified."))
        if fmt is Format.table:
            listing.rows = list(rows)
            listing.notes = [_("{count} gaps. {definitions}", count=len(listing.rows), definitions=_(DEFINITIONS))]
        show(ctx, listing, fmt, wide)


@app.command("progress")
def progress(
    ctx: typer.Context,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Show each producer group's progress: certified / applicable standards over its products.

    Sorted by district, then group name (Thai dictionary order). Example: kbo report progress --category food -f csv
    """
    from kbo_cli.domain.reports import PROGRESS_COLUMNS, progress as progress_rows, progress_totals

    with open_session(ctx, write=False) as s:
        rows = progress_rows(session=s, district=district, category=category)
    show(ctx, Listing(rows, PROGRESS_COLUMNS, title=_("Progress per producer group"), totals=progress_totals,
                      empty=_("No products yet."), notes=[_(DEFINITIONS)]), fmt, wide)


@app.command("expiring")
def expiring(
    ctx: typer.Context,
    within: Annotated[int, typer.Option("--within", parser=whole(0, 36_500), metavar="DAYS",
                                        help="Days ahead to look (0 to 36500).")] = 90,
    group: GroupOption = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List certificates that have expired or expire soon, soonest first, with the days left.

    Example: kbo report expiring --within 60 --district เรณูนคร
    """
    from kbo_cli.domain.reports import EXPIRING_COLUMNS, expiring as expiring_rows

    with open_session(ctx, write=False) as s:
        rows = expiring_rows(session=s, within=within, group=group, district=district, category=category)
    notes = [_("Days left below zero: the certificate has expired and counts as a gap.")] if rows else []
    show(ctx, Listing(rows, EXPIRING_COLUMNS, title=_("Certificates expiring within {days} days", days=within),
                      empty=_("No certificate expires within {days} days.", days=within), notes=notes), fmt, wide)


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
    from kbo_cli.domain.opc import round_for, unconfirmed_note

    w = load_weights(weights)
    with open_session(ctx, write=False) as s:
        rows = rank(session=s, category=category, district=district, weights=w, year=round_year)
    rows = rows[:limit] if limit else rows
    notes = [n for n in (unconfirmed_note(round_for(round_year)),) if n]
    show(ctx, Listing(rows, CANDIDATE_COLUMNS, title=_("Candidates for the provincial pick"),
                      empty=_("No products yet."), notes=notes,
                      row_style=lambda r: "dim" if not r.eligible else None), fmt, wide)


@app.command("round")
def round_(
    ctx: typer.Context,
    round_year: Annotated[int, typer.Argument(parser=year, metavar="YEAR",
                                              help="The round's Buddhist-Era year, e.g. 2567.")],
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
    show(ctx, Listing(rows, ROUND_COLUMNS, title=_("Selection round {year}", year=rows[0].year),
                      row_style=lambda r: "bold" if r.role == "selected" else None), fmt, wide)


@app.command("unvisited")
def unvisited(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", parser=whole(1, 36_500), metavar="DAYS",
                                      help="Not visited for this many days (1 to 36500).")] = 90,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List products not visited (themselves or their whole group) for N days.

    Example: kbo report unvisited --days 180 --district นาแก
    """
    from kbo_cli.domain.followup import UNVISITED_COLUMNS, unvisited as rows_for

    with open_session(ctx, write=False) as s:
        rows = rows_for(session=s, days=days, district=district, category=category)
    show(ctx, Listing(rows, UNVISITED_COLUMNS, title=_("Products not visited for {days} days", days=days),
                      empty=_("Every product was visited in the last {days} days.", days=days)), fmt, wide)


@app.command("summary")
def summary(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")],
    district: DistrictOption = None,
    category: CategoryOption = None,
    force: ForceOption = False,
) -> None:
    """Write the printable meeting summary: progress bars per group and the gaps per product, on A4, in Thai.

    Example: kbo report summary --out สรุปการประชุม-KBO.html
    """
    from kbo_cli.domain import network
    from kbo_cli.domain.reports import gaps as gap_rows, progress as progress_rows
    from kbo_cli.render.html import summary_page
    from kbo_cli.render.output import message
    from kbo_cli.transfer.files import check_target, write_text_atomically

    check_target(out, force=force)
    with open_session(ctx, write=False) as s:
        page = summary_page(progress=progress_rows(session=s, district=district, category=category),
                            gaps=list(gap_rows(session=s, district=district, category=category)),
                            meta=network.page_meta(s))
    write_text_atomically(out, page, force=force)
    message(_("Summary written: {path}", path=out))
