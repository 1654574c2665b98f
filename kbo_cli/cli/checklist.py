"""kbo checklist: where a product stands against each standard."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kbo_cli.cli._common import FormatOption, open_session
from kbo_cli.render.cells import date_text, required_text, status_text
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, emit_object, message, warn

app = typer.Typer(rich_markup_mode=None, help="A product's standards checklist.", no_args_is_help=True)

ProductArg = Annotated[str, typer.Argument(help="The product's code or exact name.")]

ENTRY_COLUMNS = [
    Column("standard", N_("Code")),
    Column("standard_name", N_("Standard"), wrap=True),
    Column("required", N_("Level"), show=required_text),
    Column("status", N_("Status"), show=status_text),
    Column("certificate_no", N_("Certificate no.")),
    Column("issued_on", N_("Issued"), show=date_text),
    Column("expires_on", N_("Expires"), show=date_text),
    Column("note", N_("Note"), wrap=True),
]


def _checklist(session: Any, product: Any) -> dict[str, Any]:
    from datetime import date

    from kbo_cli.reference import catalog
    from kbo_cli.domain.checklist import effective_status, entries
    from kbo_cli.storage.models import ProducerGroup

    group = session.get(ProducerGroup, product.group_id)
    today = date.today()
    standards = catalog.standards()
    return {
        "product": {"code": product.code, "name": product.name, "group_code": group.code,
                    "category": product.category},
        "entries": [
            {
                "standard": e.standard,
                "standard_name": catalog.standard_name(e.standard),
                "required": bool(e.standard in standards and standards[e.standard].is_required(product.category)),
                "status": effective_status(e, today),
                "certificate_no": e.certificate_no,
                "issued_on": e.issued_on,
                "expires_on": e.expires_on,
                "note": e.note,
            }
            for e in entries(session, product)
        ],
    }


def _render(data: dict[str, Any], fmt: Format) -> None:
    if fmt is Format.json:
        emit_object(data)
        return
    if fmt is Format.csv:
        product = data["product"]
        rows = [{"product_code": product["code"], **e} for e in data["entries"]]
        emit(rows, [Column("product_code", N_("Product code"))] + ENTRY_COLUMNS, fmt)
        return
    from kbo_cli.reference.catalog import category_name

    p = data["product"]
    title = f"{p['code']}  {p['name']}  ({category_name(p['category'])}, {_('group')} {p['group_code']})"
    emit(data["entries"], ENTRY_COLUMNS, fmt, title=title,
         row_style=lambda r: "bold" if r["required"] and r["status"] not in ("certified", "not_applicable") else None)
    _explain_numbers(p["category"], data["entries"])


def _explain_numbers(category: str, entries: list[dict[str, Any]]) -> None:
    """Under the table: what the certificate numbers that encode facts say (FDA, DOA)."""
    from kbo_cli.reference import catalog
    from kbo_cli.thai.certno import explain_cert
    from kbo_cli.render.output import key_values

    for e in entries:
        std = catalog.standards().get(e["standard"])
        if not std or not e["certificate_no"]:
            continue
        parts = explain_cert(std.cert_format(category), e["certificate_no"])
        if parts:
            key_values(parts, title=_("{mark} number {number}", mark=std.mark, number=e["certificate_no"]))


@app.command("show")
def show(ctx: typer.Context, product: ProductArg, fmt: FormatOption = Format.table) -> None:
    """Show a product's checklist: every standard that applies to its category, and its status.

    Example: kbo checklist show P00001 -f json
    """
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=False) as s:
        data = _checklist(s, find_product(s, product))
    _render(data, fmt)


@app.command("set")
def set_(
    ctx: typer.Context,
    product: ProductArg,
    standard: Annotated[str, typer.Argument(help="The standard's code or mark: fda, tis, tcps, gap, organic, gmp, halal, label.")],
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help="not_started, in_progress, submitted, certified, failed, not_applicable."),
    ] = None,
    cert: Annotated[str | None, typer.Option("--cert", help="Certificate number.")] = None,
    issued: Annotated[str | None, typer.Option("--issued", help="Issue date (2566-01-19, 19/01/2566, 19 ม.ค. 2566 ...).")] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="Expiry date (computed from --issued when the catalogue knows the validity).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note (what is happening, what is missing).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record where a product stands against one standard; only the fields given change.

    Example: kbo checklist set P00001 tcps --status certified --cert "มผช. 8/2546" --issued 15/03/2567
    """
    from kbo_cli.domain.checklist import set_entry
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        entry, warnings = set_entry(session=s, product=found, standard=standard, status=status, cert=cert,
                                    issued=issued, expires=expires, note=note)
        data = _checklist(s, found)
        std_code = entry.standard
    for text in warnings:
        warn(text)
    message(_("Updated {standard} for {code}", standard=std_code, code=data["product"]["code"]))
    _render(data, fmt)
