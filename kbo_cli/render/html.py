"""Printable pages: self-contained HTML (A4, Thai-capable fonts) from kbo's listings and the meeting brief.

Thai text gets a zero-width space where kbo allows a line break and a word joiner where a browser's own ICU
would break but kbo does not (`linebreak.break_hints`), so a browser wraps a Thai cell where the terminal
would: between words.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from kbo_cli.config import current_user
from kbo_cli.i18n import _, current_language
from kbo_cli.render.columns import Kind, Listing
from kbo_cli.render.linebreak import break_hints
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
