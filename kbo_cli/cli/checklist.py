"""kbo checklist: where a product stands against each standard."""

from typing import TYPE_CHECKING, Annotated

import typer

from kbo_cli.cli._common import open_session, show, subcommands
from kbo_cli.cli.options import FormatOption, ProductArgument, WideOption, text_option
from kbo_cli.i18n import _
from kbo_cli.render.formats import Format

if TYPE_CHECKING:
    from kbo_cli.domain.checklist import EntryRow

app = subcommands("A product's standards checklist.")


def render_checklist(ctx: typer.Context, data: object, fmt: Format, wide: bool = False) -> None:
    """A product's checklist: a table with what its certificate numbers say underneath, or JSON/CSV."""
    from kbo_cli.domain.checklist import ENTRY_COLUMNS, ChecklistView
    from kbo_cli.reference.catalog import category_name
    from kbo_cli.render.columns import Col, Kind, Listing
    from kbo_cli.render.output import emit_object
    from kbo_cli.vocab import Standing

    assert isinstance(data, ChecklistView)
    p = data.product
    if fmt is Format.json:
        emit_object(
            {
                "product": {"code": p.code, "name": p.name, "group_code": p.group_code, "category": p.category},
                "entries": [e._asdict() for e in data.entries],
            }
        )
        return
    columns: tuple[Col, ...] = ENTRY_COLUMNS
    if fmt is Format.csv:
        code = Col("product_code", "Product code", Kind.CODE, value=lambda _row: p.code)
        columns = (code, *ENTRY_COLUMNS)
    title = f"{p.code}  {p.name}  ({category_name(p.category)}, {_('group')} {p.group_code})"
    show(
        ctx,
        Listing(
            data.entries,
            columns,
            title=title,
            row_style=lambda r: (
                "bold" if r.required and r.status not in (Standing.CERTIFIED, Standing.NOT_APPLICABLE) else None
            ),
        ),
        fmt,
        wide,
    )
    if fmt is Format.table:
        _explain_numbers(p.category, data.entries)


def _explain_numbers(category: str, entries: "list[EntryRow]") -> None:
    """Under the table: what the certificate numbers that encode facts say (FDA, DOA)."""
    from kbo_cli.reference import catalog
    from kbo_cli.render.output import key_values
    from kbo_cli.thai.certno import explain_cert

    for e in entries:
        std = catalog.standards().get(e.standard)
        if not std or not e.certificate_no:
            continue
        parts = explain_cert(std.cert_format(category), e.certificate_no)
        if parts:
            key_values(parts, title=_("{mark} number {number}", mark=std.mark, number=e.certificate_no))


@app.command("show")
def show_(
    ctx: typer.Context, product: ProductArgument, fmt: FormatOption = Format.table, wide: WideOption = False
) -> None:
    """Show a product's checklist: every standard that applies to its category, and its status.

    Example: kbo checklist show P00001 -f json
    """
    from kbo_cli.domain.checklist import view
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=False) as s:
        data = view(s, find_product(s, product))
    render_checklist(ctx, data, fmt, wide)


@app.command("set")
def set_(
    ctx: typer.Context,
    product: ProductArgument,
    standard: Annotated[
        str,
        typer.Argument(
            metavar="STANDARD",
            help="The standard: its code or mark (fda or อย., tcps or มผช., tis "
            "or มอก., gap, organic, gmp, halal, label).",
        ),
    ],
    status: Annotated[
        str | None,
        text_option(
            "--status",
            "-s",
            help="ยังไม่เริ่ม (not_started), กำลังดำเนินการ (in_progress), ยื่นคำขอแล้ว "
            "(submitted), ได้รับการรับรองแล้ว (certified), ไม่ผ่าน (failed), "
            "ไม่เกี่ยวข้อง (not_applicable).",
        ),
    ] = None,
    cert: Annotated[
        str | None, typer.Option("--cert", help="Certificate number, as printed (Thai digits too).")
    ] = None,
    issued: Annotated[
        str | None, typer.Option("--issued", help="Issue date (19/01/66, 19 ม.ค. 2566, 2566-01-19 ...).")
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="Expiry date (computed from --issued when the catalogue knows the validity)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note (what is happening, what is missing).")] = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """Record where a product stands against one standard; only the fields given change. A dash (-) or
    ไม่มี clears the certificate number, a date or the note.

    Example: kbo checklist set P00001 มผช. --status ได้รับการรับรองแล้ว --cert "มผช. 8/2546" --issued 15/03/67
    """
    from kbo_cli.domain.checklist import set_entry, view
    from kbo_cli.domain.columns import standard_mark
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message, warn

    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        entry, warnings = set_entry(
            session=s,
            product=found,
            standard=standard,
            status=status,
            cert=cert,
            issued=issued,
            expires=expires,
            note=note,
        )
        data = view(s, found)
        mark = standard_mark(entry.standard)  # อย., มผช.: as officials write it
    for text in warnings:
        warn(text)
    message(_("Updated {standard} for {code}", standard=mark, code=data.product.code))
    render_checklist(ctx, data, fmt, wide)
