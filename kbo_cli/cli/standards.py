"""kbo standards: the standards catalogue (a reviewed data file, not the database)."""

from __future__ import annotations

from typing import Any

import typer

from kbo_cli.cli._common import CategoryOption, FormatOption
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit

app = typer.Typer(rich_markup_mode=None, help="The standards catalogue (อย., มอก., มผช., GAP, organic, GMP, Halal, labelling).",
                  no_args_is_help=True)

STANDARD_COLUMNS = [
    Column("code", N_("Code")),
    Column("mark", N_("Mark")),
    Column("name", N_("Standard"), wrap=True),
    Column("agency", N_("Certified by"), wrap=True),
    Column("required_for", N_("Required for")),
    Column("recommended_for", N_("Recommended for")),
    Column("validity_months", N_("Valid (months)"), justify="right"),
]


@app.command("list")
def list_(category: CategoryOption = None, fmt: FormatOption = Format.table) -> None:
    """List the standards of the catalogue, and for which categories each is required or recommended.

    Example: kbo standards list --category food
    """
    from kbo_cli.reference import catalog

    cat = catalog.parse_category(category).code if category else None
    rows: list[dict[str, Any]] = []
    for std in catalog.standards().values():
        if cat and not std.applies_to(cat):
            continue
        shown = [c for c in std.applies if not cat or c == cat]
        rows.append({
            "code": std.code, "mark": std.mark, "name": std.name, "agency": std.agency,
            "required_for": " ".join(c for c in shown if std.is_required(c)),
            "recommended_for": " ".join(c for c in shown if not std.is_required(c)),
            "validity_months": std.validity_months(cat or "default") or None,
        })
    emit(rows, STANDARD_COLUMNS, fmt, title=_("Standards catalogue"))
