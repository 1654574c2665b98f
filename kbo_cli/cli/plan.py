"""kbo plan: development plan actions, with the agency that helps."""

from typing import TYPE_CHECKING, Annotated

import typer

from kbo_cli.cli._common import meeting_id, open_session, show, subcommands
from kbo_cli.cli.options import (
    DistrictOption,
    FormatOption,
    GroupOption,
    MeetingOption,
    OnOption,
    ProductArgument,
    ProductOption,
    WideOption,
    record_number,
    record_option,
    text_option,
)
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

if TYPE_CHECKING:  # loaded by the commands that use it: `kbo --help` loads every group
    from kbo_cli.vocab import ActionStatus

app = subcommands("Development plans: what to do, which agency helps, by when.")

ActionNumber = Annotated[int, record_number("The action's number (see 'kbo plan list').")]


@app.command("add")
def add(
    ctx: typer.Context,
    product: ProductArgument,
    action: Annotated[str, typer.Argument(metavar="ACTION", help="What is to be done.")],
    agency: Annotated[
        str,
        text_option(
            "--agency",
            "-a",
            help="The agency that helps: พช., ม. (university), สสจ., สอจ., เกษตร, พณ., ปชส. (or their names or codes).",
        ),
    ],
    due: Annotated[str | None, typer.Option("--due", help="Due date.")] = None,
    standard: Annotated[str | None, text_option("--standard", "-s", help="The standard it works towards.")] = None,
    weakness: Annotated[
        int | None, record_option("--weakness", "-w", help="The weakness (number) it addresses.")
    ] = None,
    by: Annotated[str | None, text_option("--by", help="Who planned it.")] = None,
    meeting: MeetingOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Add a plan action for a product.

    Example: kbo plan add P00001 "ยื่นขอ มผช. ผ้าย้อมคราม" --agency สอจ. --due 30/09/68 --standard มผช.
    """
    from kbo_cli.domain.followup import ACTION_COLUMNS, action_rows, add_action
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message
    from kbo_cli.storage.models import id_of

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        row = add_action(
            session=s,
            product=found,
            action=action,
            agency=agency,
            due=due,
            standard=standard,
            weakness=weakness,
            author=by,
            meeting_id=meeting_id(s, meeting),
        )
        rows = action_rows(session=s, ids=[id_of(row)])
    message(_("Added plan action #{id} for {code}", id=rows[0].id, code=rows[0].product_code))
    show(ctx, Listing(rows, ACTION_COLUMNS), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    product: ProductOption = None,
    group: GroupOption = None,
    district: DistrictOption = None,
    status: Annotated[
        str | None, text_option("--status", help="ค้างอยู่ (open), เสร็จแล้ว (done) or ยกเลิก (dropped).")
    ] = None,
    agency: Annotated[
        str | None, text_option("--agency", "-a", help="Only this agency's actions (สสจ., พช. ...).")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date.")] = False,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List plan actions, soonest due first (no due date last); overdue ones are flagged.

    Example: kbo plan list --agency สอจ. --overdue
    """
    from kbo_cli.domain.followup import ACTION_COLUMNS, action_rows

    with open_session(ctx, write=False) as s:
        rows = action_rows(
            session=s,
            product=product,
            group=group,
            district=district,
            status=status,
            agency=agency,
            overdue_only=overdue,
        )
    show(ctx, Listing(rows, ACTION_COLUMNS, title=_("Development plan"), empty=_("No plan actions match.")), fmt, wide)


def _close(ctx: typer.Context, action_id: int, status: "ActionStatus", on: str | None) -> None:
    from kbo_cli.domain.followup import close_action, get_action

    with open_session(ctx, write=True) as s:
        close_action(session=s, action=get_action(s, action_id), status=status, on=on)


@app.command("done")
def done(ctx: typer.Context, action_id: ActionNumber, on: OnOption = None) -> None:
    """Mark a plan action done.

    Example: kbo plan done 7
    """
    from kbo_cli.render.streams import message
    from kbo_cli.vocab import ActionStatus

    _close(ctx, action_id, ActionStatus.DONE, on)
    message(_("Plan action #{id} done", id=action_id))


@app.command("drop")
def drop(ctx: typer.Context, action_id: ActionNumber, on: OnOption = None) -> None:
    """Drop a plan action that will not be done.

    Example: kbo plan drop 7
    """
    from kbo_cli.render.streams import message
    from kbo_cli.vocab import ActionStatus

    _close(ctx, action_id, ActionStatus.DROPPED, on)
    message(_("Plan action #{id} dropped", id=action_id))
