"""Where output goes and in which characters: data on stdout, messages on stderr, any encoding.

`render(listing, fmt)` is the one entry for every list and report: a width-aware table for people, JSON or
CSV for programs, or a printable HTML page. Output that is redirected to a file or a pipe is written in
UTF-8 whatever the system's code page (a Thai Windows machine would otherwise use cp874, which has no
box-drawing characters); `KBO_ENCODING` picks another encoding, and then characters it lacks become `?`
and tables use plain ASCII borders and symbols. A terminal keeps its own encoding, with the same
fallbacks.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kbo_cli.errors import KboError
from kbo_cli.i18n import _
from kbo_cli.render import machine as writers
from kbo_cli.render.columns import Listing
from kbo_cli.render.values import machine, safe

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


@dataclass(frozen=True)
class Symbols:
    check: str
    star: str
    no_star: str
    bar_full: str
    bar_empty: str


UNICODE = Symbols("✓", "★", "☆", "█", "░")
ASCII = Symbols("x", "*", ".", "#", "-")


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
                name=_encoding(),
            )
        )


def _can_write_thai() -> bool:
    try:
        "ก".encode(_encoding())
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def symbols() -> Symbols:
    """The symbols tables use: Unicode where the output can carry it, ASCII otherwise."""
    try:
        "".join((*UNICODE.__dict__.values(), "━")).encode(_encoding())
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return UNICODE


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


def render(listing: Listing, fmt: Format, *, wide: bool = False) -> int:
    """Write a listing in the chosen format; returns how many rows were written."""
    if fmt is Format.json:
        return writers.write_json(listing, sys.stdout)
    if fmt is Format.csv:
        return writers.write_csv(listing, sys.stdout)
    if fmt is Format.html:
        from kbo_cli.render.html import listing_page  # jinja2, icu4py, rich: only when a page is made

        rows = list(listing.rows)
        listing.rows = rows
        sys.stdout.write(listing_page(listing))
        return len(rows)
    from kbo_cli.render.table import print_table  # rich and icu4py: only when a table is printed

    return print_table(listing, width=None if wide else terminal_width())


def emit_object(obj: Mapping[str, Any]) -> None:
    """A single JSON object (for `show` commands)."""
    json.dump(_jsonable(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return machine(value)


def key_values(pairs: Iterable[tuple[str, Any]], *, title: str | None = None) -> None:
    """A two-column block of label/value pairs (for `show` commands); values wrap between words."""
    # rich and icu4py load only when something is shown, off the path of `kbo --help`
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from kbo_cli.render.linebreak import wrap

    pairs = [(label, value) for label, value in pairs]
    width = terminal_width() or 120
    label_width = max((len(label) for label, _v in pairs), default=0)
    room = max(width - label_width - 4, 20)
    table = Table(title=title and safe(title), box=box.SIMPLE, show_header=False, title_justify="left", show_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True, overflow="fold")
    for label, value in pairs:
        if isinstance(value, str):
            value = Text("\n".join(wrap(safe(value), room)))
        table.add_row(Text(label), value)
    console_print(table)


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
