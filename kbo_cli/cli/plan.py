"""kbo plan: development plan actions, with the agency that helps."""

from __future__ import annotations

from typing import Annotated

import typer

from kbo_cli.cli._common import DistrictOption, FormatOption, GroupOption, open_session
from kbo_cli.render.cells import agency_text, date_text, label_text
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, message

app = typer.Typer(rich_markup_mode=None, help="Development plans: what to do, which agency helps, by when.", no_args_is_help=True)

ACTION_COLUMNS = [
    Column("id", N_("No."), justify="right"),
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("group_code", N_("Group code")),
    Column("action", N_("Action"), wrap=True),
    Column("agency", N_("Agency"), show=agency_text, wrap=True),
    Column("due_on", N_("Due"), show=date_text),
    Column("standard", N_("Standard")),
    Column("weakness", N_("Weakness no."), justify="right"),
    Column("status", N_("Status"), show=label_text("action")),
    Column("done_on", N_("Closed"), show=date_text),
    Column("overdue", N_("Overdue")),
]
OnOption = Annotated[str | None, typer.Option("--on", help="The date (default: today).")]


@app.command("add")
def add(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="The product's code or exact name.")],
    action: Annotated[str, typer.Argument(help="What is to be done.")],
    agency: Annotated[str, typer.Option("--agency", "-a", help="community_dev, university, health, industry, "
                                        "agriculture, commerce or pr.")],
    due: Annotated[str | None, typer.Option("--due", help="Due date.")] = None,
    standard: Annotated[str | None, typer.Option("--standard", "-s", help="The standard it works towards.")] = None,
    weakness: Annotated[int | None, typer.Option("--weakness", "-w", help="The weakness (number) it addresses.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who planned it.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Add a plan action for a product.

    Example: kbo plan add P00001 "ยื่นขอ มผช. ผ้าย้อมคราม" --agency industry --due 30/09/2568 --standard tcps
    """
    from kbo_cli.domain.followup import action_rows, add_action
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        row = add_action(session=s, product=found, action=action, agency=agency, due=due, standard=standard,
                         weakness=weakness, author=by)
        rows = [r for r in action_rows(session=s, product=found.code) if r["id"] == row.id]
    message(_("Added plan action #{id} for {code}", id=rows[0]["id"], code=rows[0]["product_code"]))
    emit(rows, ACTION_COLUMNS, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    product: Annotated[str | None, typer.Option("--product", "-p", help="Only this product.")] = None,
    group: GroupOption = None,
    district: DistrictOption = None,
    status: Annotated[str | None, typer.Option("--status", help="open, done or dropped.")] = None,
    agency: Annotated[str | None, typer.Option("--agency", "-a", help="Only this agency's actions.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """List plan actions, soonest due first; overdue ones are flagged.

    Example: kbo plan list --agency industry --overdue
    """
    from kbo_cli.domain.followup import action_rows

    with open_session(ctx, write=False) as s:
        rows = action_rows(session=s, product=product, group=group, district=district, status=status,
                           agency=agency, overdue_only=overdue)
    emit(rows, ACTION_COLUMNS, fmt, title=_("Development plan"), empty=_("No plan actions match."),
         row_style=lambda r: "red" if r["overdue"] else None)


def _close(ctx: typer.Context, action_id: int, status: str, on: str | None) -> None:
    from kbo_cli.domain.followup import close_action, get_action

    with open_session(ctx, write=True) as s:
        close_action(session=s, action=get_action(s, action_id), status=status, on=on)


@app.command("done")
def done(ctx: typer.Context, action_id: Annotated[int, typer.Argument(help="The action's number.")],
         on: OnOption = None) -> None:
    """Mark a plan action done.

    Example: kbo plan done 7
    """
    _close(ctx, action_id, "done", on)
    message(_("Plan action #{id} done", id=action_id))


@app.command("drop")
def drop(ctx: typer.Context, action_id: Annotated[int, typer.Argument(help="The action's number.")],
         on: OnOption = None) -> None:
    """Drop a plan action that will not be done.

    Example: kbo plan drop 7
    """
    _close(ctx, action_id, "dropped", on)
    message(_("Plan action #{id} dropped", id=action_id))
