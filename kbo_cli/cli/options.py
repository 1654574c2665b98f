"""How commands declare their options: parsers for what officials type, and the options commands share.

Text options refuse a blank value; numbers and years may be typed with Thai digits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from kbo_cli.errors import KboError
from kbo_cli.i18n import _
from kbo_cli.render.formats import Format


def filled(value: str) -> str:
    """A text option given on the command line: an empty or blank value is a slip, never "leave it out"
    (options whose empty value clears a stored field do not use this)."""
    if not value.strip():
        raise typer.BadParameter(_("the value is empty"))
    return value


# --- numbers as officials type them (Thai digits too), each within its range -------------------------


def _number(text: str) -> float:
    from kbo_cli.thai.numbers import parse_decimal

    try:
        return float(parse_decimal(text))
    except KboError as exc:
        raise typer.BadParameter(exc.message) from None


def whole(low: int, high: int) -> Callable[[str], int]:
    """A parser for a whole number from `low` to `high` (ASCII or Thai digits)."""

    def parse(text: str | int) -> int:
        if isinstance(text, int):
            value: float = text
        else:
            from kbo_cli.thai.numbers import parse_int

            try:
                value = parse_int(text)
            except KboError as exc:
                raise typer.BadParameter(exc.message) from None
        if not low <= value <= high:
            raise typer.BadParameter(
                _("{value} is out of range: give a number from {low} to {high}", value=text, low=low, high=high)
            )
        return int(value)

    return parse


def decimal(low: float, high: float) -> Callable[[str], float]:
    """A parser for a decimal number from `low` to `high` (`๒๒.๕` too)."""

    def parse(text: str | float) -> float:
        value = float(text) if isinstance(text, int | float) else _number(text)
        if not low <= value <= high:
            raise typer.BadParameter(
                _(
                    "{value} is out of range: give a number from {low} to {high}",
                    value=text,
                    low=f"{low:g}",
                    high=f"{high:g}",
                )
            )
        return value + 0.0

    return parse


def year(text: str | int) -> int:
    """A round's Buddhist-Era year: `2567`, `๒๕๖๗`, `พ.ศ. 2567`, `ปี 67`, or the Christian-Era `2024`."""
    if isinstance(text, int):
        text = str(text)
    from kbo_cli.thai.dates import parse_year

    try:
        return parse_year(text)
    except KboError as exc:
        raise typer.BadParameter(exc.message) from None


#: the largest record number a database holds (a 32-bit id)
RECORD_MAX = 2_147_483_647


def text_option(*names: str, help: str, **settings: Any) -> Any:
    """An option that takes text; a blank value is refused (see `filled`)."""
    return typer.Option(*names, parser=filled, help=help, **settings)


def record_option(*names: str, help: str) -> Any:
    """An option that takes a record's number (a meeting, a weakness, a plan action)."""
    return typer.Option(*names, parser=whole(1, RECORD_MAX), metavar="NUMBER", help=help)


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format: table (for people), json, csv, or html (a printable A4 page)."),
]
ProductArgument = Annotated[str, typer.Argument(metavar="PRODUCT", help="The product's code or exact name.")]
ProductOption = Annotated[str | None, text_option("--product", "-p", help="Only this product.")]
RecordedByOption = Annotated[str | None, text_option("--by", help="Who recorded it.")]
OnOption = Annotated[str | None, text_option("--on", help="The date (default: today).")]
WideOption = Annotated[bool, typer.Option("--wide", help="Show every column, however wide the table gets.")]
GroupOption = Annotated[str | None, text_option("--group", "-g", help="Only this producer group (code or name).")]
DistrictOption = Annotated[str | None, text_option("--district", "-d", help="Only groups in this district (อำเภอ).")]
CategoryOption = Annotated[
    str | None,
    text_option(
        "--category",
        "-c",
        help="Only this category: อาหาร (food), เครื่องดื่ม (beverage), ผ้า (textile), ของใช้ (craft), สมุนไพร (herbal).",
    ),
]
YesOption = Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the file if it exists (kbo never does unasked).")]
YearOption = Annotated[
    int,
    typer.Option(
        "--year", "-y", parser=year, metavar="YEAR", help="The round's Buddhist-Era year, e.g. 2567 (Thai digits too)."
    ),
]
OptionalYear = Annotated[
    int | None,
    typer.Option("--year", "-y", parser=year, metavar="YEAR", help="The round's Buddhist-Era year, e.g. 2567."),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", parser=whole(1, 1_000_000), metavar="N", help="Only the first N.")
]


MeetingOption = Annotated[
    int | None,
    record_option("--meeting", "-m", help="The meeting it came from (see 'kbo meeting list')."),
]


def record_number(help_text: str) -> object:
    return typer.Argument(parser=whole(1, RECORD_MAX), metavar="NUMBER", help=help_text)
