"""kbo product: add, list, show, edit, remove OTOP products."""

from typing import Annotated, Any

import typer

from kbo_cli.cli._common import confirm, counted, open_session, show, subcommands
from kbo_cli.cli.options import (
    CategoryOption,
    DistrictOption,
    FormatOption,
    GroupOption,
    ProductArgument,
    WideOption,
    YesOption,
    text_option,
)
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

app = subcommands("OTOP products and their checklists.")

DescriptionOpt = Annotated[str | None, typer.Option("--description", help="A short description.")]


def _row(session: Any, code: str) -> Any:
    from kbo_cli.domain.products import list_products
    from kbo_cli.domain.refs import find_product

    return list_products(session=session, product_id=find_product(session, code).id)[0]


def _show_one(ctx: typer.Context, row: Any, fmt: Format, follow: dict[str, list[Any]] | None = None) -> None:
    from kbo_cli.domain.products import PRODUCT_SHOW_COLUMNS
    from kbo_cli.reference.catalog import category_name
    from kbo_cli.render.output import emit_object, key_values
    from kbo_cli.render.table import percent_bar

    if fmt is Format.json:
        emit_object({**row._asdict(), **{k: [r._asdict() for r in v] for k, v in (follow or {}).items()}})
    elif fmt is not Format.table:
        show(ctx, Listing([row], PRODUCT_SHOW_COLUMNS, title=f"{row.code}  {row.name}"), fmt)
    else:
        key_values(
            [
                (_("Code"), row.code),
                (_("Product"), row.name),
                (_("Group"), f"{row.group_code} {row.group_name}"),
                (_("District"), row.district),
                (_("Category"), category_name(row.category)),
                (_("Description"), row.description or ""),
                (_("Progress"), percent_bar(row.percent)),
                (_("Certified"), f"{row.certified} / {row.applicable}"),
            ],
            title=f"{row.code}  {row.name}",
        )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The product's name.")],
    group: Annotated[str, text_option("--group", "-g", help="Its producer group (code or name).")],
    category: Annotated[
        str,
        text_option(
            "--category", "-c", help="อาหาร (food), เครื่องดื่ม (beverage), ผ้า (textile), ของใช้ (craft) or สมุนไพร (herbal)."
        ),
    ],
    code: Annotated[str | None, text_option("--code", help="A short code (made up when left out).")] = None,
    description: DescriptionOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Add a product; its checklist is created from the standards catalogue for its category.

    Example: kbo product add "ผ้าฝ้ายย้อมคราม" --group G0001 --category ผ้า
    """
    from kbo_cli.domain.products import add_product
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        product = add_product(session=s, name=name, group=group, category=category, code=code, description=description)
        row = _row(s, product.code)
    message(
        _(
            "Added product {code} {name} with {count} checklist entries",
            code=row.code,
            name=row.name,
            count=row.applicable,
        )
    )
    _show_one(ctx, row, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    group: GroupOption = None,
    category: CategoryOption = None,
    district: DistrictOption = None,
    fmt: FormatOption = Format.table,
    wide: WideOption = False,
) -> None:
    """List products with their certified / applicable standards, by group, then name (Thai dictionary order).

    Example: kbo product list --category ผ้า --district เรณูนคร
    """
    from kbo_cli.domain.products import PRODUCT_COLUMNS, list_products

    with open_session(ctx, write=False) as s:
        rows = list_products(session=s, group=group, category=category, district=district)
    show(ctx, Listing(rows, PRODUCT_COLUMNS, title=_("Products"), empty=_("No products match.")), fmt, wide)


@app.command("show")
def show_(ctx: typer.Context, product: ProductArgument, fmt: FormatOption = Format.table) -> None:
    """Show one product: how far its checklist is, its findings, plan, visits and OPC scores.

    Example: kbo product show P00001
    """
    from kbo_cli.domain.followup import action_rows, finding_rows, visit_rows
    from kbo_cli.domain.opc import score_rows
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=False) as s:
        found = find_product(s, product)
        row = _row(s, found.code)
        follow: dict[str, list[Any]] = {
            "findings": finding_rows(session=s, product=found.code),
            "plans": action_rows(session=s, product=found.code),
            "visits": visit_rows(session=s, product=found.code),
            "opc_scores": score_rows(session=s, product=found),
        }
    _show_one(ctx, row, fmt, follow)
    if fmt is Format.table:
        _show_follow_up(ctx, follow)


def _show_follow_up(ctx: typer.Context, follow: dict[str, list[Any]]) -> None:
    """Under the product: its strengths and weaknesses, plan, visits and OPC scores."""
    from kbo_cli.domain.followup import ACTION_COLUMNS, FINDING_COLUMNS, VISIT_COLUMNS
    from kbo_cli.domain.opc import SCORE_COLUMNS

    product_keys = ("product_code", "product_name", "product", "group_code", "group_name", "group", "district")
    sections = [
        ("findings", FINDING_COLUMNS, _("Strengths and weaknesses")),
        ("plans", ACTION_COLUMNS, _("Development plan")),
        ("visits", VISIT_COLUMNS, _("Field visits")),
        ("opc_scores", SCORE_COLUMNS, _("OPC scores")),
    ]
    for key, columns, title in sections:
        if follow[key]:
            show(
                ctx, Listing(follow[key], [c for c in columns if c.key not in product_keys], title=title), Format.table
            )


@app.command("edit")
def edit(
    ctx: typer.Context,
    product: ProductArgument,
    name: Annotated[str | None, text_option("--name", help="New name.")] = None,
    group: Annotated[str | None, text_option("--group", "-g", help="Move to this producer group.")] = None,
    category: Annotated[
        str | None, text_option("--category", "-c", help="New category (adjusts the checklist).")
    ] = None,
    code: Annotated[str | None, text_option("--code", help="New code.")] = None,
    description: DescriptionOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change a product; only the fields given change. A new category adjusts its checklist and keeps
    the entries that still apply. A dash (-) or ไม่มี clears the description.

    Example: kbo product edit P00001 --category สมุนไพร
    """
    from kbo_cli.domain.products import FIELD_NAMES, edit_product
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message, warn
    from kbo_cli.vocab import Status

    changes = {"name": name, "group": group, "category": category, "code": code, "description": description}
    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        changed, removed = edit_product(session=s, product=found, changes=changes)
        row = _row(s, found.code)
    names = ", ".join(_(FIELD_NAMES[field]) for field in changed)
    message(_("Changed {fields} of product {code}", fields=names, code=row.code))
    for entry in removed:
        if entry.status != Status.NOT_STARTED or entry.certificate_no:
            warn(
                _(
                    "the entry for {standard} ({status}) was removed: it does not apply to the new category",
                    standard=entry.standard,
                    status=Status(entry.status).label,
                )
            )
    _show_one(ctx, row, fmt)


@app.command("remove")
def remove(ctx: typer.Context, product: ProductArgument, yes: YesOption = False) -> None:
    """Remove a product with everything recorded about it: its checklist, findings, plan actions, visits' mention
    of it, OPC and judges' scores (the question and the message say how many of each).

    Example: kbo product remove P00001 --yes
    """
    from kbo_cli.domain.products import recorded_about, remove_product
    from kbo_cli.domain.refs import find_product
    from kbo_cli.render.streams import message
    from kbo_cli.storage.models import id_of

    with open_session(ctx, write=False) as s:  # ask before taking the write lock
        found = find_product(s, product)
        records = counted(recorded_about(s, [id_of(found)]))
    what = {"code": found.code, "name": found.name, "records": records}
    confirm(
        _("Remove product {code} {name}, with {records}?", **what)
        if records
        else _("Remove product {code} {name}?", **what),
        yes,
    )
    with open_session(ctx, write=True) as s:
        remove_product(session=s, product=find_product(s, found.code))
    message(
        _("Removed product {code} {name}, with {records}", **what)
        if records
        else _("Removed product {code} {name}", **what)
    )
