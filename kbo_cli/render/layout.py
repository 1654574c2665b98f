"""Fitting a table to the terminal: each column's width, and which columns a narrow terminal hides.

Columns that are not `wrap` show every value whole (codes, certificate numbers, dates, figures); `wrap`
columns may narrow down to their longest word (Thai words as ICU's dictionary finds them). Optional columns
are hidden, lowest priority first, before a wrapped column is squeezed below a comfortable width; only when
the key columns alone do not fit are wrapped ones narrowed further, to their longest word, then below it
(a long code or number cut between letters) before a key column is hidden. The caller says
which columns were hidden. Headers wrap between words rather than being cut. Pure arithmetic on cell
widths: nothing is drawn here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from kbo_cli.render.linebreak import longest_segment

#: a wrapped column never asks for more than this as its narrowest (a longer word is cut between letters)
WRAP_FLOOR_CAP = 24
#: where the key columns do not fit even with every word whole, a wrapped column's long words are cut down
#: to this width before any key column is hidden
CUT_FLOOR = 10
#: a wrapped column narrower than this reads badly: optional columns are hidden before one is squeezed below it
COMFORT = 16


@dataclass(frozen=True)
class Box:
    """What layout needs to know of one column."""

    header: str
    cells: Sequence[str]
    wrap: bool
    priority: int


@dataclass(frozen=True)
class Plan:
    widths: dict[int, int]  # column index -> width, for the columns shown, in order
    hidden: list[int]


def overhead(columns: int) -> int:
    """Cells a table spends beside its columns: one space of padding each side and a separator between."""
    return 3 * columns - 1 if columns else 0


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def plan(boxes: Sequence[Box], width: int | None) -> Plan:
    """Widths for the columns that fit in `width` cells (None: every column at its natural width)."""
    natural, floor, comfort, word = [], [], [], []
    for box in boxes:
        cells = max((_widest_line(c) for c in box.cells), default=0)
        head_word = longest_segment(box.header)
        natural.append(max(cells, cell_len(box.header), 1))
        word.append(max(max((longest_segment(c) for c in box.cells), default=0), head_word, 1))
        if box.wrap:
            floor.append(max(min(word[-1], WRAP_FLOOR_CAP), 1))
        else:
            floor.append(max(cells, head_word, 1))
        floor[-1] = min(floor[-1], natural[-1])
        comfort.append(min(natural[-1], max(floor[-1], COMFORT)) if box.wrap else floor[-1])
    shown = list(range(len(boxes)))
    if width is None:
        return Plan({i: natural[i] for i in shown}, [])

    def need(columns: list[int], widths: list[int] = floor) -> int:
        return sum(widths[i] for i in columns) + overhead(len(columns))

    hidden: list[int] = []
    while need(shown, comfort) > width:
        optional = [i for i in shown if boxes[i].priority > 1]
        if not optional:
            break
        drop = max(optional, key=lambda i: (boxes[i].priority, i))
        shown.remove(drop)
        hidden.append(drop)
    widths = {i: floor[i] for i in shown}
    spare = width - need(shown)
    if spare < 0:  # the key columns do not fit: let values break between their words, then inside their
        # longest words (a long code on two lines), and only then hide some: a value cut is still there to read
        for i in sorted(shown, key=lambda i: -widths[i]):
            give = min(-spare, widths[i] - min(word[i], widths[i]))
            if give > 0:
                widths[i] -= give
                spare += give
        while spare < 0:  # a cell at a time from the widest, so that no one column's words are all cut
            cuttable = [i for i in shown if boxes[i].wrap and widths[i] > CUT_FLOOR]
            if not cuttable:
                break
            widths[max(cuttable, key=lambda i: (widths[i], -i))] -= 1
            spare += 1
        while spare < 0 and len(shown) > 1:
            drop = shown.pop()
            hidden.append(drop)
            spare += widths.pop(drop) + 3
        return Plan(widths, sorted(hidden))
    # widen the narrowest column that wants more, one cell at a time: text first, then headers that wrap
    for wanted in ([i for i in shown if boxes[i].wrap], shown):
        while spare > 0:
            short = [i for i in wanted if widths[i] < natural[i]]
            if not short:
                break
            widths[min(short, key=lambda i: (widths[i], i))] += 1
            spare -= 1
    return Plan(widths, sorted(hidden))
