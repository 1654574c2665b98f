"""kbo report: gaps and progress per producer group."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kbo_cli.cli._common import CategoryOption, DistrictOption, FormatOption, GroupOption, open_session
from kbo_cli.render.cells import (
    PERCENT_WIDTH,
    category_text,
    code_and_name,
    date_text,
    percent_bar,
    required_text,
    standard_mark,
    status_text,
)
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit
from kbo_cli.vocab import DEFINITIONS


app = typer.Typer(rich_markup_mode=None, help=f"Reports on the checklist. {DEFINITIONS}", no_args_is_help=True)

GAP_COLUMNS = [
    Column("group_code", N_("Group code")),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("category", N_("Category"), show=category_text),
    Column("standard", N_("Code")),
    Column("standard_name", N_("Standard"), wrap=True),
    Column("required", N_("Level"), show=required_text),
    Column("status", N_("Status"), show=status_text),
]
PROGRESS_COLUMNS = [
    Column("group_code", N_("Group code")),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("products", N_("Products"), justify="right"),
    Column("applicable", N_("Applicable"), justify="right"),
    Column("certified", N_("Certified"), justify="right"),
    Column("in_progress", N_("In progress"), justify="right"),
    Column("gaps", N_("Gaps"), justify="right"),
    Column("percent", N_("Progress"), show=percent_bar, min_width=PERCENT_WIDTH),
]
class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option("--format", "-f", help="table (for people), json, csv, or html (a printable A4 page on stdout)."),
]


def _html(ctx: typer.Context, s: Any, *, progress: list[dict[str, Any]] | None, gaps: Iterable[dict[str, Any]] | None,
          title: str) -> str:
    from kbo_cli.render import html as htmlreport
    from kbo_cli.domain import network
    from kbo_cli.config import current_user

    code = network.province_code(s)
    province = None
    if code:
        from kbo_cli.thai import places

        province = places.province(code).name
    return htmlreport.render(progress=progress, gaps=gaps, network=network.get(s, network.NETWORK_NAME),
                             province=province, user=current_user(), title=title)


_TABLE_GAP_COLUMNS = [
    Column("group_name", N_("Group"), show=code_and_name("group_code", "group_name")),
    Column("product_name", N_("Product"), show=code_and_name("product_code", "product_name")),
    Column("standard", N_("Standard"), show=standard_mark),
    Column("required", N_("Level"), show=required_text),
    Column("status", N_("Status"), show=status_text),
]
_TABLE_PROGRESS_COLUMNS = [
    Column("group_name", N_("Group"), show=code_and_name("group_code", "group_name")),
    *[c for c in PROGRESS_COLUMNS if c.key not in ("group_code", "group_name")],
]


def _blank_repeats(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """For the table: show a group's and a product's name only on their first row."""
    last_group = last_product = None
    for row in rows:
        shown = dict(row)
        if row["group_code"] == last_group:
            shown.update(group_code="", group_name="", district="")
        if row["product_code"] == last_product and row["group_code"] == last_group:
            shown.update(product_code="", product_name="")
        last_group, last_product = row["group_code"], row["product_code"]
        yield shown


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    group: GroupOption = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    standard: Annotated[str | None, typer.Option("--standard", "-s", help="Only this standard (code or mark).")] = None,
    required_only: Annotated[bool, typer.Option("--required-only", help="Only required standards.")] = False,
    fmt: ReportFormatOption = ReportFormat.table,
) -> None:
    """List the gaps: applicable checklist entries that are not certified, per producer group and product.

    Required gaps are highlighted. Example: kbo report gaps --district เรณูนคร --required-only
    """
    from kbo_cli.domain.reports import gaps as gap_rows

    with open_session(ctx, write=False) as s:
        rows = gap_rows(session=s, group=group, district=district, category=category, standard=standard,
                        required_only=required_only)
        if fmt is ReportFormat.html:
            typer.echo(_html(ctx, s, progress=None, gaps=rows, title=_("Gaps per producer group")), nl=False)
        elif fmt is ReportFormat.table:
            count = emit(
                _blank_repeats(rows), _TABLE_GAP_COLUMNS, fmt, title=_("Gaps per producer group"),
                row_style=lambda r: "red" if r["required"] else None, empty=_("No gaps: everything that applies is certified."),
            )
            if count:
                from kbo_cli.render.output import message

                message(_("{count} gaps. {definitions}", count=count, definitions=_(DEFINITIONS)))
        else:
            emit(rows, GAP_COLUMNS, Format(fmt.value))


@app.command("progress")
def progress(
    ctx: typer.Context,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: ReportFormatOption = ReportFormat.table,
) -> None:
    """Show each producer group's progress: certified / applicable standards over its products.

    Example: kbo report progress --category food -f csv
    """
    from kbo_cli.domain.reports import progress as progress_rows, totals

    with open_session(ctx, write=False) as s:
        rows = progress_rows(session=s, district=district, category=category)
        if fmt is ReportFormat.html:
            typer.echo(_html(ctx, s, progress=rows, gaps=None, title=_("Progress per producer group")), nl=False)
            return
    if fmt is ReportFormat.table:
        def footer(shown: list[dict[str, Any]]) -> dict[str, Any]:
            return {"group_code": _("Total"), **totals(shown)}

        emit(rows, _TABLE_PROGRESS_COLUMNS, fmt, title=_("Progress per producer group"), footer=footer,
             empty=_("No products yet."))
        from kbo_cli.render.output import message

        message(_(DEFINITIONS))
    else:
        emit(rows, PROGRESS_COLUMNS, Format(fmt.value))


@app.command("summary")
def summary(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")],
    district: DistrictOption = None,
    category: CategoryOption = None,
) -> None:
    """Write the printable meeting summary: progress bars per group and the gap tables, on A4, in Thai.

    Example: kbo report summary --out สรุปการประชุม-KBO.html
    """
    from kbo_cli.domain.reports import gaps as gap_rows, progress as progress_rows

    if not out.parent.is_dir():
        from kbo_cli.errors import InvalidValue

        raise InvalidValue(_("the folder {folder} does not exist", folder=out.parent), _("create it first"))
    with open_session(ctx, write=False) as s:
        page = _html(ctx, s, progress=progress_rows(session=s, district=district, category=category),
                     gaps=gap_rows(session=s, district=district, category=category),
                     title=_("KBO network meeting summary"))
    out.write_text(page, encoding="utf-8")
    from kbo_cli.render.output import message

    message(_("Summary written: {path}", path=out))


CANDIDATE_COLUMNS = [
    Column("rank", N_("Rank"), justify="right"),
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("group_code", N_("Group code")),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("category", N_("Category"), show=category_text),
    Column("eligible", N_("Eligible")),
    Column("required_certified", N_("Required certified"), justify="right"),
    Column("required_applicable", N_("Required applicable"), justify="right"),
    Column("required_points", N_("Required pts"), justify="right"),
    Column("recommended_certified", N_("Recommended certified"), justify="right"),
    Column("recommended_applicable", N_("Recommended applicable"), justify="right"),
    Column("recommended_points", N_("Recommended pts"), justify="right"),
    Column("opc_year", N_("OPC round"), justify="right"),
    Column("opc_total", N_("OPC total"), justify="right"),
    Column("opc_points", N_("OPC pts"), justify="right"),
    Column("open_weaknesses", N_("Open weaknesses"), justify="right"),
    Column("weakness_points", N_("Weakness pts"), justify="right"),
    Column("plans_done", N_("Actions done"), justify="right"),
    Column("plans_open", N_("Actions open"), justify="right"),
    Column("plan_points", N_("Plan pts"), justify="right"),
    Column("visits", N_("Recent visits"), justify="right"),
    Column("visit_points", N_("Visit pts"), justify="right"),
    Column("score", N_("Score"), justify="right", style="bold"),
]


def _pair(done: str, total: str, points: str):  # type: ignore[no-untyped-def]
    def show(_value: Any, row: dict[str, Any]) -> Any:
        from rich.text import Text

        if row.get(total) in (None, 0) and done != "opc_total":
            return Text("–", style="dim")
        shown = f"{row[done]:g}" if done == "opc_total" and row[done] is not None else str(row.get(done) or "–")
        ratio = shown if done in ("opc_total", "open_weaknesses", "visits") else f"{row[done]}/{row[total]}"
        return Text(f"{ratio} {row[points]:+g}")

    return show


_CANDIDATE_TABLE = [
    Column("rank", N_("Rank"), justify="right"),
    Column("product_code", N_("Code")),
    Column("product_name", N_("Product")),
    Column("eligible", N_("Eligible")),
    Column("required_points", N_("Required"),
           show=_pair("required_certified", "required_applicable", "required_points")),
    Column("recommended_points", N_("Recommended"),
           show=_pair("recommended_certified", "recommended_applicable", "recommended_points")),
    Column("opc_points", N_("OPC"), show=_pair("opc_total", "opc_total", "opc_points")),
    Column("weakness_points", N_("Weaknesses"), show=_pair("open_weaknesses", "open_weaknesses", "weakness_points")),
    Column("plan_points", N_("Plans done"), show=_pair("plans_done", "plans_all", "plan_points")),
    Column("visit_points", N_("Visits"), show=_pair("visits", "visits", "visit_points")),
    Column("score", N_("Score"), justify="right", style="bold"),
]


@app.command("candidates")
def candidates(
    ctx: typer.Context,
    category: CategoryOption = None,
    district: DistrictOption = None,
    weights: Annotated[
        Path | None, typer.Option("--weights", help="A TOML file overriding some of data/candidate_weights.toml.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Show only the first N.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Rank products for the province's pick, each part of the score shown.

    Score = required standards certified + recommended standards certified + latest OPC score
    - open weaknesses + plan actions done vs open + recent field visits, weighted as in
    data/candidate_weights.toml. Products without a legal standard certificate (อย., มผช., มอก.) come last.
    Example: kbo report candidates --category textile
    """
    from itertools import islice

    from kbo_cli.domain.candidates import load_weights, rank

    w = load_weights(weights)
    with open_session(ctx, write=False) as s:
        rows = rank(session=s, category=category, district=district, weights=w)
    rows = list(islice(rows, limit)) if limit else rows
    if fmt is Format.table:
        for r in rows:
            r["plans_all"] = r["plans_done"] + r["plans_open"]
        emit(rows, _CANDIDATE_TABLE, fmt, title=_("Candidates for the provincial pick"), empty=_("No products yet."),
             row_style=lambda r: "dim" if not r["eligible"] else None)
    else:
        emit(rows, CANDIDATE_COLUMNS, fmt)


ROUND_COLUMNS = [
    Column("year", N_("Round"), justify="right"),
    Column("scope", N_("Scope"), show=lambda v, _r: _scope(v)),
    Column("role", N_("Role"), show=lambda v, _r: _role(v)),
    Column("rank", N_("Rank"), justify="right"),
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("group_code", N_("Group code")),
    Column("district", N_("District")),
    Column("category", N_("Category"), show=category_text),
    Column("score", N_("Score"), justify="right"),
    Column("reason", N_("Reason"), wrap=True),
    Column("decided_by", N_("Decided by")),
    Column("decided_on", N_("Decided on"), show=date_text),
]


def _scope(value: str) -> Any:
    from kbo_cli.domain.selection import scope_name

    return scope_name(value)


def _role(value: str) -> Any:
    from rich.text import Text

    return Text(_("selected"), style="bold green") if value == "selected" else Text(_("runner-up"))


@app.command("round")
def round_(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="The round's Buddhist-Era year, e.g. 2567.")],
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show a round's pick, with who decided and why, and the runners-up by current score.

    Example: kbo report round 2567
    """
    from kbo_cli.domain.selection import round_rows

    with open_session(ctx, write=False) as s:
        rows = round_rows(session=s, year=year, category=category)
    shown = ROUND_COLUMNS if fmt is not Format.table else [
        c for c in ROUND_COLUMNS if c.key not in ("year", "group_code", "category")]
    emit(rows, shown, fmt, title=_("Selection round {year}", year=rows[0]["year"]),
         row_style=lambda r: "bold" if r["role"] == "selected" else None)


UNVISITED_COLUMNS = [
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("category", N_("Category"), show=category_text),
    Column("group_code", N_("Group code")),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("last_visit", N_("Last visit"), show=date_text),
    Column("days_since", N_("Days since"), justify="right"),
]


@app.command("unvisited")
def unvisited(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", help="Not visited for this many days.")] = 90,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List products not visited (themselves or their whole group) for N days.

    Example: kbo report unvisited --days 180 --district นาแก
    """
    from kbo_cli.domain.followup import unvisited as rows_for

    with open_session(ctx, write=False) as s:
        rows = rows_for(session=s, days=days, district=district, category=category)
    emit(rows, UNVISITED_COLUMNS, fmt, title=_("Products not visited for {days} days", days=days),
         empty=_("Every product was visited in the last {days} days.", days=days))


EXPIRING_COLUMNS = [
    Column("group_code", N_("Group code")),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("standard", N_("Standard")),
    Column("standard_name", N_("Standard name"), wrap=True),
    Column("certificate_no", N_("Certificate no.")),
    Column("expires_on", N_("Expires"), show=date_text),
    Column("days_left", N_("Days left"), justify="right", show=lambda v, _r: _days_left(v)),
]


def _days_left(value: int) -> Any:
    from rich.text import Text

    if value < 0:
        return Text(f"{value} ({_('expired')})", style="bold magenta")
    return Text(str(value), style="red" if value <= 30 else "yellow")


@app.command("expiring")
def expiring(
    ctx: typer.Context,
    within: Annotated[int, typer.Option("--within", help="Days ahead to look.")] = 90,
    group: GroupOption = None,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List certificates that have expired or expire soon, soonest first, with the days left.

    Example: kbo report expiring --within 60 --district เรณูนคร
    """
    from kbo_cli.domain.reports import expiring as expiring_rows

    with open_session(ctx, write=False) as s:
        rows = expiring_rows(session=s, within=within, group=group, district=district, category=category)
    table_columns = [c for c in EXPIRING_COLUMNS if c.key not in ("group_code", "district", "standard_name")]
    emit(rows, EXPIRING_COLUMNS if fmt is not Format.table else table_columns,
         fmt, title=_("Certificates expiring within {days} days", days=within),
         empty=_("No certificate expires within {days} days.", days=within))
    if fmt is Format.table and rows:
        from kbo_cli.render.output import message

        message(_("Days left below zero: the certificate has expired and counts as a gap."))
