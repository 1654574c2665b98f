"""Columns that many results share: who (group), what (product), where (district), which standard.

Each result module describes its own columns with these and its own; `render` turns any of them into a
table, JSON, CSV or HTML.
"""

from __future__ import annotations

from typing import Any

from kbo_cli.i18n import N_, _
from kbo_cli.reference.agencies import agency_short
from kbo_cli.reference.catalog import category_name, standards
from kbo_cli.render.columns import EXTRA, KEY, USEFUL, Col, Kind, code_and_name
from kbo_cli.vocab import Standing


def standard_mark(code: str) -> str:
    std = standards().get(code)
    return std.mark if std else code


def level(required: bool) -> str:
    return _("required") if required else _("recommended")


def standing_label(code: str) -> str:
    """A standing's label, whether it comes as a `Standing` or as its code from SQL."""
    return Standing(code).label


_STANDING_STYLES: dict[str, str] = {  # a StrEnum is its code: found by str(value)
    Standing.CERTIFIED: "green",
    Standing.IN_PROGRESS: "yellow",
    Standing.SUBMITTED: "cyan",
    Standing.FAILED: "bold red",
    Standing.NOT_STARTED: "red",
    Standing.NOT_APPLICABLE: "dim",
    Standing.EXPIRED: "bold magenta",
    Standing.NUMBER_MISSING: "yellow",
}


def standing_style(value: Any, _row: Any) -> str | None:
    return _STANDING_STYLES.get(str(value))


GROUP_CODE = Col("group_code", N_("Group code"), Kind.CODE, table=False)
GROUP_NAME = Col("group_name", N_("Group"), table=False)
DISTRICT = Col("district", N_("District"), priority=USEFUL, wrap=True)
PRODUCT_CODE = Col("product_code", N_("Product code"), Kind.CODE, table=False)
PRODUCT_NAME = Col("product_name", N_("Product"), table=False)
CATEGORY = Col("category", N_("Category"), show=category_name, priority=EXTRA, wrap=True)
STANDARD = Col("standard", N_("Standard"), Kind.CODE, show=standard_mark, wrap=True)
AGENCY = Col("agency", N_("Agency"), Kind.CODE, show=agency_short)
LEVEL = Col("required", N_("Level"), Kind.FLAG, show=level, style=lambda v, _r: "bold" if v else "dim")
STANDING = Col("status", N_("Status"), Kind.TERM, show=standing_label, style=standing_style)
#: progress (`checklist.percent`), and the applicable entries it is counted against
PROGRESS = Col("percent", N_("Progress"), Kind.PERCENT)
APPLICABLE = Col("applicable", N_("Applicable"), Kind.COUNT, priority=USEFUL)

#: table-only cells: a record's code and name together (keeps wide tables narrow)
GROUP = Col("group", N_("Group"), value=code_and_name("group_code", "group_name"), machine=False, wrap=True)
PRODUCT = Col("product", N_("Product"), value=code_and_name("product_code", "product_name"), machine=False, wrap=True)
PRODUCT_SHORT = Col("product_code", N_("Product"), Kind.CODE, machine=False)

__all__ = ["EXTRA", "KEY", "USEFUL"]
