"""How tables show kbo's values: translated labels, coloured statuses, progress bars.

Only the table format uses these; JSON and CSV carry the raw codes and numbers.
"""

from __future__ import annotations

from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich loads only when a table is drawn, so that `kbo --help` stays fast
    from rich.console import RenderableType

from kbo_cli.i18n import _

BAR_WIDTH = 10
PERCENT_WIDTH = BAR_WIDTH + 7
STATUS_STYLE = {
    "certified": "green",
    "in_progress": "yellow",
    "submitted": "cyan",
    "failed": "bold red",
    "not_started": "red",
    "not_applicable": "dim",
    "expired": "bold magenta",
    "number_missing": "yellow",
}


def status_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    from kbo_cli.vocab import Status

    special = {"expired": _("expired"), "number_missing": _("certified, number missing")}
    label = special.get(value) or (Status(value).label if value in Status._value2member_map_ else str(value))
    return Text(label, style=STATUS_STYLE.get(str(value), ""))


def category_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    from kbo_cli.reference.catalog import category_name

    return Text(category_name(value))


def kind_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    from kbo_cli.vocab import GroupKind, label_of

    return Text(label_of(value, GroupKind))


def required_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    return Text(_("required"), style="bold") if value else Text(_("recommended"), style="dim")


def date_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    from kbo_cli.thai.dates import format_date

    return Text(format_date(value) if value else "")


def percent_bar(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    """`  62.5% ██████████░░░░░░`: the percentage and a bar, on one line."""
    if value is None:
        return Text("–", style="dim")
    filled = round(value / 100 * BAR_WIDTH)
    text = Text(f"{value:5.1f}% ", style=_pct_style(value))
    text.append("█" * filled, style=_pct_style(value))
    text.append("░" * (BAR_WIDTH - filled), style="dim")
    return text


def _pct_style(value: float) -> str:
    return "green" if value >= 80 else "yellow" if value >= 40 else "red"


def standard_mark(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    from kbo_cli.reference.catalog import standards

    std = standards().get(value)
    return Text(std.mark if std else str(value))


def agency_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    from kbo_cli.reference.agencies import agency_name

    return Text(agency_name(value) if value else "")


def label_text(vocabulary: str):  # type: ignore[no-untyped-def]
    """A cell showing the translated label of a follow-up code (`finding` kinds, `action` statuses)."""

    def show(value: Any, _row: Any = None) -> RenderableType:
        from rich.text import Text

        from kbo_cli.domain.followup import ACTION_STATUSES, FINDING_KINDS

        labels = FINDING_KINDS if vocabulary == "finding" else ACTION_STATUSES
        style = {"weakness": "red", "strength": "green", "open": "yellow", "done": "green"}.get(value, "")
        return Text(_(labels[value]) if value in labels else str(value or ""), style=style)

    return show


def stars_text(value: Any, _row: Any = None) -> RenderableType:
    from rich.text import Text

    return Text("★" * int(value) + "☆" * (5 - int(value)), style="yellow") if value else Text("")


def code_and_name(code_key: str, name_key: str):  # type: ignore[no-untyped-def]
    """A cell showing a record's code and name together (keeps wide tables narrow)."""

    def show(_value: Any, row: Any) -> RenderableType:
        from rich.text import Text

        code, name = row.get(code_key) or "", row.get(name_key) or ""
        text = Text(code, style="bold")
        if name:
            text.append(f" {name}")
        return text

    return show
