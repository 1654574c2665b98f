"""kbo history and kbo undo: what changed, when, by whom; and taking the last change back."""

from typing import Annotated

import typer

from kbo_cli.cli._common import open_session, show
from kbo_cli.cli.options import FormatOption, LimitOption, WideOption, text_option
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format


def history(
    ctx: typer.Context,
    record: Annotated[
        str | None, typer.Argument(metavar="PRODUCT|GROUP", help="A product or group (code or exact name).")
    ] = None,
    since: Annotated[str | None, text_option("--since", help="Only changes from this date.")] = None,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Show every change, newest command first: when, who, the command, and each field's old and new value.

    `--limit N` keeps the last N commands. A table shows at most 20 records changed per command (an import
    changes thousands): -f csv or -f json lists every change. Example: kbo history P00001 --since 1/10/2567
    """
    from kbo_cli.domain.followup import parse_day
    from kbo_cli.domain.refs import find_group, find_product
    from kbo_cli.errors import NotFound
    from kbo_cli.storage.history import HISTORY_COLUMNS, TABLE_CHANGES, history_rows

    with open_session(ctx, write=False) as s:
        product_id = group_id = None
        if record is not None:
            try:
                product_id = find_product(s, record).id
            except NotFound:
                group_id = find_group(s, record).id
        rows = history_rows(
            s,
            product_id=product_id,
            group_id=group_id,
            since=parse_day(since) if since else None,
            limit=limit,
            per_command=TABLE_CHANGES if fmt in (Format.table, Format.html) else None,
        )
        show(
            ctx,
            Listing(
                rows,
                HISTORY_COLUMNS,
                title=_("History of changes"),
                empty=_("No changes recorded."),
                group_by=("change_set", "at", "user", "command_shown"),
            ),
            fmt,
            wide,
        )


def undo(ctx: typer.Context) -> None:
    """Take back your last command's changes, as one unit (an import included).

    Refused when someone else changed the same records afterwards. The undo is recorded too.
    Example: kbo undo
    """
    from kbo_cli.config import current_user
    from kbo_cli.render.streams import message
    from kbo_cli.storage.history import undo as undo_last

    with open_session(ctx, write=True) as s:
        target, count = undo_last(s, user=current_user())
        command = target.command
    message(_("Undid “{command}”: {count} records restored", command=command, count=count))
