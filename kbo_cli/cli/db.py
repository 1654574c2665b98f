"""kbo db: the database itself: schema upgrades and status, integrity checks, backups."""

from pathlib import Path
from typing import Annotated

import typer

from kbo_cli.cli._common import open_session, state, subcommands
from kbo_cli.cli.options import ForceOption, FormatOption
from kbo_cli.i18n import N_, _
from kbo_cli.render.columns import Col, Listing
from kbo_cli.render.formats import Format
from kbo_cli.render.streams import message, warn

app = subcommands("The database: upgrade, status, check, backup.")

STATUS_COLUMNS = (Col("key", N_("Item")), Col("value", N_("Value"), wrap=True))
PROBLEM_COLUMNS = (Col("check", N_("Check")), Col("problem", N_("Problem"), wrap=True))


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the database schema to this kbo's version (needed for a shared PostgreSQL).

    Example: kbo --db postgresql+psycopg://kbo@dbserver/kbo db upgrade
    """
    from kbo_cli.storage.migrations import HEAD

    with open_session(ctx, write=True, upgrade=True):
        pass
    target = state(ctx).target
    assert target is not None
    message(_("Database ready: {db} (schema {rev})", db=target.display(), rev=HEAD))


@app.command("status")
def status(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Show where the database is, its schema version and what it holds.

    Example: kbo db status -f json
    """
    from kbo_cli.config import resolve_database
    from kbo_cli.render.output import render
    from kbo_cli.storage.dbtools import database_status

    target = state(ctx).target = resolve_database(state(ctx).db)  # errors name it
    rows = database_status(target)
    render(Listing(rows, STATUS_COLUMNS, title=_("Database status")), fmt)


@app.command("check")
def check(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Verify the database's integrity, its references, its values and the rules between its records; exit 1
    when a problem is found.

    Example: kbo db check
    """
    from kbo_cli.errors import DatabaseProblem
    from kbo_cli.render.output import render
    from kbo_cli.storage.dbtools import integrity_problems

    with open_session(ctx, write=False) as s:
        problems = integrity_problems(s)
    if problems:
        render(Listing(problems, PROBLEM_COLUMNS, title=_("Problems found")), fmt)
        raise DatabaseProblem(
            _("the database has {count} problems", count=len(problems)),
            _("restore it from a backup (kbo db backup makes one)"),
        )
    message(_("The database is sound: integrity, references, values and the rules between records checked."))


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (a new file).")],
    force: ForceOption = False,
) -> None:
    """Make a consistent copy of the database while others keep working.

    A SQLite database is copied with SQLite's online backup; a PostgreSQL one, and any database backed up to
    a .json file, is dumped as a kbo JSON export that 'kbo import' restores. Example: kbo db backup
    kbo-2568-01-19.db
    """
    from kbo_cli.storage.dbtools import backup_database

    with open_session(ctx, write=False) as s:
        target = state(ctx).target
        assert target is not None
        written, problem = backup_database(s, target, file, force=force)
    message(_("Backup written: {path}", path=written))
    if problem is not None:
        warn(
            _(
                "the database is damaged, and so is its copy ({problem}): see 'kbo db check'",
                problem=" ".join(problem.split())[:120],
            )
        )
