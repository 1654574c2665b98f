"""What every command shares: the per-invocation state, opening the database, showing results (the options
they share are in `options`).

Nothing heavy is imported at module level: SQLAlchemy/SQLModel load only when a command opens the
database, which keeps `kbo --help` fast.
"""

from __future__ import annotations

import gc
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from kbo_cli.cli.helptext import TranslatedHelp
from kbo_cli.errors import InvalidValue, KboError
from kbo_cli.i18n import _
from kbo_cli.render.formats import Format

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


def refuse_repeated_options(command: Any, ctx: Any, args: list[str]) -> None:
    """Refuse an option that takes one value given twice (`-d A -d B`): Click would keep the last without a
    word, and a report would answer for one district of the two. The arguments are read by the command's own
    parser, so that a value that looks like an option (`--note "-d"`) is read as the value it is."""
    if ctx.resilient_parsing:  # completing a word, not running
        return
    _values, _rest, order = command.make_parser(ctx).parse_args(args=list(args))
    if any(getattr(param, "is_eager", False) for param in order):  # --help, --version: answered first, as Click does
        return
    seen: set[str | None] = set()
    for param in order:
        if isinstance(param, TyperOption) and not (param.multiple or param.count or param.is_flag):
            if param.name in seen:
                raise InvalidValue(
                    _("{option} was given more than once", option="/".join(param.opts)),
                    _("give it once: it takes one value"),
                )
            seen.add(param.name)


class KboCommand(TranslatedHelp, TyperCommand):
    """A kbo command: an option that takes one value is given once (`refuse_repeated_options`); its help is in
    the user's language."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        refuse_repeated_options(self, ctx, args)
        return super().parse_args(ctx, args)


class KboTyper(typer.Typer):
    """A Typer app whose commands are `KboCommand`s."""

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **options: Any) -> Any:
        return super().command(name, cls=cls or KboCommand, **options)


class KboSubcommands(TranslatedHelp, TyperGroup):
    """A command with subcommands (`kbo product ...`), its help in the user's language."""


def subcommands(help: str) -> typer.Typer:
    """A command with subcommands (`kbo product ...`): plain Click help (no rich import, so `--help` stays
    fast), shown when it is called without a subcommand."""
    return KboTyper(rich_markup_mode=None, help=help, no_args_is_help=True, cls=KboSubcommands)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def meeting_id(session: Session, number: int | None) -> int | None:
    """The id of the meeting named (checked to exist), or None."""
    if number is None:
        return None
    from kbo_cli.domain.meetings import get_meeting
    from kbo_cli.storage.models import id_of

    return id_of(get_meeting(session, number))


@dataclass
class Program:
    """How kbo runs: as the `kbo` program (`kbo_cli.cli.main`), or called by a program of its own (the tests)."""

    #: whether kbo sets Python's collector of reference cycles for a short-lived process; a program that calls
    #: the app keeps its collector as it is (objects set aside are never freed)
    owns_collector: bool = False
    #: whether what was loaded is set aside already (once: a second session's leftovers are to be collected)
    set_aside: bool = False


program = Program()


@contextmanager
def open_session(ctx: typer.Context, *, write: bool, upgrade: bool = False) -> Iterator[Session]:
    """The command's one transaction: committed at the end if `write`, rolled back on any error."""
    from kbo_cli.config import current_user, resolve_database
    from kbo_cli.storage import db, history

    st = state(ctx)
    st.target = resolve_database(st.db)
    if not (write or upgrade):
        db.check_exists(st.target)
    path = st.target.sqlite_path
    # a file this command makes (or finds empty) is left as it was found if the command fails and nothing else
    # has been written to it since: a mistyped --db is not left behind as an empty database
    was_empty = path is not None and path.is_file() and path.stat().st_size == 0
    new_file = path is not None and (was_empty or not path.exists())
    engine = db.make_engine(st.target, write=write or upgrade)
    if program.owns_collector and not program.set_aside:  # the modules loaded by now: never looked at again
        gc.freeze()
        program.set_aside = True
    try:
        db.ensure_schema(engine, st.target, upgrade=upgrade)
        with db.session_scope(engine, write=write) as session:
            if write:
                history.track(session, user=current_user(), command=st.command_line())
            yield session
    except BaseException:
        engine.dispose()
        if new_file and path is not None:
            db.remove_if_unused(path, was_empty=was_empty)
        raise
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


def counted(counts: list[tuple[str, int]]) -> str:
    """`checklist entries 4, findings 1`: how many records of each kind, for a question or a message."""
    return ", ".join(f"{_(label)} {n}" for label, n in counts)


#: the answers that mean yes: English, Thai, and the y key typed on a Thai keyboard (ั)
YES = ("y", "yes", "ใช่", "ย", "ั", "ตกลง", "ยืนยัน")


def confirm(question: str, yes: bool) -> None:
    """Ask before a destructive change; --yes skips. No answer (not a terminal) means no."""
    if yes:
        return
    # asked and answered on stderr and stdin: Click's confirm writes the prompt's last character to stdout,
    # which is the command's data
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline() if sys.stdin is not None else ""
    if not answer.endswith("\n"):  # no answer (not a terminal, or end of input): what follows starts a line
        sys.stderr.write("\n")
    if answer.strip().lower() not in YES:
        raise KboError(_("nothing was changed"), _("add --yes to skip the question"))
