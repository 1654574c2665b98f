"""kbo opc: OTOP Product Champion scores and star levels, per round."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kbo_cli.cli._common import FormatOption, open_session
from kbo_cli.render.cells import stars_text
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, message

app = typer.Typer(rich_markup_mode=None, help="OTOP Product Champion (OPC) scores and star levels.", no_args_is_help=True)

SCORE_COLUMNS = [
    Column("product_code", N_("Product code")),
    Column("product_name", N_("Product")),
    Column("year", N_("Round"), justify="right"),
    Column("part1", N_("Part 1"), justify="right"),
    Column("part2", N_("Part 2"), justify="right"),
    Column("part3", N_("Part 3"), justify="right"),
    Column("total", N_("Total"), justify="right"),
    Column("stars", N_("Stars"), show=stars_text),
]
ROUND_COLUMNS = [
    Column("year", N_("Round")),
    Column("parts", N_("Parts (maximum)"), wrap=True),
    Column("stars", N_("Stars from")),
]
Part = Annotated[float, typer.Option(help="Points in this part.")]


@app.command("set")
def set_(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="The product's code or exact name.")],
    year: Annotated[int, typer.Option("--year", "-y", help="The round's Buddhist-Era year, e.g. 2567.")],
    part1: Annotated[float, typer.Option("--part1", help="Producer strength and production.")],
    part2: Annotated[float, typer.Option("--part2", help="Marketing and the product's story.")],
    part3: Annotated[float, typer.Option("--part3", help="Product quality.")],
    by: Annotated[str | None, typer.Option("--by", help="Who recorded it.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a product's OPC score for a round; its star level is computed from the round's cut-offs.

    Example: kbo opc set P00001 --year 2567 --part1 21 --part2 19 --part3 42
    """
    from kbo_cli.domain.opc import record_score, score_row
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        row = score_row(record_score(session=s, product=found, year=year, parts=[part1, part2, part3], author=by),
                        found.code, found.name)
    message(_("Recorded the {year} score of {code}: {total} points, {stars} stars",
              year=row["year"], code=row["product_code"], total=row["total"], stars=row["stars"]))
    emit([row], SCORE_COLUMNS, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    product: Annotated[str | None, typer.Option("--product", "-p", help="Only this product (its history).")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only this round.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List OPC scores, newest round first.

    Example: kbo opc list --product P00001
    """
    from kbo_cli.domain.opc import score_rows
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=False) as s:
        rows = score_rows(session=s, product=find_product(s, product) if product else None, year=year)
    emit(rows, SCORE_COLUMNS, fmt, title=_("OPC scores"), empty=_("No OPC scores recorded."))


@app.command("rounds")
def rounds(fmt: FormatOption = Format.table) -> None:
    """Show each round's part maxima and star cut-offs (from data/opc_rounds.toml).

    Example: kbo opc rounds
    """
    from kbo_cli.domain.opc import rounds as all_rounds

    rows: list[dict[str, Any]] = []
    for year, rnd in all_rounds().items():
        rows.append({
            "year": year if year is not None else _("other years"),
            "parts": "; ".join(f"{p.name} {p.max:g}" for p in rnd.parts),
            "stars": "; ".join(f"{level}★ ≥ {lowest:g}" for level, lowest in rnd.stars),
        })
    emit(rows, ROUND_COLUMNS, fmt, title=_("OPC rounds"))
