"""kbo history and kbo undo: what changed, when, by whom; and taking the last change back."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kbo_cli.cli._common import FormatOption, open_session
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, message

TABLE_COLUMNS = [
    Column("change_set", N_("No."), justify="right"),
    Column("at", N_("When"), show=lambda v, _r: _when(v) if v else ""),
    Column("user", N_("Who")),
    Column("command", N_("Command"), wrap=True, min_width=28),
    Column("action", N_("Change"), show=lambda _v, r: f"{r['action']} {r['table']} {r['record']}"),
    Column("field", N_("Field")),
    Column("old", N_("Old value"), wrap=True),
    Column("new", N_("New value"), wrap=True),
]
HISTORY_COLUMNS = [
    Column("change_set", N_("No."), justify="right"),
    Column("at", N_("When"), show=lambda v, _r: _when(v)),
    Column("user", N_("Who")),
    Column("command", N_("Command"), wrap=True),
    Column("undone_by", N_("Undone by"), justify="right"),
    Column("table", N_("Record")),
    Column("record", N_("Id"), justify="right"),
    Column("action", N_("Change")),
    Column("field", N_("Field")),
    Column("old", N_("Old value"), wrap=True),
    Column("new", N_("New value"), wrap=True),
]


def _when(value: Any) -> Any:
    from rich.text import Text

    from kbo_cli.thai.dates import format_date

    from datetime import UTC

    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()
    return Text(f"{format_date(local.date())} {local:%H:%M}")


def history(
    ctx: typer.Context,
    record: Annotated[str | None, typer.Argument(help="A product or group (code or exact name).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only changes from this date.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Only the last N commands.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show every change: when, who, the command, and each field's old and new value.

    Example: kbo history P00001 --since 1/10/2567
    """
    from kbo_cli.errors import NotFound
    from kbo_cli.domain.followup import parse_day
    from kbo_cli.storage.history import history_rows
    from kbo_cli.domain.refs import find_group, find_product

    with open_session(ctx, write=False) as s:
        product_id = group_id = None
        if record:
            try:
                product_id = find_product(s, record).id
            except NotFound:
                group_id = find_group(s, record).id
        rows = list(history_rows(s, product_id=product_id, group_id=group_id,
                                 since=parse_day(since) if since else None, limit=limit))
    if fmt is Format.table:
        emit(_once_per_command(rows), TABLE_COLUMNS, fmt, title=_("History of changes"),
             empty=_("No changes recorded."))
    else:
        emit(rows, HISTORY_COLUMNS, fmt)


def _once_per_command(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For the table: a command's number, time, user and text only on its first row."""
    shown, last = [], None
    for row in rows:
        if row["change_set"] == last:
            row = {**row, "change_set": "", "at": None, "user": "", "command": ""}
        else:
            last = row["change_set"]
            if row["undone_by"]:
                row = {**row, "command": f"{row['command']} ({_('undone by')} #{row['undone_by']})"}
        shown.append(row)
    return shown


def undo(ctx: typer.Context) -> None:
    """Take back your last command's changes, as one unit (an import included).

    Refused when someone else changed the same records afterwards. The undo is recorded too.
    Example: kbo undo
    """
    from kbo_cli.config import current_user
    from kbo_cli.storage.history import undo as undo_last

    with open_session(ctx, write=True) as s:
        target, count = undo_last(s, user=current_user())
        command = target.command
    message(_("Undid '{command}': {count} records restored", command=command, count=count))
