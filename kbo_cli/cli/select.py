"""kbo select: record (or change) the province's representative for a selection round."""

from typing import Annotated

import typer

from kbo_cli.cli._common import meeting_id, open_session
from kbo_cli.cli.options import MeetingOption, YearOption, text_option
from kbo_cli.i18n import _


def select(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="The product picked (code or exact name).")],
    year: YearOption,
    reason: Annotated[str, text_option("--reason", help="Why the network picked it.")],
    category_round: Annotated[
        bool, typer.Option("--category-round", help="A pick for the product's category, not the whole province.")
    ] = False,
    by: Annotated[str | None, text_option("--by", help="Who decided (default: KBO_USER or your login).")] = None,
    on: Annotated[str | None, text_option("--on", help="When it was decided (default: today).")] = None,
    change: Annotated[
        bool,
        typer.Option(
            "--change", help="Replace the round's pick (the old one stays in the history; say why in --reason)."
        ),
    ] = False,
    ineligible_because: Annotated[
        str | None,
        typer.Option("--ineligible-because", help="Pick a product that is not eligible for the round, recording why."),
    ] = None,
    meeting: MeetingOption = None,
) -> None:
    """Record the product that represents the province in a round (one per round), or change it.

    Example: kbo select P00001 --year 2568 --reason "ผ่านมาตรฐานครบ มีเรื่องราวผ้าครามที่โดดเด่น" --by "คณะกรรมการจังหวัด"
    """
    from kbo_cli.domain.refs import find_product
    from kbo_cli.domain.selection import scope_name, select_product
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        row = select_product(
            session=s,
            product=found,
            year=year,
            reason=reason,
            category_round=category_round,
            decided_by=by,
            decided_on=on,
            change=change,
            ineligible_because=ineligible_because,
            meeting_id=meeting_id(s, meeting),
        )
        code, name, scope, year_ = found.code, found.name, row.scope, row.year
    message(
        _("{code} {name} represents round {year} ({scope})", code=code, name=name, year=year_, scope=scope_name(scope))
    )
