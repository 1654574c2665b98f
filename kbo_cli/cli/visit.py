"""kbo visit: field visits (ลงพื้นที่ติดตาม) to producer groups."""

from typing import Annotated

import typer

from kbo_cli.cli._common import meeting_id, open_session, show, subcommands
from kbo_cli.cli.options import (
    DistrictOption,
    FormatOption,
    GroupOption,
    MeetingOption,
    WideOption,
    record_option,
    text_option,
)
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("Field visits: who went where, what they found, what comes next.")


@app.command("add")
def add(
    ctx: typer.Context,
    visitors: Annotated[str, text_option("--by", help="Who visited (names or offices).")],
    on: Annotated[str | None, text_option("--on", help="The visit's date (default: today).")] = None,
    group: GroupOption = None,
    products: Annotated[list[str] | None, text_option("--product", "-p", help="A product visited (repeat).")] = None,
    found: Annotated[str | None, typer.Option("--found", help="What the visit found.")] = None,
    next_steps: Annotated[str | None, typer.Option("--next", help="Next steps agreed.")] = None,
    closes: Annotated[list[int] | None, record_option("--closes", help="A plan action (number) done (repeat).")] = None,
    new_actions: Annotated[
        list[str] | None, text_option("--new-action", help="A new plan action for the products visited (repeat).")
    ] = None,
    agency: Annotated[
        str | None, text_option("--agency", "-a", help="The agency for --new-action (สสจ., พช. ...).")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="The due date for --new-action.")] = None,
    meeting: MeetingOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a field visit; it can close plan actions and add new ones.

    Example: kbo visit add --group G0001 --product P00001 --on "19 ม.ค. 2568" --by "พช.จังหวัด, ม.นครพนม" --closes 3
    """
    from kbo_cli.domain.followup import VISIT_COLUMNS, add_visit, visit_rows
    from kbo_cli.errors import InvalidValue
    from kbo_cli.render.streams import message
    from kbo_cli.storage.models import id_of

    if new_actions and not agency:
        raise InvalidValue(_("--new-action needs --agency"), _("say which agency helps, e.g. --agency university"))
    adds = [(text, agency or "", due) for text in new_actions or []]
    with open_session(ctx, write=True) as s:
        result = add_visit(
            session=s,
            on=on,
            group=group,
            products=products or [],
            visitors=visitors,
            found=found,
            next_steps=next_steps,
            closes=closes,
            adds=adds,
            meeting_id=meeting_id(s, meeting),
        )
        rows = visit_rows(session=s, ids=[id_of(result.visit)])
    message(_("Recorded visit #{id}", id=result.visit.id))
    if result.closed:
        message(_("Closed plan actions: {ids}", ids=", ".join(f"#{i}" for i in result.closed)))
    if result.added:
        message(_("Added plan actions: {ids}", ids=", ".join(f"#{i}" for i in result.added)))
    show(ctx, Listing(rows, VISIT_COLUMNS), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    group: GroupOption = None,
    district: DistrictOption = None,
    product: Annotated[str | None, text_option("--product", "-p", help="Only visits to this product.")] = None,
    since: Annotated[str | None, text_option("--since", help="From this date.")] = None,
    until: Annotated[str | None, text_option("--until", help="Up to this date.")] = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List field visits, newest first.

    Example: kbo visit list --district ธาตุพนม --since 1/10/2567
    """
    from kbo_cli.domain.followup import VISIT_COLUMNS, visit_rows

    with open_session(ctx, write=False) as s:
        rows = visit_rows(session=s, group=group, district=district, product=product, since=since, until=until)
    show(ctx, Listing(rows, VISIT_COLUMNS, title=_("Field visits"), empty=_("No visits match.")), fmt, wide)
