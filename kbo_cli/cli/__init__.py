"""The `kbo` command: wires the sub-commands, resolves global options, and is the one error boundary.

Every expected failure becomes `Error: ...` and `Hint: ...` on stderr (in the user's language) with exit
code 1, or 2 for a usage error, and no traceback: a `KboError` from the domain, a database error
(translated by `kbo_cli.storage.db`), Click's usage errors, an argument that is not valid UTF-8, a closed
or broken output. The boundary is `KboGroup.main`, the public entry Click calls (the console script and
Typer's test runner alike); the per-invocation state travels on the Click context, never in globals.
"""

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

# kbo uses no pydantic plugin; looking for them scans every installed package's metadata at start-up (~10 ms)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer
from typer.core import TyperGroup

from kbo_cli import __version__
from kbo_cli.cli import history, setup, transfer
from kbo_cli.cli._common import KboTyper, State, program, refuse_repeated_options, state
from kbo_cli.cli.helptext import TranslatedHelp
from kbo_cli.cli.select import select
from kbo_cli.errors import InvalidValue, KboError
from kbo_cli.i18n import DEFAULT_LANGUAGE, _, set_language

#: the longest error message (a value typed by mistake may be huge), and the longest hint (kbo's own words:
#: the list of the values a vocabulary takes, say)
MESSAGE_MAX = 300
HINT_MAX = 1000


def _fail(message: str, hint: str | None, code: int) -> int:
    """The error and its hint on stderr, one line each; a terminal shows them wrapped between words."""
    from kbo_cli.render.streams import message as say

    def line(text: str, most: int) -> str:
        return text if len(text) <= most else text[: most - 1] + "…"

    say(line(_("Error: {message}", message=message), MESSAGE_MAX), style="bold red", wrap=True)
    if hint:
        say(line(_("Hint: {hint}", hint=hint), HINT_MAX), wrap=True)
    return code


def _undecodable(args: list[str]) -> int | None:
    """The position of the first argument that was not valid UTF-8 (Python keeps such bytes as surrogates)."""
    for position, arg in enumerate(args, 1):
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            return position
    return None


def _check_environment(args: list[str]) -> None:
    if sys.stdout is None:  # closed (`>&-`): said before anything is done, not after a change is saved
        raise KboError(
            _("there is nowhere to write the output: standard output is closed"),
            _("run kbo with its output going to the terminal, a file or a pipe"),
        )
    position = _undecodable(args)
    if position is not None:
        raise InvalidValue(
            _("argument {position} is not valid UTF-8 text", position=position),
            _("type it again in a UTF-8 terminal (on Windows: chcp 65001, or Windows Terminal)"),
        )
    for name in ("KBO_DB", "KBO_LANG", "KBO_USER", "KBO_ENCODING"):
        if _undecodable([os.environ.get(name, "")]) is not None:
            raise InvalidValue(
                _("the environment variable {name} is not valid UTF-8 text", name=name),
                _("set it again in a UTF-8 terminal"),
            )


def _early_language(args: list[str]) -> None:
    """The language of errors found before the options are parsed (from --lang or KBO_LANG)."""
    lang = os.environ.get("KBO_LANG")
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    try:
        set_language(DEFAULT_LANGUAGE if lang is None else lang)
    except KboError:
        set_language("en")  # a language kbo does not know: its error (in both languages) follows, in English


#: the command groups, each built from its module only when it is used (a command pays for itself alone;
#: `kbo --help` builds them all for their one-line summaries), in the order help lists them
GROUPS = {
    "group": "kbo_cli.cli.group",
    "product": "kbo_cli.cli.product",
    "standards": "kbo_cli.cli.standards",
    "checklist": "kbo_cli.cli.checklist",
    "report": "kbo_cli.cli.report",
    "finding": "kbo_cli.cli.finding",
    "plan": "kbo_cli.cli.plan",
    "visit": "kbo_cli.cli.visit",
    "opc": "kbo_cli.cli.opc",
    "meeting": "kbo_cli.cli.meeting",
    "committee": "kbo_cli.cli.committee",
    "db": "kbo_cli.cli.db",
}


class KboGroup(TranslatedHelp, TyperGroup):
    """The root command group: the one place where failures become one clean error line; its help is in the
    user's language."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(name for name in GROUPS if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in GROUPS and cmd_name not in self.commands:
            from importlib import import_module

            command = typer.main.get_group(import_module(GROUPS[cmd_name]).app)
            command.name = cmd_name
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        refuse_repeated_options(self, ctx, args)  # kbo's own options (--db, --lang), before the command
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        run = State(argv=argv)
        code = self._run(argv, prog_name, complete_var, run, {"windows_expand_args": windows_expand_args, **extra})
        if not standalone_mode or code == 0:  # success returns, so that a program may call `app()` again
            return code
        _flush_or_quiet()
        sys.exit(code)

    def _run(
        self, argv: list[str], prog_name: str | None, complete_var: str | None, run: State, extra: dict[str, Any]
    ) -> int:
        from kbo_cli.cli.usage import translate

        try:
            from kbo_cli.render.streams import configure_streams

            configure_streams()
            _early_language(argv)
            _check_environment(argv)
            result = super().main(
                args=argv,
                prog_name=prog_name or "kbo",
                complete_var=complete_var,
                standalone_mode=False,
                obj=run,
                **extra,
            )
            return result if isinstance(result, int) else 0
        except KboError as exc:
            return _fail(exc.message, exc.hint, exc.exit_code)
        except typer.Abort:
            return _fail(_("stopped: nothing was changed"), _("add --yes to skip the question"), 1)
        except typer.TyperException as exc:  # Click's usage errors
            ctx = getattr(exc, "ctx", None)
            if ctx is not None and exc.format_message() == ctx.get_help():  # a group called without a command
                typer.echo(ctx.get_help())
                return 0
            command = ctx.command_path if ctx is not None else "kbo"
            return _fail(
                translate(exc.format_message()),
                _("see '{command} --help'", command=command),
                getattr(exc, "exit_code", 2),
            )
        except BrokenPipeError:
            return _quiet_broken_pipe()
        except KeyboardInterrupt:
            return _fail(_("stopped: nothing was changed"), None, 130)
        except UnicodeEncodeError as exc:
            return _fail(
                _("the output cannot show some characters ({reason})", reason=exc.reason),
                _("set KBO_ENCODING=utf-8, or use -f csv"),
                1,
            )
        except OSError as exc:
            if exc.filename:
                return _fail(f"{exc.strerror or exc}: {exc.filename}", _("check the file or folder named"), 1)
            # no file named: the output itself (> /dev/full, a disk that filled up)
            return _fail(
                _("cannot write the output: {reason}", reason=exc.strerror or exc),
                _("check where the output goes: a full disk, a closed pipe"),
                1,
            )
        except Exception as exc:  # database driver errors: translated, never a traceback
            from kbo_cli.storage.db import is_driver_error, translate_error

            if is_driver_error(exc):
                err = translate_error(exc, run.target)
                return _fail(err.message, err.hint, err.exit_code)
            if os.environ.get("KBO_DEBUG", "") not in ("", "0"):  # the tests set it: a defect of kbo's own shows
                raise
            return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    """Anything else: most often a value another program wrote into the database in a form kbo cannot read
    (`kbo db check` finds those). Still one line, never a traceback; KBO_DEBUG=1 shows it."""
    detail = " ".join(str(exc).split())[:120]
    if isinstance(exc, ValueError | TypeError) and _raised_reading_a_row(exc):
        return _fail(
            _("a value stored in the database cannot be read ({detail})", detail=detail),
            _("run 'kbo db check': it names the table and column (another program may have written the value)"),
            1,
        )
    return _fail(
        _("kbo stopped on an unexpected problem: {kind}: {detail}", kind=type(exc).__name__, detail=detail),
        _("run 'kbo db check'; if it finds nothing, report this with the command (KBO_DEBUG=1 shows the details)"),
        1,
    )


def _raised_reading_a_row(exc: BaseException) -> bool:
    """Whether `exc` came from SQLAlchemy turning a stored value into Python (a date stored as `31/12/2569`)."""
    import traceback  # only when something went wrong

    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return any(f"{os.sep}sqlalchemy{os.sep}" in frame.filename for frame in frames)


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`kbo report gaps | head`): stop quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(AttributeError, OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def _flush_or_quiet() -> None:
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()


app = KboTyper(
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
        typer.Option(
            "--lang", envvar="KBO_LANG", help="Language of labels and messages: th (default) or en.", show_envvar=True
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show kbo's version.")
    ] = False,
) -> None:
    """Track OTOP products against the standards checklist."""
    set_language(DEFAULT_LANGUAGE if lang is None else lang)
    state(ctx).db = db


setup.register(app)
app.command("history")(history.history)
app.command("undo")(history.undo)
app.command("import")(transfer.import_)
app.command("export")(transfer.export)
app.command("select")(select)


def main() -> None:
    """The `kbo` program (the process's entry point, called once), with Python's collector of reference cycles
    set for a short-lived process.

    - It runs a tenth as often (every 10,000 new objects, not 700): a report of the national register makes
      millions of objects and almost no cycles, and its collections were a tenth of `report progress --since`.
    - What the program has loaded is set aside from it once a command opens its database (`open_session`).
    - What it has made is left to the process's end, unexamined: the collector's last passes over SQLAlchemy's
      and pydantic's objects as the interpreter shuts down took a quarter of a short command's time.
    """
    program.owns_collector = True
    gc.set_threshold(10_000, 10, 10)
    try:
        app()
    finally:
        gc.freeze()
