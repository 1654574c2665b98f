"""The printable report: one self-contained HTML file (A4, Thai-capable fonts) for the network's meetings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import groupby
from typing import Any

from kbo_cli.i18n import _, current_language


def render(
    *,
    progress: list[dict[str, Any]] | None,
    gaps: Iterable[dict[str, Any]] | None,
    network: str | None,
    province: str | None,
    user: str,
    title: str,
    today: date | None = None,
) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    from kbo_cli.vocab import DEFINITIONS
    from kbo_cli.thai.dates import format_date
    from kbo_cli.vocab import Status

    env = Environment(loader=PackageLoader("kbo_cli.render", "templates"), autoescape=select_autoescape(["html", "j2"]))
    grouped = None
    gap_count = 0
    if gaps is not None:
        grouped = []
        for (code, name, district), rows in groupby(gaps, key=lambda r: (r["group_code"], r["group_name"], r["district"])):
            shown = []
            for r in rows:
                status = r["status"]
                label = _("expired") if status == "expired" else Status(status).label
                shown.append({**r, "level": _("required") if r["required"] else _("recommended"),
                              "status_label": label})
            gap_count += len(shown)
            grouped.append({"code": code, "name": name, "district": district, "rows": shown})
    labels = {
        "generated": _("Printed on"), "by": _("by"),
        "progress_title": _("Progress per producer group"), "gaps_title": _("Gaps per producer group"),
        "progress_headers": [_("Group code"), _("Group"), _("District"), _("Products"), _("Certified"),
                             _("Gaps"), _("Progress")],
        "gap_headers": [_("Product"), _("Standard"), _("Level"), _("Status")],
        "definitions": _(DEFINITIONS),
    }
    today = today or date.today()
    shown_date = format_date(today, "th") if current_language() == "th" else f"{today:%d %B} {today.year + 543} BE"
    return env.get_template("report.html.j2").render(
        lang=current_language(), title=title, network=network or _("KBO network"), province=province,
        user=user, today=shown_date, progress=progress, gaps=grouped, gap_count=gap_count, labels=labels,
    )
