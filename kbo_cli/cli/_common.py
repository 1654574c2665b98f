"""What every command shares: option aliases, the per-invocation state, opening the database, showing results.

Nothing heavy is imported at module level: SQLAlchemy/SQLModel load only when a command opens the
database, which keeps `kbo --help` fast.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from kbo_cli.errors import KboError
from kbo_cli.i18n import _
from kbo_cli.render.output import Format

if TYPE_CHECKING:
    from sqlmodel import Session

    from kbo_cli.config import DatabaseTarget
    from kbo_cli.render.columns import Listing


@dataclass
class State:
    """One invocation's state, on the root Click context: what was typed, the database it opened."""

    argv: list[str] = field(default_factory=list)
    db: str | None = None
    target: DatabaseTarget | None = None

    def command_line(self) -> str:
        """What the user typed, for the history, without the database address (it may hold a password)."""
        args, skip = [], False
        for arg in self.argv:
            if skip:
                skip = False
                continue
            if arg in ("--db", "--lang"):
                skip = True
                continue
            if arg.startswith(("--db=", "--lang=")):
                continue
            args.append(arg)
        return "kbo " + shlex.join(args)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


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

FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format: table (for people), json, csv, or html (a printable A4 page)."),
]
WideOption = Annotated[bool, typer.Option("--wide", help="Show every column, however wide the table gets.")]
GroupOption = Annotated[
    str | None, typer.Option("--group", "-g", parser=filled, help="Only this producer group (code or name).")
]
DistrictOption = Annotated[
    str | None, typer.Option("--district", "-d", parser=filled, help="Only groups in this district (อำเภอ).")
]
CategoryOption = Annotated[
    str | None,
    typer.Option(
        "--category",
        "-c",
        parser=filled,
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
    typer.Option(
        "--meeting",
        "-m",
        parser=whole(1, RECORD_MAX),
        metavar="NUMBER",
        help="The meeting it came from (see 'kbo meeting list').",
    ),
]


def meeting_id(session: Session, number: int | None) -> int | None:
    """The id of the meeting named (checked to exist), or None."""
    if number is None:
        return None
    from kbo_cli.domain.meetings import get_meeting
    from kbo_cli.storage.models import id_of

    return id_of(get_meeting(session, number))


def record_number(help_text: str) -> object:
    return typer.Argument(parser=whole(1, RECORD_MAX), metavar="NUMBER", help=help_text)


@contextmanager
def open_session(ctx: typer.Context, *, write: bool, upgrade: bool = False) -> Iterator[Session]:
    """The command's one transaction: committed at the end if `write`, rolled back on any error."""
    from kbo_cli.config import current_user, resolve_database
    from kbo_cli.storage import db, history

    st = state(ctx)
    st.target = resolve_database(st.db)
    engine = db.make_engine(st.target, write=write or upgrade)
    try:
        db.ensure_schema(engine, st.target, upgrade=upgrade)
        with db.session_scope(engine, write=write) as session:
            if write:
                history.track(session, user=current_user(), command=st.command_line())
            yield session
    finally:
        engine.dispose()


def show(ctx: typer.Context, listing: Listing, fmt: Format, wide: bool = False) -> int:
    """Render a listing; a printable page also names the network and its province."""
    from kbo_cli.render.output import render

    if fmt is Format.html:
        from kbo_cli.domain import network

        with open_session(ctx, write=False) as s:
            listing.meta.update(network.page_meta(s))
    return render(listing, fmt, wide=wide)


def confirm(question: str, yes: bool) -> None:
    """Ask before a destructive change; --yes skips. No answer (not a terminal) means no."""
    if yes:
        return
    if not typer.confirm(question, default=False, err=True):
        raise KboError(_("nothing was changed"), _("add --yes to skip the question"))
