"""kbo product: add, list, show, edit, remove OTOP products."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kbo_cli.cli._common import CategoryOption, DistrictOption, FormatOption, GroupOption, YesOption, confirm, open_session
from kbo_cli.render.cells import PERCENT_WIDTH, category_text, percent_bar
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, emit_object, key_values, message, warn

app = typer.Typer(rich_markup_mode=None, help="OTOP products and their checklists.", no_args_is_help=True)

ProductArg = Annotated[str, typer.Argument(help="The product's code or exact name.")]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="A short description.")]

PRODUCT_COLUMNS = [
    Column("code", N_("Code")),
    Column("name", N_("Product")),
    Column("group_code", N_("Group code")),
    Column("group_name", N_("Group")),
    Column("district", N_("District")),
    Column("category", N_("Category"), show=category_text),
    Column("certified", N_("Certified"), justify="right"),
    Column("applicable", N_("Applicable"), justify="right"),
    Column("percent", N_("Progress"), show=percent_bar, min_width=PERCENT_WIDTH),
]


def _product_dict(session: Any, product: Any) -> dict[str, Any]:
    from datetime import date

    from kbo_cli.domain.checklist import entries, is_expired
    from kbo_cli.storage.models import ProducerGroup
    from kbo_cli.domain.reports import percent
    from kbo_cli.vocab import Status

    group = session.get(ProducerGroup, product.group_id)
    rows = entries(session, product)
    today = date.today()
    applicable = sum(1 for e in rows if e.status != Status.NOT_APPLICABLE)
    certified = sum(1 for e in rows if e.status == Status.CERTIFIED and not is_expired(e, today))
    return {
        "code": product.code, "name": product.name, "group_code": group.code, "group_name": group.name,
        "district": group.district, "category": product.category, "description": product.description,
        "certified": certified, "applicable": applicable, "percent": percent(certified, applicable),
    }


def _show_one(data: dict[str, Any], fmt: Format) -> None:
    if fmt is Format.json:
        emit_object(data)
    elif fmt is Format.csv:
        emit([data], PRODUCT_COLUMNS + [Column("description", N_("Description"), wrap=True)], fmt)
    else:
        from kbo_cli.reference.catalog import category_name

        key_values(
            [
                (_("Code"), data["code"]),
                (_("Product"), data["name"]),
                (_("Group"), f"{data['group_code']} {data['group_name']}"),
                (_("District"), data["district"]),
                (_("Category"), category_name(data["category"])),
                (_("Description"), data["description"] or ""),
                (_("Progress"), percent_bar(data["percent"])),
                (_("Certified"), f"{data['certified']} / {data['applicable']}"),
            ],
            title=f"{data['code']}  {data['name']}",
        )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The product's name.")],
    group: Annotated[str, typer.Option("--group", "-g", help="Its producer group (code or name).")],
    category: Annotated[str, typer.Option("--category", "-c", help="food, beverage, textile, craft or herbal.")],
    code: Annotated[str | None, typer.Option("--code", help="A short code (made up when left out).")] = None,
    description: DescriptionOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Add a product; its checklist is created from the standards catalogue for its category.

    Example: kbo product add "ผ้าฝ้ายย้อมคราม" --group G0001 --category textile
    """
    from kbo_cli.domain.products import add_product

    with open_session(ctx, write=True) as s:
        product = add_product(session=s, name=name, group=group, category=category, code=code,
                              description=description)
        data = _product_dict(s, product)
    message(_("Added product {code} {name} with {count} checklist entries",
              code=data["code"], name=data["name"], count=data["applicable"]))
    _show_one(data, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    group: GroupOption = None,
    category: CategoryOption = None,
    district: DistrictOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List products with their certified / applicable standards, in Thai dictionary order.

    Example: kbo product list --category textile --district เรณูนคร
    """
    from dataclasses import asdict

    from kbo_cli.domain.products import list_products
    from kbo_cli.domain.reports import percent

    with open_session(ctx, write=False) as s:
        rows = [
            {**asdict(r), "percent": percent(r.certified, r.applicable)}
            for r in list_products(session=s, group=group, category=category, district=district)
        ]
    emit(rows, PRODUCT_COLUMNS, fmt, title=_("Products"), empty=_("No products match."))


@app.command("show")
def show(ctx: typer.Context, product: ProductArg, fmt: FormatOption = Format.table) -> None:
    """Show one product and how far its checklist is.

    Example: kbo product show P00001
    """
    from kbo_cli.domain.refs import find_product

    from kbo_cli.domain.followup import action_rows, finding_rows, visit_rows
    from kbo_cli.domain.opc import score_rows

    with open_session(ctx, write=False) as s:
        found = find_product(s, product)
        data = _product_dict(s, found)
        follow = {
            "findings": finding_rows(session=s, product=found.code),
            "plans": action_rows(session=s, product=found.code),
            "visits": visit_rows(session=s, product=found.code),
            "opc_scores": score_rows(session=s, product=found),
        }
    if fmt is Format.json:
        emit_object({**data, **follow})
        return
    _show_one(data, fmt)
    if fmt is Format.table:
        _show_follow_up(follow)


def _show_follow_up(follow: dict[str, list[dict[str, Any]]]) -> None:
    """Under the product: its strengths and weaknesses, plan, visits and OPC scores."""
    from kbo_cli.cli.finding import FINDING_COLUMNS
    from kbo_cli.cli.opc import SCORE_COLUMNS
    from kbo_cli.cli.plan import ACTION_COLUMNS
    from kbo_cli.cli.visit import VISIT_COLUMNS

    product_keys = ("product_code", "product_name", "group_code", "group_name", "district")
    sections = [
        ("findings", FINDING_COLUMNS, _("Strengths and weaknesses")),
        ("plans", ACTION_COLUMNS, _("Development plan")),
        ("visits", VISIT_COLUMNS, _("Field visits")),
        ("opc_scores", SCORE_COLUMNS, _("OPC scores")),
    ]
    for key, columns, title in sections:
        if follow[key]:
            emit(follow[key], [c for c in columns if c.key not in product_keys], Format.table, title=title)


@app.command("edit")
def edit(
    ctx: typer.Context,
    product: ProductArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    group: Annotated[str | None, typer.Option("--group", "-g", help="Move to this producer group.")] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help="New category (adjusts the checklist).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="New code.")] = None,
    description: DescriptionOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change a product; only the fields given change. A new category adjusts its checklist and keeps
    the entries that still apply.

    Example: kbo product edit P00001 --category herbal
    """
    from kbo_cli.domain.products import edit_product
    from kbo_cli.domain.refs import find_product

    changes = dict(name=name, group=group, category=category, code=code, description=description)
    with open_session(ctx, write=True) as s:
        found = find_product(s, product)
        changed, removed = edit_product(session=s, product=found, changes=changes)
        data = _product_dict(s, found)
    message(_("Changed {fields} of product {code}", fields=", ".join(changed), code=data["code"]))
    from kbo_cli.vocab import Status

    for entry in removed:
        if entry.status != Status.NOT_STARTED or entry.certificate_no:
            warn(_("the entry for {standard} ({status}) was removed: it does not apply to the new category",
                   standard=entry.standard, status=entry.status))
    _show_one(data, fmt)


@app.command("remove")
def remove(ctx: typer.Context, product: ProductArg, yes: YesOption = False) -> None:
    """Remove a product and its checklist.

    Example: kbo product remove P00001 --yes
    """
    from kbo_cli.domain.products import remove_product
    from kbo_cli.domain.refs import find_product

    with open_session(ctx, write=False) as s:  # ask before taking the write lock
        found = find_product(s, product)
    confirm(_("Remove product {code} {name} and its checklist?", code=found.code, name=found.name), yes)
    with open_session(ctx, write=True) as s:
        remove_product(session=s, product=find_product(s, found.code))
    message(_("Removed product {code} {name}", code=found.code, name=found.name))
