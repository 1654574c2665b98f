"""kbo report: gaps and progress per producer group."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import typer

from kbo_cli.cli._common import CategoryOption, DistrictOption, FormatOption, GroupOption, open_session
from kbo_cli.cli._views import category_text, percent_bar, required_text, status_text
from kbo_cli.i18n import N_, _
from kbo_cli.output import Column, Format, emit

DEFINITIONS = N_(
    "Progress = certified / applicable, where not_applicable entries leave the denominator. "
    "Gaps = applicable entries that are not certified; a certificate past its expiry date is a gap "
    "(shown as expired)."
)

app = typer.Typer(help=f"Reports on the checklist. {DEFINITIONS}", no_args_is_help=True)

GAP_COLUMNS = [
    Column("group_code", N_("Group code"), no_wrap=True),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("product_code", N_("Product code"), no_wrap=True),
    Column("product_name", N_("Product")),
    Column("category", N_("Category"), show=category_text),
    Column("standard", N_("Code"), no_wrap=True),
    Column("standard_name", N_("Standard")),
    Column("required", N_("Level"), show=required_text),
    Column("status", N_("Status"), show=status_text),
]
PROGRESS_COLUMNS = [
    Column("group_code", N_("Group code"), no_wrap=True),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("products", N_("Products"), justify="right"),
    Column("applicable", N_("Applicable"), justify="right"),
    Column("certified", N_("Certified"), justify="right"),
    Column("in_progress", N_("In progress"), justify="right"),
    Column("gaps", N_("Gaps"), justify="right"),
    Column("percent", N_("Progress"), show=percent_bar, no_wrap=True),
]
_TABLE_GAP_COLUMNS = [c for c in GAP_COLUMNS if c.key not in ("standard_name",)]


def _blank_repeats(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """For the table: show a group's and a product's name only on their first row."""
    last_group = last_product = None
    for row in rows:
        shown = dict(row)
        if row["group_code"] == last_group:
            shown.update(group_code="", group_name="", district="")
        if row["product_code"] == last_product:
            shown.update(product_code="", product_name="", category="")
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
    fmt: FormatOption = Format.table,
) -> None:
    """List the gaps: applicable checklist entries that are not certified, per producer group and product.

    Required gaps are highlighted. Example: kbo report gaps --district เรณูนคร --required-only
    """
    from kbo_cli.reports import gaps as gap_rows

    with open_session(ctx, write=False) as s:
        rows = gap_rows(session=s, group=group, district=district, category=category, standard=standard,
                        required_only=required_only)
        if fmt is Format.table:
            from kbo_cli.cli._views import standard_mark

            columns = [*_TABLE_GAP_COLUMNS]
            columns[6] = Column("standard", N_("Standard"), show=standard_mark, no_wrap=True)
            count = emit(
                _blank_repeats(rows), columns, fmt, title=_("Gaps per producer group"),
                row_style=lambda r: "red" if r["required"] else None, empty=_("No gaps: everything that applies is certified."),
            )
            if count:
                from kbo_cli.output import message

                message(_("{count} gaps. {definitions}", count=count, definitions=_(DEFINITIONS)))
        else:
            emit(rows, GAP_COLUMNS, fmt)


@app.command("progress")
def progress(
    ctx: typer.Context,
    district: DistrictOption = None,
    category: CategoryOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show each producer group's progress: certified / applicable standards over its products.

    Example: kbo report progress --category food -f csv
    """
    from kbo_cli.reports import progress as progress_rows, totals

    with open_session(ctx, write=False) as s:
        rows = progress_rows(session=s, district=district, category=category)
    if fmt is Format.table:
        def footer(shown: list[dict[str, Any]]) -> dict[str, Any]:
            return {"group_name": _("Total"), **totals(shown)}

        emit(rows, PROGRESS_COLUMNS, fmt, title=_("Progress per producer group"), footer=footer,
             empty=_("No products yet."))
        from kbo_cli.output import message

        message(_(DEFINITIONS))
    else:
        emit(rows, PROGRESS_COLUMNS, fmt)
