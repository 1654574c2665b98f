"""kbo finding: a product's strengths (ข้อดี/ข้อเด่น) and weaknesses (ข้อด้อย)."""

from typing import Annotated

import typer

from kbo_cli.cli._common import meeting_id, open_session, show, subcommands
from kbo_cli.cli.options import (
    FormatOption,
    GroupOption,
    MeetingOption,
    OnOption,
    ProductArgument,
    ProductOption,
    WideOption,
    record_number,
    text_option,
)
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("Strengths and weaknesses the network named for each product.")

ByOption = Annotated[str | None, text_option("--by", help="Who wrote it (default: KBO_USER or your login).")]


@app.command("add")
def add(
    ctx: typer.Context,
    product: ProductArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What the network found.")],
    kind: Annotated[str, text_option("--kind", "-k", help="ข้อดี (strength) or ข้อด้อย (weakness).")],
    on: OnOption = None,
    by: ByOption = None,
    meeting: MeetingOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a strength or a weakness of a product.

    Example: kbo finding add P00001 "สีย้อมครามสม่ำเสมอ ลวดลายเป็นเอกลักษณ์" --kind ข้อดี
    """
    from kbo_cli.domain.followup import FINDING_COLUMNS, add_finding, finding_rows
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        finding = add_finding(
            session=s, product=found, kind=kind, text=text, noted_on=on, author=by, meeting_id=meeting_id(s, meeting)
        )
        rows = [r for r in finding_rows(session=s, product=found.code) if r.id == finding.id]
    message(_("Recorded finding #{id} for {code}", id=rows[0].id, code=rows[0].product_code))
    show(ctx, Listing(rows, FINDING_COLUMNS), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    product: ProductOption = None,
    group: GroupOption = None,
    kind: Annotated[str | None, text_option("--kind", "-k", help="ข้อดี (strength) or ข้อด้อย (weakness).")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only weaknesses not resolved yet.")] = False,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List strengths and weaknesses, by product: strengths first, oldest first.

    Example: kbo finding list --group G0001 --open
    """
    from kbo_cli.domain.followup import FINDING_COLUMNS, finding_rows

    with open_session(ctx, write=False) as s:
        rows = finding_rows(session=s, product=product, group=group, kind=kind, open_only=open_only)
    show(
        ctx,
        Listing(
            rows,
            FINDING_COLUMNS,
            title=_("Strengths and weaknesses"),
            empty=_("No findings match."),
            group_by=("product_code",),
        ),
        fmt,
        wide,
    )


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    finding_id: Annotated[int, record_number("The weakness's number (see 'kbo finding list').")],
    on: OnOption = None,
) -> None:
    """Mark a weakness as resolved.

    Example: kbo finding resolve 12 --on 15/08/2567
    """
    from kbo_cli.domain.followup import get_finding, resolve_finding
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        resolve_finding(session=s, finding=get_finding(s, finding_id), on=on)
    message(_("Weakness #{id} resolved", id=finding_id))
