"""What every command shares: option aliases, the per-command state, and opening the database.

Nothing heavy is imported at module level: SQLAlchemy/SQLModel load only when a command opens the
database, which keeps `kbo --help` fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from kbo_cli.render.output import Format

if TYPE_CHECKING:
    from sqlmodel import Session

    from kbo_cli.config import DatabaseTarget


@dataclass
class State:
    """Resolved once by the root callback, read by every command."""

    db: str | None = None
    target: DatabaseTarget | None = field(default=None)


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: table (for people), json or csv.")
]
GroupOption = Annotated[str | None, typer.Option("--group", "-g", help="Only this producer group (code or name).")]
DistrictOption = Annotated[str | None, typer.Option("--district", "-d", help="Only groups in this district (อำเภอ).")]
CategoryOption = Annotated[
    str | None, typer.Option("--category", "-c", help="Only this category: food, beverage, textile, craft, herbal.")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


#: the database the current command opened, for error messages raised after its context is gone
opened: list[DatabaseTarget] = []
#: the command line as typed (set by the root group), recorded in the history of changes
typed: list[str] = []


def command_line() -> str:
    """What the user typed, for the history, without the database address (it may hold a password)."""
    import shlex

    args, skip = [], False
    for arg in typed:
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


@contextmanager
def open_session(ctx: typer.Context, *, write: bool, upgrade: bool = False) -> Iterator[Session]:
    """The command's one transaction: committed at the end if `write`, rolled back on any error."""
    from kbo_cli.storage import db
    from kbo_cli.config import resolve_database

    st = state(ctx)
    st.target = resolve_database(st.db)
    opened[:] = [st.target]
    engine = db.make_engine(st.target, write=write or upgrade)
    try:
        db.ensure_schema(engine, st.target, upgrade=upgrade)
        with db.session_scope(engine, write=write) as session:
            if write:
                from kbo_cli.storage import history
                from kbo_cli.config import current_user

                history.track(session, user=current_user(), command=command_line())
            yield session
    finally:
        engine.dispose()


def confirm(question: str, yes: bool) -> None:
    """Ask before a destructive change; --yes skips. No answer (not a terminal) means no."""
    if yes:
        return
    from kbo_cli.errors import KboError
    from kbo_cli.i18n import _

    if not typer.confirm(question, default=False, err=True):
        raise KboError(_("nothing was changed"), _("add --yes to skip the question"))
