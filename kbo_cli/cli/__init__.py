"""The `kbo` command: wires the sub-commands, resolves global options, and is the one error boundary.

Every expected failure (a KboError, or a database error translated by `kbo_cli.storage.db`) becomes
`Error: ...` and `Hint: ...` on stderr with exit code 1 (2 for usage errors), and no traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

from kbo_cli.cli import _click as click
import typer
from typer.core import TyperGroup

from kbo_cli import __version__
from kbo_cli.cli import checklist, db, finding, group, history, opc, plan, product, report, setup, standards, transfer, visit
from kbo_cli.cli.select import select
from kbo_cli.cli._common import state
from kbo_cli.errors import KboError
from kbo_cli.i18n import DEFAULT_LANGUAGE, _, set_language


def _fail(message: str, hint: str | None, code: int) -> None:
    from kbo_cli.render.output import stderr

    console = stderr()
    console.print(_("Error: {message}", message=message), style="bold red", markup=False, highlight=False)
    if hint:
        console.print(_("Hint: {hint}", hint=hint), markup=False, highlight=False)
    sys.exit(code)


class KboGroup(TyperGroup):
    """The root command group: turns expected failures into one clean error line."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        from kbo_cli.cli._common import typed

        argv = kwargs.get("args", args[0] if args else None)
        typed[:] = list(sys.argv[1:] if argv is None else argv)
        try:
            result = super().main(*args, **kwargs)
        except KboError as exc:
            _fail(exc.message, exc.hint, exc.exit_code)
        except click.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help() if exc.ctx else "")
            sys.exit(0)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "kbo"
            _fail(exc.format_message(), _("see '{command} --help'", command=command), exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), None, exc.exit_code)
        except click.Abort:
            _fail(_("stopped: nothing was changed"), _("add --yes to skip the question"), 1)
        except Exception as exc:  # database driver errors: translated, never a traceback
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError):
                from kbo_cli.storage.db import translate_error

                from kbo_cli.cli._common import opened

                err = translate_error(exc, opened[-1] if opened else None)
                _fail(err.message, err.hint, err.exit_code)
            if isinstance(exc, OSError):
                where = f": {exc.filename}" if exc.filename else ""
                _fail(f"{exc.strerror or exc}{where}", _("check the file or folder named"), 1)
            raise
        if isinstance(result, int) and result:
            sys.exit(result)
        return result


app = typer.Typer(
    rich_markup_mode=None,  # plain Click help: no rich import, so `kbo --help` stays fast
    cls=KboGroup,
    name="kbo",
    help=(
        "Track OTOP products of a Knowledge-Based OTOP (KBO) network against the standards checklist "
        "(อย., มอก., มผช., GAP, organic, GMP, Halal, labelling).\n\n"
        "Progress = certified / applicable, where not_applicable entries leave the denominator; "
        "gaps = applicable entries that are not certified (an expired certificate is a gap).\n\n"
        "Example: kbo demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kbo {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="KBO_DB",
            help="Database: a SQLite file path or a SQLAlchemy URL (postgresql+psycopg://user@host/db). "
            "Default: kbo.db in your user data folder.",
            show_envvar=True,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", envvar="KBO_LANG", help="Language of labels and messages: th (default) or en.",
                     show_envvar=True),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show kbo's version.")
    ] = False,
) -> None:
    """Track OTOP products against the standards checklist."""
    set_language(lang or DEFAULT_LANGUAGE)
    state(ctx).db = db


app.add_typer(group.app, name="group")
app.add_typer(product.app, name="product")
app.add_typer(standards.app, name="standards")
app.add_typer(checklist.app, name="checklist")
app.add_typer(report.app, name="report")
app.add_typer(finding.app, name="finding")
app.add_typer(plan.app, name="plan")
app.add_typer(visit.app, name="visit")
app.add_typer(opc.app, name="opc")
setup.register(app)
app.add_typer(db.app, name="db")
app.command("history")(history.history)
app.command("undo")(history.undo)
app.command("import")(transfer.import_)
app.command("export")(transfer.export)
app.command("select")(select)


def main() -> None:
    app()
