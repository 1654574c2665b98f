"""Printable pages: self-contained HTML (A4, Thai-capable fonts) from kbo's listings and the meeting brief.

Thai text gets a `<wbr>` where kbo allows a line break, and a piece in which a browser's own ICU would break but
kbo does not is kept whole (`<span class="w">`, `linebreak.page_pieces`), so a browser wraps a Thai cell where
the terminal would: between words. Neither is a character: the page's text searches and copies as it is.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from kbo_cli.config import current_user
from kbo_cli.i18n import _, current_language
from kbo_cli.render.columns import Kind, Listing
from kbo_cli.render.linebreak import page_pieces
from kbo_cli.render.values import human
from kbo_cli.thai.dates import format_date


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kbo_cli.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["th"] = break_hints
    return env


def break_hints(text: str) -> Markup:
    """`text` for a page, with its line-break opportunities marked (see the module's notes)."""
    out: list[str] = []
    before = " "  # the piece before: a break after a space needs no mark
    for piece, whole in page_pieces(str(text)):
        if not before[-1].isspace():  # a break between words that no space allows
            out.append("<wbr>")
        core = piece.rstrip()
        out.append(f'<span class="w">{escape(core)}</span>' if whole else str(escape(core)))
        out.append(str(escape(piece[len(core) :])))
        before = piece
    return Markup("".join(out))


_MARKUP = re.compile(r'<wbr>|<span class="w">|</span>')


def unhinted(page: str) -> str:
    """A page's text as `break_hints` had it: without its marks (for reading a page back)."""
    return _MARKUP.sub("", page)


def printed_on(today: date | None = None) -> str:
    """The date a page was printed, in Buddhist Era."""
    today = today or date.today()
    if current_language() == "th":
        return format_date(today, "th")
    return f"{today.day} {today:%B} {today.year + 543} BE ({today.isoformat()})"


def page_labels() -> dict[str, str]:
    return {"printed": _("Printed on"), "by": _("by")}


def _cell(kind: Kind, text: str, value: Any, right: bool) -> dict[str, Any]:
    cls = "num" if right or kind is Kind.PERCENT else "code" if kind is Kind.CODE else ""
    bar = None
    if kind is Kind.PERCENT:
        bar = value or 0
        text = human_percent(value)
    return {"text": break_hints(text), "cls": cls, "bar": bar}


def human_percent(value: Any) -> str:
    return "–" if value is None else f"{value:.1f}%"


def listing_page(listing: Listing) -> str:
    """Any list or report as one printable page: its title, a table of its columns, its notes."""
    columns = listing.table_columns()
    rows = list(listing.rows)
    body = [[_cell(c.kind, human(c, c.get(r)), c.get(r), c.right) for c in columns] for r in rows]
    totals = listing.totals(rows) if listing.totals and rows else None
    foot = [_cell(c.kind, human(c, totals.get(c.key)), totals.get(c.key), c.right) for c in columns] if totals else None
    return (
        environment()
        .get_template("listing.html.j2")
        .render(
            lang=current_language(),
            title=listing.title,
            network=listing.meta.get("network") or _("KBO network"),
            province=listing.meta.get("province"),
            user=current_user(),
            today=printed_on(),
            labels=page_labels(),
            headers=[{"text": break_hints(_(c.header)), "cls": "num" if c.right else ""} for c in columns],
            rows=body,
            totals=foot,
            notes=list(listing.notes) or ([listing.empty] if not rows and listing.empty else []),
        )
    )
