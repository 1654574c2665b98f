"""Screens: every list and report as an officer sees it, at 80, 100 and 120 columns, in Thai and English.

Each command of `SCREENS` runs against the demo network (loaded once for the module, then only read) and
its table is read back from the screen. One test per command, language and width (ids like
`plan-list-th-80`) checks the four rules of issue 12:

1. Whole values. The key values of every row, taken from the same command's `-f json` and written as
   people read them (labels, dates, `42.9%`), appear in full, as whole words and in row order, in one
   column of the screen; a value may be missing only where it repeats the row above (a group's name is
   shown on its first row). Where the printable page (`-f html`) has the same table, every cell of
   every shown column is checked too, row by row (see below).
2. Nothing cut, nothing dropped silently. No header and no cell ends in "…", and every column of the
   page that the screen does not show is named in the "Hidden to fit ..." line on stderr, or has no
   value in any row (kbo leaves such columns out by design). Columns the page does not have are
   machine-only by design (`Col(table=False)`); table-only ones (`machine=False`) are on the page.
3. Thai breaks between words. Every line break inside a cell falls on an ICU line-break boundary of
   the cell's text (`kbo_cli.render.linebreak.segments`): never between a consonant and its vowels or
   tone marks, never after a leading vowel (เ แ โ ใ ไ). Every wrapped line of every block is also
   checked for those two faults directly.
4. Lines fit: no line of stdout is wider than COLUMNS (`rich.cells.cell_len`).

How a table is read back: stdout is cut into blocks (a block starts at a title line, which begins in
the first column; table lines begin with a space). A block with a `━` rule is a table: header lines
above the rule, body below, footer after a second rule; a block without one is a key-value block
(`show` commands). rich separates columns by at least three blank cells (padding, separator,
padding), so a column's extent is a run of cells that hold ink on some line, split where three or more
cells are blank on every line. Positions are terminal cells (`cell_len`: Thai marks take none). A
column's text is its fragments top to bottom with all whitespace removed, so that a value wrapped over
several lines (at a space or between Thai words) is found contiguous; the line each character came
from tells where the value was broken. A screen column is matched to the page's column by its header
(its lines joined), and the page's rows are then read off the screen in order: in each shown column a
row's cell must start on the row's first line (rich aligns cells to the top) and be the column's next
text (a percentage's bar may follow it), or that line must be blank and the cell repeat the row above.
A row is as tall as its tallest cell.

Adding a command is one line in `SCREENS`. The other tests: the printable pages' break hints (only
at ICU boundaries, and present where a Thai cell may wrap), output redirected under a code page that
cannot hold Thai (`PYTHONIOENCODING`) or chosen with `KBO_ENCODING`, and Click's usage errors in Thai.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from kbo_cli.i18n import set_language
from kbo_cli.render.linebreak import segments
from kbo_cli.thai.dates import MONTHS_SHORT

from conftest import Run, run_kbo


@dataclass(frozen=True)
class Screen:
    """A command to look at, and the JSON keys holding the values it exists for.

    `keys` are JSON keys separated by spaces, each optionally `key:how` (see `HOW`); `a.b` takes `b` of
    each element of the list `a` (a product's findings). `rows` is where the rows are in the JSON:
    None for a list, a key for a list inside an object, "." for one object. `page` says whether
    `-f html` prints the same table (not so for `show` commands, which print key-value blocks).
    """

    command: str
    keys: str
    rows: str | None = None
    page: bool = True

    @property
    def id(self) -> str:
        return self.command.replace(" ", "-")


SCREENS = [
    Screen("group list", "code name district subdistrict products"),
    Screen("product list", "code name group_code certified percent:%"),
    Screen("standards list", "mark:mark name"),
    Screen("checklist show NPM05-01", "standard:mark required:level status:Status", rows="entries"),
    Screen("checklist show NPM02-01", "standard:mark status:Status certificate_no expires_on:date", rows="entries"),
    Screen("checklist show NPM04-01", "standard:mark status:Status certificate_no expires_on:date", rows="entries"),
    Screen("report gaps", "group_code group_name product_code product_name standard:mark status:Standing"),
    Screen("report progress", "group_code group_name certified gaps percent:%"),
    Screen("report expiring", "product_code standard:mark certificate_no expires_on:date"),
    Screen("report candidates", "rank product_code product_name score:num"),
    Screen("report unvisited", "product_code product_name last_visit:date days_since"),
    Screen("report round 2567", "role:Role rank product_code score:num reason"),
    Screen("finding list", "id product_code kind:FindingKind text"),
    Screen("plan list", "id product_code action agency:agency due_on:date status:ActionStatus"),
    Screen("visit list", "id visited_on:date group_code found next_steps"),
    Screen("opc list", "product_code year total:num stars:stars"),
    Screen("opc rounds", "year parts stars legal_standards"),
    Screen("report scores --year 2569", "product_code product_name judge total:num mean:num status:CommitteeStatus"),
    Screen("committee list 2569", "name agency:agency title scored"),
    Screen("history", "command"),
    Screen("db status", "key value:text"),
    Screen(
        "product show NPM01-01",
        "code name percent:% findings.text plans.action visits.found opc_scores.total:num",
        rows=".",
        page=False,
    ),
    Screen("group show NPM02", "code name district subdistrict contact phone", rows=".", page=False),
]

WIDTHS = (80, 100, 120)
LANGS = ("th", "en")

#: characters a percentage's bar adds after the figure
BAR = "█░"
#: three blank cells or more on every line separate two columns
GUTTER = 3
LEADING_VOWELS = "เแโใไ"
FOLLOWING_VOWELS = "ะาำๅ"
ENGLISH_CLICK = (
    "Missing argument",
    "Value error",  # pydantic's, where Typer checks a choice with it
    "Got unexpected",
    "No such option",
    "Invalid value",
    "Did you mean",
    "Possible options",
    "Usage:",
    "Error:",
    "Try '",
)


# --- running kbo -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, demo_sqlite: Path) -> Path:
    """The demo network in a SQLite file (loaded once per session: conftest.py); the tests only read it."""
    db = tmp_path_factory.mktemp("screens") / "demo.db"
    shutil.copyfile(demo_sqlite, db)
    return db


def kbo(db: Path, lang: str | None, command: str, *extra: str) -> Run:
    """`kbo --db DB [--lang LANG] COMMAND...` in this process (COLUMNS as the test set it)."""
    argv = ["--db", str(db), *(["--lang", lang] if lang else []), *shlex.split(command), *extra]
    result = run_kbo(argv)
    if result.exception is not None:
        raise result.exception
    return result


@pytest.fixture(scope="module")
def machine(demo_db: Path) -> Callable[[str, str, str], Any]:
    """The command's `-f json` (parsed) or `-f html` (text) in a language, computed once per module."""

    @cache
    def get(command: str, lang: str, fmt: str) -> Any:
        run = kbo(demo_db, lang, command, "-f", fmt)
        assert run.exit_code == 0, f"kbo {command} -f {fmt}: {run.stderr}"
        return json.loads(run.stdout) if fmt == "json" else run.stdout

    return get


# --- key values as people read them --------------------------------------------------------------


def _decimal(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _date(value: str, lang: str) -> str:
    day = date.fromisoformat(value)
    return f"{day.day} {MONTHS_SHORT[day.month - 1]} {day.year + 543}" if lang == "th" else day.isoformat()


def _term(kind: str) -> Callable[[Any, str], str]:
    def label(value: Any, _lang: str) -> str:
        import kbo_cli.vocab as vocab

        return str(getattr(vocab, kind)(value).label)

    return label


def _shown(how: str) -> Callable[[Any, str], str]:
    def show(value: Any, _lang: str) -> str:
        from kbo_cli.domain import columns

        return {"mark": columns.standard_mark, "level": columns.level, "agency": columns.agency_short}[how](value)

    return show


#: how a JSON value is written on the screen, by the tag after its key
HOW: dict[str, Callable[[Any, str], str]] = {
    "": lambda v, _l: _decimal(v) if isinstance(v, float) else str(v),
    "text": lambda v, _l: str(v),
    "num": lambda v, _l: _decimal(v),
    "%": lambda v, _l: f"{v:.1f}%",
    "date": _date,
    "stars": lambda v, _l: "★" * v + "☆" * (5 - v),
    "json": lambda v, _l: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False),
    **{tag: _shown(tag) for tag in ("mark", "level", "agency")},
    **{kind: _term(kind) for kind in ("Status", "Standing", "FindingKind", "ActionStatus", "Role", "CommitteeStatus")},
}


def key_values(screen: Screen, data: Any, lang: str) -> dict[str, list[str]]:
    """Each key's values, row by row, as the screen writes them ("" where there is none)."""
    rows = data if screen.rows is None else [data] if screen.rows == "." else data[screen.rows]
    set_language(lang)
    out: dict[str, list[str]] = {}
    for spec in screen.keys.split():
        key, _sep, how = spec.partition(":")
        path = key.split(".")
        values = [row[path[0]] for row in rows]
        if len(path) == 2:
            values = [item[path[1]] for value in values for item in value]
        out[key] = ["" if v is None else HOW[how](v, lang) for v in values]
    return out


# --- reading a screen back -------------------------------------------------------------------------


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unhinted(text))


def placed(line: str) -> list[tuple[int, str]]:
    """Each character of a line with the terminal cell it starts at (a combining mark: its base's)."""
    out: list[tuple[int, str]] = []
    x = 0
    for ch in line:
        width = cell_len(ch)
        out.append((out[-1][0] if width == 0 and out else x, ch))
        x += width
    return out


def extents(lines: list[str]) -> list[tuple[int, int]]:
    """The columns' cell ranges: runs of ink split by GUTTER blank cells or more on every line."""
    ink: set[int] = set()
    for line in lines:
        for x, ch in placed(line):
            if not ch.isspace():
                ink.update(range(x, x + max(cell_len(ch), 1)))
    spans: list[tuple[int, int]] = []
    for x in sorted(ink):
        if spans and x - spans[-1][1] < GUTTER:
            spans[-1] = (spans[-1][0], x + 1)
        else:
            spans.append((x, x + 1))
    return spans


def cut(line: str, span: tuple[int, int]) -> str:
    return "".join(ch for x, ch in placed(line) if span[0] <= x < span[1]).strip()


@dataclass
class Column:
    header: str
    fragments: list[str]  # one per body line ("" where the column is blank)
    numbers: list[int]  # the stdout line number of each fragment
    span: tuple[int, int]  # the terminal cells it occupies
    stream: str = ""  # the fragments joined, without whitespace
    owner: list[int] = field(default_factory=list)  # for each character of stream: its fragment
    starts: set[int] = field(default_factory=set)  # stream positions that begin a word (or a line)
    ends: set[int] = field(default_factory=set)  # stream positions that end one

    def __post_init__(self) -> None:
        for i, fragment in enumerate(self.fragments):
            padded = f" {fragment} "
            for n, ch in enumerate(fragment, 1):
                if ch.isspace():
                    continue
                if padded[n - 1].isspace():
                    self.starts.add(len(self.stream))
                self.stream += ch
                self.owner.append(i)
                if padded[n + 1].isspace():
                    self.ends.add(len(self.stream))

    @property
    def name(self) -> str:
        return repr(self.header) if self.header else f"at cells {self.span[0]}-{self.span[1] - 1}"

    def cuts(self, start: int, end: int) -> list[int]:
        """Where a value at stream[start:end] goes to a new line (offsets into the value)."""
        return [p - start for p in range(start + 1, end) if self.owner[p] != self.owner[p - 1]]

    def lines(self, start: int, end: int) -> list[str]:
        first, last = self.owner[start], self.owner[max(end - 1, start)]
        return self.fragments[first : last + 1]


@dataclass
class Block:
    title: list[str] = field(default_factory=list)
    sections: list[list[tuple[int, str]]] = field(default_factory=lambda: [[]])  # header / body / footer

    @property
    def is_table(self) -> bool:
        return len(self.sections) > 1

    def columns(self) -> tuple[list[Column], list[tuple[int, str]]]:
        """The columns (header, body fragments) and the footer's lines."""
        header, body, footer = [*self.sections, [], []][:3] if self.is_table else ([], self.sections[0], [])
        spans = extents([line for _n, line in header + body + footer])
        cols = [
            Column(
                " ".join(f for f in (cut(line, s) for _n, line in header) if f),
                [cut(line, s) for _n, line in body],
                [n for n, _line in body],
                s,
            )
            for s in spans
        ]
        return cols, footer


def is_rule(line: str) -> bool:
    return bool(line.strip()) and set(line.strip()) <= set("━")


def blocks(stdout: str) -> list[Block]:
    """stdout cut into titled blocks; a block's lines are split into sections at its rules."""
    found: list[Block] = []
    for number, line in enumerate(stdout.splitlines(), 1):
        if not line.strip():
            continue
        if is_rule(line):
            if not found:
                found.append(Block())
            found[-1].sections.append([])
        elif not line[0].isspace():
            if not found or any(found[-1].sections):
                found.append(Block())
            found[-1].title.append(line.strip())
        else:
            if not found:
                found.append(Block())
            found[-1].sections[-1].append((number, line))
    return found


class Page(html.parser.HTMLParser):
    """The table of a printable page: header texts, each row's cell texts (break hints kept), and the
    class of each body cell (`code` and `num` cells do not wrap)."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.classes: list[list[str]] = []
        self.footer: list[str] = []
        self.style = ""
        self._cell: list[str] | None = None
        self._part = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.rows.append([])
            self.classes.append([])
        elif tag in ("th", "td"):
            self._cell = []
            if self._part == "tbody":
                self.classes[-1].append(dict(attrs).get("class") or "")
        elif tag == "style":
            self._in_style = True
        elif tag == "wbr" and self._cell is not None:  # a break opportunity: kept as a zero-width space
            self._cell.append(HINT)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            {"thead": self.headers, "tfoot": self.footer, "tbody": self.rows[-1] if self.rows else []}.get(
                self._part, []
            ).append(text)
            self._cell = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_style:
            self.style += data


#: a page's `<wbr>`, as `Page` keeps it in a cell's text
HINT = "\u200b"


def unhinted(text: str) -> str:
    return text.replace(HINT, "")


def parse_page(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


# --- the rules -------------------------------------------------------------------------------------


def boundaries(text: str) -> set[int]:
    """ICU's line-break opportunities of `text`, as offsets into its whitespace-free form."""
    out, at = {0}, 0
    for piece in segments(text):
        at += len(norm(piece))
        out.add(at)
    return out


def misplaced_breaks(text: str, cuts: list[int]) -> list[int]:
    return [c for c in cuts if c not in boundaries(text)]


def thai_faults(fragment: str, following: str | None) -> str | None:
    """What is wrong with a wrapped line of a cell and the line under it, if anything."""
    if fragment and fragment[-1] in LEADING_VOWELS:
        return f"line ends in the leading vowel {fragment[-1]!r}"
    if following and (unicodedata.category(following[0]) == "Mn" or following[0] in FOLLOWING_VOWELS):
        return f"next line starts with {following[0]!r}, which belongs to the letter before it"
    return None


HIDDEN = "Hidden to fit {width} columns: {names} (see everything with --wide or -f csv)"


def hidden_columns(stderr: str, lang: str) -> list[str]:
    """The column names of the "Hidden to fit ..." line (its wording from the catalogue)."""
    from kbo_cli.i18n import _

    set_language(lang)
    template = re.escape(_(HIDDEN)).replace(re.escape("{width}"), r"\d+").replace(re.escape("{names}"), "(.+)")
    names = [m.group(1) for m in re.finditer(template, stderr)]
    return [name.strip() for found in names for name in found.split(", ")]


def show_lines(screen: str, numbers: list[int]) -> str:
    lines = screen.splitlines()
    return "\n".join(f"    {n:4}| {lines[n - 1]}" for n in sorted(set(numbers)) if 0 < n <= len(lines))


def find_word(column: Column, text: str, at: int) -> int:
    """Where `text` is next in the column from `at`, as whole words (not `2` inside `NPM02`); -1 if not."""
    found = column.stream.find(text, at)
    while found >= 0 and (found not in column.starts or found + len(text) not in column.ends):
        found = column.stream.find(text, found + 1)
    return found


def locate(column: Column, values: list[str]) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Find each value in the column in row order: its spans, and the values not found."""
    spans, missing, at, previous = [], [], 0, None
    for value in values:
        text = norm(value)
        if not text:
            continue
        found = find_word(column, text, at)
        if found >= 0:
            spans.append((value, found, found + len(text)))
            at = found + len(text)
        elif text != previous:  # a repeat of the row above may be left blank
            missing.append(value)
        previous = text
    return spans, missing


@dataclass
class Cell:
    column: Column
    row: int
    text: str
    start: int  # where it is in the column's stream
    end: int


def walk(columns: dict[int, Column], rows: list[list[str]]) -> tuple[list[Cell], list[str]]:
    """Read the page's rows off the screen, row by row: in each shown column a row's cell must start
    on the row's first line (rich aligns cells to the top) and come next in the column (after a
    percentage's bar), or that line must be blank there and the text repeat the row above (a group's
    name is shown once). A row ends with its tallest cell. Returns the cells found and what went wrong
    (the first fault of each column)."""
    cells: list[Cell] = []
    problems: list[str] = []
    at = dict.fromkeys(columns, 0)
    previous: dict[int, str | None] = dict.fromkeys(columns)
    line = 0
    for row, values in enumerate(rows):
        height = 1
        for index, col in columns.items():
            text, plain = norm(values[index]), unhinted(values[index])
            seen, previous[index] = previous[index], text
            if at[index] < 0 or not text:
                continue
            while at[index] < len(col.stream) and col.stream[at[index]] in BAR:
                at[index] += 1
            here = at[index] < len(col.stream) and col.owner[at[index]] == line
            if here and col.stream.startswith(text, at[index]):
                end = at[index] + len(text)
                cells.append(Cell(col, row, plain, at[index], end))
                height = max(height, col.owner[end - 1] - line + 1)
                at[index] = end
            elif not here and text == seen:
                continue  # a repeat of the row above, left blank
            else:
                where = col.numbers[line] if line < len(col.numbers) else "after the table"
                problems.append(
                    f"column {col.name}, row {row + 1} (line {where}): expected {plain!r}, the "
                    f"screen has {col.fragments[line] if line < len(col.fragments) else ''!r}"
                )
                at[index] = -1
        line += height
    for index, col in columns.items():
        rest = col.stream[at[index] :].strip(BAR) if at[index] >= 0 else ""
        if rest:
            problems.append(f"column {col.name}: the screen has {rest[:40]!r} after the last row")
    return cells, problems


@dataclass
class Findings:
    screen: str
    problems: list[str] = field(default_factory=list)

    def add(self, text: str, lines: list[int] = ()) -> None:  # type: ignore[assignment]
        problem = text + ("\n" + show_lines(self.screen, list(lines)) if lines else "")
        if problem not in self.problems:
            self.problems.append(problem)

    def check_breaks(self, column: Column, value: str, start: int, end: int) -> None:
        cuts = column.cuts(start, end)
        wrong = misplaced_breaks(value, cuts)
        if wrong:
            pieces = " / ".join(column.lines(start, end))
            self.add(
                f"column {column.name}: {value!r} broken inside a word ({pieces})",
                column.numbers[column.owner[start] : column.owner[end - 1] + 1],
            )


def check_cells(out: Findings, table: Block, page: Page, stderr: str, lang: str) -> None:
    """The screen's table against the page's: headers whole, each shown column's cells whole and in
    their rows, hidden columns named, totals shown."""
    cols, footer = table.columns()
    headers = {norm(h): i for i, h in enumerate(page.headers)}
    shown: dict[int, Column] = {}
    for col in cols:
        index = headers.get(norm(col.header))
        if index is None:
            out.add(
                f"header {col.header!r} is not a whole header of the page ({page.headers})",
                [n for n, _l in table.sections[0]],
            )
            continue
        shown[index] = col
    cells, problems = walk(shown, page.rows)
    for problem in problems:
        out.add(problem)
    for cell in cells:
        out.check_breaks(cell.column, cell.text, cell.start, cell.end)
    hidden = hidden_columns(stderr, lang)
    for i, header in enumerate(page.headers):
        if i in shown or unhinted(header) in hidden:
            continue
        if any(norm(row[i]) for row in page.rows):
            out.add(f"column {header!r} is neither shown nor named as hidden (hidden: {hidden}, stderr: {stderr!r})")
    if page.footer:
        if not footer:
            out.add("the totals row is missing")
        for index, col in shown.items():
            total = norm(" ".join(cut(line, col.span) for _n, line in footer))
            if norm(page.footer[index]) not in total:
                out.add(
                    f"column {col.name}: the total {page.footer[index]!r} is not shown whole ({total!r})",
                    [n for n, _l in footer],
                )


def look(screen: Screen, run: Run, width: int, lang: str, data: Any, page: Page | None) -> list[str]:
    """Every problem the four rules find on one screen."""
    out = Findings(run.stdout)
    # 4. lines fit
    for n, line in enumerate(run.stdout.splitlines(), 1):
        if cell_len(line) > width:
            out.add(f"line {n} is {cell_len(line)} cells wide", [n])
    found = blocks(run.stdout)
    tables = [b for b in found if b.is_table]
    every = [col for block in found for col in block.columns()[0]]
    # 2. nothing cut; 3. no Thai fault at any line break of any block
    for col in every:
        if col.header.endswith("…"):
            out.add(f"header {col.header!r} is cut")
        for i, fragment in enumerate(col.fragments):
            if fragment.endswith("…"):
                out.add(f"column {col.name}: a cell is cut", [col.numbers[i]])
            following = col.fragments[i + 1] if i + 1 < len(col.fragments) else None
            fault = thai_faults(fragment, following)
            if fault and fragment:
                out.add(f"column {col.name}: {fault}", col.numbers[i : i + 2])
    # 1. key values from JSON, whole and in order, in one column
    for key, values in key_values(screen, data, lang).items():
        values = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]  # a group's value shows once
        best: tuple[int, Column | None, list[Any], list[str]] = (10**9, None, [], [v for v in values if v])
        for col in every:
            spans, missing = locate(col, values)
            if len(missing) < best[0]:
                best = (len(missing), col, spans, missing)
        _count, col, spans, missing = best
        if missing:
            where = f" (closest: column {col.name})" if col else ""
            out.add(f"{key}: {len(missing)} value(s) not shown whole{where}: {missing[:5]}")
        if col is not None:
            for value, start, end in spans:
                out.check_breaks(col, value, start, end)
    # 1-3 for every cell, against the printable page's table
    if page is not None:
        assert len(tables) == 1, f"expected one table, found {len(tables)}"
        check_cells(out, tables[0], page, run.stderr, lang)
    return out.problems


def cases() -> Iterator[Any]:
    for screen in SCREENS:
        for lang in LANGS:
            for width in WIDTHS:
                yield pytest.param(screen, lang, width, id=f"{screen.id}-{lang}-{width}")


@pytest.mark.parametrize(("screen", "lang", "width"), list(cases()))
def test_screen(
    screen: Screen,
    lang: str,
    width: int,
    demo_db: Path,
    machine: Callable[[str, str, str], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    run = kbo(demo_db, lang, screen.command)
    assert run.exit_code == 0, run.stderr
    data = machine(screen.command, lang, "json")
    assert data, f"the demo network has nothing for `kbo {screen.command}` today: nothing to look at"
    page = parse_page(machine(screen.command, lang, "html")) if screen.page else None
    problems = look(screen, run, width, lang, data, page)
    assert not problems, (
        f"kbo --lang {lang} {screen.command} at COLUMNS={width}:\n"
        + "\n".join(problems[:25])
        + f"\n--- stdout ---\n{run.stdout}--- stderr ---\n{run.stderr}"
    )


# --- the printable page: Thai break hints only where ICU allows ---------------------------------------


def hint_problems(cell: str, *, needed: bool) -> list[str]:
    """What is wrong with the break hints of one Thai cell of the page: a hint where ICU sees no
    break, or (when `needed`) no hint at all in a Thai text ICU would break between words."""
    plain = unhinted(cell)
    hints, at = [], 0
    for ch in cell:
        if ch == HINT:
            hints.append(at)
        else:
            at += 1
    allowed, offset = set(), 0
    for piece in segments(plain):
        offset += len(piece)
        allowed.add(offset)
    problems = []
    wrong = [h for h in hints if h not in allowed]
    if wrong:
        problems.append(f"{plain!r}: hints at {wrong}, ICU breaks at {sorted(allowed)}")
    problems += [
        f"{plain!r}: the hint at {h} parts a letter from its vowel" for h in hints if thai_faults(plain[:h], plain[h:])
    ]
    between_words = [b for b in allowed if 0 < b < len(plain) and not plain[b - 1].isspace()]
    if needed and between_words and not hints:
        problems.append(f"{plain!r}: no break hint, so a browser (word-break: keep-all) cannot wrap it")
    return problems


def thai_cells(cells: list[str]) -> list[str]:
    return [cell for cell in cells if re.search("[\u0e00-\u0e7f]", cell)]


PAGES = [pytest.param(s, lang, id=f"{s.id}-{lang}") for s in SCREENS if s.page for lang in LANGS]


@pytest.mark.parametrize(("screen", "lang"), PAGES)
def test_html_cells_break_between_words(screen: Screen, lang: str, machine: Callable[[str, str, str], Any]) -> None:
    """Body cells that may wrap (not the `code` and `num` ones, which the page keeps on one line)."""
    page = parse_page(machine(screen.command, lang, "html"))
    assert "word-break: keep-all" in page.style
    assert page.rows, "the page has no rows"
    problems = []
    for cells, classes in zip(page.rows, page.classes, strict=True):
        for cell, cls in zip(cells, classes, strict=True):
            if thai_cells([cell]):
                problems += hint_problems(cell, needed=cls not in ("code", "num"))
    assert not problems, "\n".join(problems[:25])


def test_summary_page_breaks_between_words(demo_db: Path, tmp_path: Path) -> None:
    """`kbo report summary` writes a page of its own (two tables): the same rule for its cells."""
    out = tmp_path / "summary.html"
    run = kbo(demo_db, None, "report summary --out", str(out))
    assert run.exit_code == 0, run.stderr
    page = parse_page(out.read_text(encoding="utf-8"))
    assert "word-break: keep-all" in page.style and page.rows
    problems = [
        p
        for cells, classes in zip(page.rows, page.classes, strict=True)
        for cell, cls in zip(cells, classes, strict=True)
        if thai_cells([cell])
        for p in hint_problems(cell, needed=cls not in ("code", "num"))
    ]
    assert not problems, "\n".join(problems[:25])


def test_html_headers_break_between_words(machine: Callable[[str, str, str], Any]) -> None:
    """The Thai headers of every page (one test: they come from one catalogue)."""
    problems = {
        p
        for screen in SCREENS
        if screen.page
        for cell in thai_cells(parse_page(machine(screen.command, "th", "html")).headers)
        for p in hint_problems(cell, needed=True)
    }
    assert not problems, "\n".join(sorted(problems))


# --- output where the encoding is not UTF-8 --------------------------------------------------------


def run_redirected(db: Path, command: str, tmp_path: Path, **env: str) -> tuple[int, bytes, str]:
    """kbo in a real process, its stdout redirected to a file (not a terminal, no COLUMNS)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PYTHONIOENCODING")}
    out = tmp_path / "out.txt"
    with out.open("wb") as stdout:
        proc = subprocess.run(
            [sys.executable, "-m", "kbo_cli", "--db", str(db), *command.split()],
            stdout=stdout,
            stderr=subprocess.PIPE,
            env={**environ, **env},
            timeout=60,
            check=False,
        )
    return proc.returncode, out.read_bytes(), proc.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("encoding", ["cp874", "ascii"])
@pytest.mark.parametrize("command", ["report progress", "report gaps"])
def test_an_encoding_asked_for_is_kept_and_never_crashes(
    command: str, encoding: str, demo_db: Path, machine: Callable[[str, str, str], Any], tmp_path: Path
) -> None:
    """PYTHONIOENCODING chosen by the user is honoured: cp874 keeps the Thai (ASCII borders), ascii writes '?'
    for what it lacks and says so on stderr; never a traceback."""
    code, out, err = run_redirected(demo_db, command, tmp_path, PYTHONIOENCODING=encoding)
    assert code == 0, err
    assert "Traceback" not in err and "Error" not in err, err
    text = out.decode(encoding)
    if encoding == "cp874":
        for name in {row["group_name"] for row in machine(command, "th", "json")}:
            assert name in text, f"{name} not in the redirected output"
    else:
        assert "KBO_ENCODING=utf-8" in err  # the warning says how to get the Thai


def test_redirected_output_is_utf8_when_nobody_chose_the_code_page() -> None:
    """A Thai Windows machine writes redirected output in its code page (cp874) unless told otherwise: kbo
    writes UTF-8 then, since cp874 has no box-drawing characters."""
    import io

    from kbo_cli.render.streams import configure_streams

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp874")
    saved = sys.stdout
    env = {k: os.environ.pop(k) for k in ("PYTHONIOENCODING", "KBO_ENCODING") if k in os.environ}
    try:
        sys.stdout = stream
        configure_streams()
        print("กลุ่ม ━━", file=sys.stdout)
        sys.stdout.flush()
    finally:
        sys.stdout = saved
        os.environ.update(env)
    assert raw.getvalue().decode("utf-8") == "กลุ่ม ━━\n"


@pytest.mark.parametrize("command", ["report progress", "report gaps"])
def test_kbo_encoding_cp874_writes_cp874_with_ascii_borders(
    command: str, demo_db: Path, machine: Callable[[str, str, str], Any], tmp_path: Path
) -> None:
    code, out, err = run_redirected(demo_db, command, tmp_path, KBO_ENCODING="cp874")
    assert code == 0, err
    assert "Traceback" not in err
    text = out.decode("cp874")
    for name in {row["group_name"] for row in machine(command, "th", "json")}:
        assert name in text, f"{name} not in the cp874 output"
    assert "━" not in text and "?" * 3 not in text
    assert re.search(r"^-+(\+-+)+$", text, re.MULTILINE), "no ASCII rule under the header:\n" + text[:600]


# --- Click's usage errors in Thai ------------------------------------------------------------------

USAGE_ERRORS = [
    pytest.param("group show", "GROUP", id="missing-argument"),
    pytest.param("group list P1", "P1", id="extra-argument"),
    pytest.param("group list --distric x", "--district", id="no-such-option"),
    pytest.param("opc set NPM05-01 --year abc --part1 1 --part2 1 --part3 1", "abc", id="not-a-number"),
    pytest.param("report candidates -n -1", "-1", id="out-of-range"),
    pytest.param("report gaps -f xml", "xml", id="not-a-choice"),
]


@pytest.mark.parametrize(("command", "named"), USAGE_ERRORS)
def test_usage_errors_are_thai_by_default(command: str, named: str, demo_db: Path) -> None:
    run = kbo(demo_db, None, command)
    assert run.exit_code == 2, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ข้อผิดพลาด:")]
    hints = [line for line in lines if line.startswith("คำแนะนำ:")]
    assert len(errors) == 1 and len(hints) == 1 and len(lines) == 2, run.stderr
    assert named in errors[0], run.stderr  # what was wrong, or the option meant ("did you mean")
    assert not [w for w in ENGLISH_CLICK if w in run.stderr], run.stderr
    assert run.stdout == ""


def test_a_message_longer_than_the_terminal_wraps_between_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The notes under a table (hidden columns, definitions) are wrapped by kbo at ICU line-break
    opportunities, not cut by the terminal in the middle of a word such as `cs / v`."""
    import io

    from rich.console import Console

    from kbo_cli.render import streams

    screen = io.StringIO()
    monkeypatch.setattr(
        streams,
        "stderr",
        lambda: Console(file=screen, force_terminal=True, width=80, soft_wrap=True, color_system=None),
    )
    note = (
        "ซ่อนไว้ให้พอดีความกว้าง 80 ตัวอักษร: มาตรฐาน, ข้อด้อยที่, ปิดเมื่อ (ดูทั้งหมดด้วย --wide หรือ -f csv) "
        "ใบรับรองที่เลยวันหมดอายุนับเป็นรายการที่ยังขาด"
    )
    streams.message(note, wrap=True)
    lines = screen.getvalue().splitlines()
    assert_wrapped_between_words(note, lines, 80)


def assert_wrapped_between_words(text: str, lines: list[str], width: int) -> None:
    """`lines` are `text` on a terminal `width` cells wide, each ending where a line may break (at a space, or
    where `segments` allows)."""
    assert len(lines) > 1 and all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    cuts, at = set(), 0
    for piece in segments(text):
        at += len(piece)
        cuts.add(at)
    at = 0
    for line in lines[:-1]:
        at = text.index(line, at) + len(line)
        assert text[at] == " " or at in cuts, lines


def test_an_option_is_never_split_after_its_dashes() -> None:
    from kbo_cli.render.linebreak import wrap

    note = "ซ่อนไว้ให้พอดีความกว้าง 80 ตัวอักษร: อำเภอ, รับรองก่อน, รับรองตอนนี้, ปิดที่ขาด (ดูทั้งหมดด้วย --wide หรือ -f csv)"
    lines = wrap(note, 80)  # ICU allows a break after "--"; kbo keeps "--wide" whole
    assert lines == [note[: note.index("--wide")].rstrip(), note[note.index("--wide") :]]
    assert wrap("ผ้า-ไหม", 4) == ["ผ้า-", "ไหม"]  # a hyphen inside a word still allows a break


def test_an_error_and_its_hint_are_whole_and_wrapped_between_words(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hint listing a vocabulary's values is kbo's own words: never cut short (it listed six of seven agencies);
    in a terminal the lines are wrapped by kbo between words, not by the terminal inside one."""
    import io

    from rich.console import Console

    from kbo_cli.render import streams

    command = "plan add NPM01-01 ทดสอบ --agency สสอ."
    run = kbo(demo_db, "th", command)
    assert run.exit_code != 0 and run.stderr.count("\n") == 2  # not a terminal: one line each
    assert run.stderr.rstrip().endswith("สำนักงานประชาสัมพันธ์จังหวัด (pr)")
    hint = run.stderr.splitlines()[1]
    screen = io.StringIO()
    monkeypatch.setattr(streams, "stderr", lambda: Console(file=screen, force_terminal=True, width=80))
    kbo(demo_db, "th", command)
    assert_wrapped_between_words(hint, screen.getvalue().splitlines()[1:], 80)  # the hint's lines
