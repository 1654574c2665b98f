"""kbo finding: a product's strengths (ข้อดี/ข้อเด่น) and weaknesses (ข้อด้อย)."""

from __future__ import annotations

from typing import Annotated

import typer

from kbo_cli.cli._common import FormatOption, GroupOption, open_session
from kbo_cli.render.cells import date_text, label_text
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, message

app = typer.Typer(rich_markup_mode=None, help="Strengths and weaknesses the network named for each product.", no_args_is_help=True)

FINDING_COLUMNS = [
    Column("id", N_("No."), justify="right"),
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("kind", N_("Kind"), show=label_text("finding")),
    Column("text", N_("Finding"), wrap=True),
    Column("noted_on", N_("Date"), show=date_text),
    Column("author", N_("By")),
    Column("resolved_on", N_("Resolved"), show=date_text),
]
OnOption = Annotated[str | None, typer.Option("--on", help="The date (default: today).")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who wrote it (default: KBO_USER or your login).")]


@app.command("add")
def add(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="The product's code or exact name.")],
    text: Annotated[str, typer.Argument(help="What the network found.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="strength (ข้อดี) or weakness (ข้อด้อย).")],
    on: OnOption = None,
    by: ByOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a strength or a weakness of a product.

    Example: kbo finding add P00001 "สีย้อมครามสม่ำเสมอ ลวดลายเป็นเอกลักษณ์" --kind strength
    """
    from kbo_cli.domain.followup import add_finding, finding_rows
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        finding = add_finding(session=s, product=found, kind=kind, text=text, noted_on=on, author=by)
        rows = [r for r in finding_rows(session=s, product=found.code) if r["id"] == finding.id]
    message(_("Recorded finding #{id} for {code}", id=rows[0]["id"], code=rows[0]["product_code"]))
    emit(rows, FINDING_COLUMNS, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    product: Annotated[str | None, typer.Option("--product", "-p", help="Only this product.")] = None,
    group: GroupOption = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="strength or weakness.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only weaknesses not resolved yet.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """List strengths and weaknesses.

    Example: kbo finding list --group G0001 --open
    """
    from kbo_cli.domain.followup import finding_rows

    with open_session(ctx, write=False) as s:
        rows = finding_rows(session=s, product=product, group=group, kind=kind, open_only=open_only)
    emit(rows, FINDING_COLUMNS, fmt, title=_("Strengths and weaknesses"), empty=_("No findings match."))


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    finding_id: Annotated[int, typer.Argument(help="The weakness's number.")],
    on: OnOption = None,
) -> None:
    """Mark a weakness as resolved.

    Example: kbo finding resolve 12 --on 15/08/2567
    """
    from kbo_cli.domain.followup import get_finding, resolve_finding

    with open_session(ctx, write=True) as s:
        resolve_finding(session=s, finding=get_finding(s, finding_id), on=on)
    message(_("Weakness #{id} resolved", id=finding_id))
