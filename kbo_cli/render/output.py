"""The output formats: `render(listing, fmt)` is the one entry for every list and report: a width-aware
table for people, JSON or CSV for programs, or a printable HTML page; `emit_object` and `key_values` for
`show` commands. Where the output goes, and in which characters, is `streams`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from kbo_cli.render import machine as writers
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format
from kbo_cli.render.streams import console_print, terminal_width
from kbo_cli.render.values import machine, safe


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
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from kbo_cli.render.linebreak import wrap

    pairs = [(label, value) for label, value in pairs]
    width = terminal_width()  # None: a file or a pipe, where the block is whole, as tables are
    label_width = max((cell_len(label) for label, _v in pairs), default=0)
    room = max(width - label_width - 4, 20) if width else None
    title_width = cell_len(safe(title)) if title else 0  # a title wraps to its table's width: at least its own
    table = Table(
        title=title and safe(title),
        box=box.SIMPLE,
        show_header=False,
        title_justify="left",
        show_edge=False,
        min_width=min(title_width, width) if width else title_width,
    )
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True, overflow="fold")
    widest = 0
    for label, value in pairs:
        if isinstance(value, str):
            lines = wrap(safe(value), room) if room else safe(value).split("\n")
            widest = max(widest, *(cell_len(line) for line in lines))
            value = Text("\n".join(lines))
        table.add_row(Text(label), value)
    # a file's block as wide as its longest line (rich would squeeze it into 80 columns, cutting labels)
    console_print(table, width=width or max(label_width + widest + 5, title_width, 20))  # 2 pads each, 1 rule
