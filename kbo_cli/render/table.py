"""Tables for people: every value the command exists for shown whole, Thai wrapped only between words.

The layout (`render.layout`) decides each column's width for the terminal; cells are wrapped here with
ICU's line breaker and handed to rich already wrapped, so rich only draws. Columns a narrow terminal
cannot hold are named on stderr, with how to see everything.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from kbo_cli.i18n import _
from kbo_cli.render.columns import Col, Kind, Listing
from kbo_cli.render.layout import Box, overhead, plan
from kbo_cli.render.linebreak import wrap
from kbo_cli.render.streams import console_print, message
from kbo_cli.render.values import human, symbols

BAR_WIDTH = 8
#: the most rows a table draws: a terminal is no place for the national register's 200,000 products (drawing
#: them takes minutes); beyond it the table says how many there are and how to get them all
TABLE_ROWS = 2000


def percent_bar(value: float | None) -> str:
    """` 62.5% █████░░░`: a percentage and a bar, on one line."""
    if value is None:
        return "–"
    sym = symbols()
    filled = round(max(0.0, min(value, 100.0)) / 100 * BAR_WIDTH)
    return f"{value:5.1f}% " + sym.bar_full * filled + sym.bar_empty * (BAR_WIDTH - filled)


def percent_style(value: float | None) -> str:
    if value is None:
        return "dim"
    return "green" if value >= 80 else "yellow" if value >= 40 else "red"


def _text(col: Col, value: Any) -> str:
    if col.kind is Kind.PERCENT and col.show is None:
        return percent_bar(value)
    return human(col, value)


def _style(col: Col, value: Any, row: Any) -> str | None:
    if col.style is not None:
        return col.style(value, row)
    if col.kind is Kind.PERCENT:
        return percent_style(value)
    return None


def print_table(listing: Listing, *, width: int | None) -> int:
    """Draw the listing; returns the number of rows."""
    columns = listing.table_columns()
    remaining = iter(listing.rows)
    rows = list(islice(remaining, TABLE_ROWS))
    if not rows:
        message(listing.empty or _("Nothing to show."))
        return 0
    # the rows not drawn still count in the totals and in the note
    rest = list(remaining) if listing.totals else None
    more = len(rest) if rest is not None else sum(1 for _row in remaining)
    values = [[col.get(row) for col in columns] for row in rows]
    texts = [[_text(col, v) for col, v in zip(columns, line, strict=True)] for line in values]
    _blank_repeats(columns, texts, listing.group_by)
    totals = listing.totals(rows + (rest or [])) if listing.totals else None
    footer = [_text(col, totals.get(col.key)) if totals else "" for col in columns]
    # a column with nothing in it says nothing: leave it out
    used = [i for i, col in enumerate(columns) if any(t[i] for t in texts) or (totals and footer[i])]
    headers = [_(columns[i].header) for i in used]
    boxes = [
        Box(headers[n], [t[i] for t in texts] + [footer[i]], columns[i].wrap, columns[i].priority)
        for n, i in enumerate(used)
    ]
    layout = plan(boxes, width)
    shown = [(used[n], w) for n, w in layout.widths.items()]
    table = Table(
        title=listing.title or None,
        title_justify="left",
        box=box.SIMPLE_HEAVY,
        show_edge=False,
        show_footer=totals is not None,
        title_style="bold",
    )
    for i, w in shown:
        col = columns[i]
        table.add_column(
            Text("\n".join(wrap(_(col.header), w))),
            width=w,
            no_wrap=True,
            overflow="fold",
            justify="right" if col.right else "left",
            footer=Text("\n".join(wrap(footer[i], w)), style="bold") if totals is not None else "",
        )
    for row, line, vals in zip(rows, texts, values, strict=True):
        cells = [Text("\n".join(wrap(line[i], w)), style=_style(columns[i], vals[i], row) or "") for i, w in shown]
        table.add_row(*cells, style=listing.row_style(row) if listing.row_style else None)
    need = sum(w for _i, w in shown) + overhead(len(shown))
    console_print(table, width=max(need, cell_len(listing.title or "")) if width is None else width)
    if layout.hidden:
        names = ", ".join(headers[n] for n in layout.hidden)
        message(
            _(
                "Hidden to fit {width} columns: {names} (see everything with --wide or -f csv)",
                width=width,
                names=names,
            ),
            style="dim",
            wrap=True,
        )
    if more:
        message(
            _(
                "Showing the first {shown} of {total} rows: narrow the list (see --help for its filters), "
                "or get them all with -f csv or -f html",
                shown=f"{len(rows):,}",
                total=f"{len(rows) + more:,}",
            ),
            style="bold",
            wrap=True,
        )
    notes = [listing.count_note(len(rows) + more)] if listing.count_note else []
    for note in (*notes, *listing.notes):
        message(note, wrap=True)
    return len(rows) + more


def _blank_repeats(columns: list[Col], texts: list[list[str]], group_by: tuple[str, ...]) -> None:
    """Show a group's values on its first row only (each key counts only while the keys before it repeat)."""
    if not group_by:
        return
    index = {col.key: i for i, col in enumerate(columns)}
    keys = [index[k] for k in group_by if k in index]
    previous: list[str] | None = None
    for line in texts:
        current = [line[i] for i in keys]
        if previous is not None:
            for n, i in enumerate(keys):
                if current[: n + 1] == previous[: n + 1]:
                    line[i] = ""
        previous = current
