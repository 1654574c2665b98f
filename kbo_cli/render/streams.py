"""The standard streams: data on stdout, messages on stderr, in any encoding.

Output that is redirected to a file or a pipe is written in UTF-8 whatever the system's code page (a Thai
Windows machine would otherwise use cp874, which has no box-drawing characters); `KBO_ENCODING` picks another
encoding, and then characters it lacks become `?` and tables use plain ASCII borders and symbols
(`values.symbols`). A terminal keeps its own encoding, with the same fallbacks.
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import TYPE_CHECKING, Any

from kbo_cli.errors import KboError
from kbo_cli.i18n import _
from kbo_cli.render.values import output_encoding, safe

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def _is_utf(encoding: str | None) -> bool:
    return codecs.lookup(encoding or "ascii").name.startswith("utf")


def configure_streams() -> None:
    """Make stdout and stderr able to write anything: see the module's docstring.

    An encoding asked for (`KBO_ENCODING`, or Python's own `PYTHONIOENCODING`) is kept, characters it lacks
    replaced; only a code page nobody chose (a Windows locale's) gives way to UTF-8 for redirected output.
    """
    chosen = os.environ.get("KBO_ENCODING", "").strip()
    asked = bool(chosen or os.environ.get("PYTHONIOENCODING", "").strip())
    if chosen:
        try:
            codecs.lookup(chosen)
        except LookupError:
            raise KboError(
                _("unknown encoding '{name}' in KBO_ENCODING", name=chosen),
                _("use utf-8, or cp874 for the Thai Windows code page"),
            ) from None
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        if chosen:
            stream.reconfigure(encoding=chosen, errors="replace")
        elif not _is_utf(getattr(stream, "encoding", None)):
            if asked or _isatty(stream):
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")
    if sys.stdout is not None and not _can_write_thai():
        warn(
            _(
                "the output encoding {name} has no Thai letters: they are written as '?'; set KBO_ENCODING=utf-8",
                name=output_encoding(),
            )
        )


def _can_write_thai() -> bool:
    try:
        "ก".encode(output_encoding())
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def stdout_is_terminal() -> bool:
    return _isatty(sys.stdout)


def stdout(width: int | None = None) -> Console:
    """A console on standard output (made for each use: nothing of one output is left for the next)."""
    from rich.console import Console  # rich loads only when something is printed: `kbo --help` stays fast

    return Console(soft_wrap=False, width=width, safe_box=True, emoji=False, highlight=False)


def stderr() -> Console:
    from rich.console import Console  # (see stdout)

    return Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)


def terminal_width() -> int | None:
    """The width to fit tables in, or None when output goes to a file or pipe (tables are then whole)."""
    if os.environ.get("COLUMNS", "").strip().isdigit():
        return int(os.environ["COLUMNS"])
    if not stdout_is_terminal():
        return None
    return stdout().width


def message(text: str, style: str | None = None, *, wrap: bool = False) -> None:
    """A message for the user (never data): goes to stderr. `wrap`: in a terminal, wrapped between words (Thai
    too) rather than cut by the terminal mid-word; for prose, such as the notes under a table (a message
    holding a file's path is left whole: ICU would break the path after a '/')."""
    console, text = stderr(), safe(text)
    if wrap and console.is_terminal and len(text) > console.width // 2:  # (a cheap test before measuring it)
        from rich.cells import cell_len

        if cell_len(text) > console.width:
            from kbo_cli.render import linebreak  # icu4py: only for a message longer than a line

            text = "\n".join(linebreak.wrap(text, console.width))
    console.print(text, style=style, markup=False, highlight=False)


def warn(text: str) -> None:
    message(_("Warning: {text}", text=text), style="yellow")


def console_print(renderable: RenderableType, *, width: int | None = None) -> None:
    """Print to stdout; a stdout closed by the shell is an error, not a traceback."""
    if sys.stdout is None:
        raise KboError(
            _("there is nowhere to write the output: standard output is closed"),
            _("run kbo with its output going to the terminal, a file or a pipe"),
        )
    stdout(width).print(renderable)


def blank_line() -> None:
    console_print("")
