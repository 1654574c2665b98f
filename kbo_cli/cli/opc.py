"""kbo opc: OTOP Product Champion scores and star levels, per round."""

from typing import Annotated

import typer

from kbo_cli.cli._common import open_session, show, subcommands
from kbo_cli.cli.options import (
    FormatOption,
    OptionalYear,
    ProductArgument,
    RecordedByOption,
    WideOption,
    YearOption,
    decimal,
    text_option,
)
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("OTOP Product Champion (OPC) scores and star levels.")


def _part(name: str, help_text: str) -> object:
    return typer.Option(name, parser=decimal(0, 100), metavar="POINTS", help=help_text + " Thai digits too (๒๒.๕).")


Part1 = Annotated[float, _part("--part1", "Producer strength and production.")]
Part2 = Annotated[float, _part("--part2", "Marketing and the product's story.")]
Part3 = Annotated[float, _part("--part3", "Product quality.")]


@app.command("set")
def set_(
    ctx: typer.Context,
    product: ProductArgument,
    year: YearOption,
    part1: Part1,
    part2: Part2,
    part3: Part3,
    by: RecordedByOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a product's OPC score for a round; its star level is computed from the round's cut-offs.

    Example: kbo opc set P00001 --year 2567 --part1 21 --part2 19 --part3 42
    """
    from kbo_cli.domain.followup import author_or_user
    from kbo_cli.domain.opc import SCORE_COLUMNS, record_score, score_row
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message
    from kbo_cli.render.values import decimal as shown

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        score = record_score(
            session=s, product=found, year=year, parts=[part1, part2, part3], author=author_or_user(by)
        )
        row = score_row(score, found.code, found.name)
    message(
        _(
            "Recorded the {year} score of {code}: {total} points, {stars} stars",
            year=row.year,
            code=row.product_code,
            total=shown(row.total),
            stars=row.stars,
        )
    )
    show(ctx, Listing([row], SCORE_COLUMNS), fmt)


@app.command("score")
def score(
    ctx: typer.Context,
    product: ProductArgument,
    year: YearOption,
    judge: Annotated[
        str, text_option("--judge", "-j", help="The committee member scoring (their name, or a part only they have).")
    ],
    part1: Part1,
    part2: Part2,
    part3: Part3,
    by: Annotated[str | None, text_option("--by", help="Who typed it in.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a committee member's score of a product; scoring again replaces the judge's own score.

    The round's committee ('kbo committee add') scores; the mean becomes the product's result once the
    quorum is reached and the totals agree ('kbo report scores'). Example: kbo opc score P00001 --year 2569
    --judge "กัลยา" --part1 ๒๐ --part2 21 --part3 41.5
    """
    from kbo_cli.domain.committee import JUDGE_COLUMNS, own_row, record_judge_score
    from kbo_cli.domain.followup import author_or_user
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message
    from kbo_cli.render.values import decimal as shown

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        row, old = record_judge_score(
            session=s, product=found, year=year, judge=judge, parts=[part1, part2, part3], author=author_or_user(by)
        )
        mine = own_row(session=s, score=row, product=found)
    message(
        _(
            "Recorded the {year} score of {code} by {judge}: {total} points",
            year=mine.year,
            code=mine.product_code,
            judge=mine.judge,
            total=shown(mine.total or 0),
        )
    )
    if old is not None:
        message(
            _(
                "It replaces {judge}'s earlier score ({old} points); the history keeps it",
                judge=mine.judge,
                old=shown(sum(old)),
            )
        )
    message(_("{count} of the {others} other members have scored it", count=mine.others_scored, others=mine.others))
    show(ctx, Listing([mine], JUDGE_COLUMNS), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    product: Annotated[str | None, text_option("--product", "-p", help="Only this product (its history).")] = None,
    year: OptionalYear = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List OPC scores, newest round first, then by product code.

    Example: kbo opc list --product P00001
    """
    from kbo_cli.domain.opc import SCORE_COLUMNS, score_rows
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=False) as s:
        rows = score_rows(session=s, product=find_product(s, product) if product else None, year=year)
    show(ctx, Listing(rows, SCORE_COLUMNS, title=_("OPC scores"), empty=_("No OPC scores recorded.")), fmt, wide)


@app.command("rounds")
def rounds(ctx: typer.Context, fmt: FormatOption = Format.table, wide: WideOption = False) -> None:
    """Show each round's part maxima, star cut-offs and legal standards (from data/opc_rounds.toml).

    Example: kbo opc rounds
    """
    from kbo_cli.domain.opc import ROUND_COLUMNS, round_rows
    from kbo_cli.render.output import render

    render(
        Listing(
            round_rows(),
            ROUND_COLUMNS,
            title=_("OPC rounds"),
            notes=[_("Rounds not confirmed use values to check against each round's announcement.")],
        ),
        fmt,
        wide=wide,
    )
