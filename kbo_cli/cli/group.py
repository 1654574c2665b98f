"""kbo group: add, list, show, edit, remove producer groups."""

from __future__ import annotations

from typing import Annotated

import typer

from kbo_cli.cli._common import DistrictOption, FormatOption, YesOption, confirm, open_session
from kbo_cli.render.cells import kind_text
from kbo_cli.i18n import N_, _
from kbo_cli.render.output import Column, Format, emit, emit_object, key_values, message

app = typer.Typer(rich_markup_mode=None, help="Producer groups (กลุ่มผู้ผลิต, วิสาหกิจชุมชน).", no_args_is_help=True)

GroupArg = Annotated[str, typer.Argument(help="The group's code or exact name.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="New name.")]
CodeOpt = Annotated[str | None, typer.Option("--code", help="A short code (made up when left out).")]
SubdistrictOpt = Annotated[str | None, typer.Option("--subdistrict", help="Sub-district (ตำบล).")]
VillageOpt = Annotated[str | None, typer.Option("--village", help="Village (หมู่บ้าน).")]
ContactOpt = Annotated[str | None, typer.Option("--contact", help="Contact person.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Contact phone number.")]
KindOpt = Annotated[
    str | None, typer.Option("--kind", help="community (default), enterprise, individual or sme.")
]

GROUP_COLUMNS = [
    Column("code", N_("Code")),
    Column("name", N_("Group")),
    Column("kind", N_("Kind"), show=kind_text),
    Column("district", N_("District")),
    Column("subdistrict", N_("Sub-district")),
    Column("village", N_("Village")),
    Column("contact", N_("Contact")),
    Column("phone", N_("Phone")),
    Column("products", N_("Products"), justify="right"),
]
GROUP_FIELDS = [c.key for c in GROUP_COLUMNS]


def _group_dict(session, group) -> dict:  # type: ignore[no-untyped-def]
    from kbo_cli.domain.groups import product_count

    data = {f: getattr(group, f, None) for f in GROUP_FIELDS if f != "products"}
    data["products"] = product_count(session, group)
    return data


def _show_one(data: dict, fmt: Format) -> None:  # type: ignore[type-arg]
    if fmt is Format.json:
        emit_object(data)
    elif fmt is Format.csv:
        emit([data], GROUP_COLUMNS, fmt)
    else:
        from kbo_cli.vocab import GroupKind, label_of

        key_values(
            [(_(c.header), label_of(data[c.key], GroupKind) if c.key == "kind" else str(data[c.key] or ""))
             for c in GROUP_COLUMNS],
            title=f"{data['code']}  {data['name']}",
        )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The group's name, in Thai as registered.")],
    district: Annotated[str, typer.Option("--district", "-d", help="District (อำเภอ).")],
    subdistrict: SubdistrictOpt = None,
    village: VillageOpt = None,
    code: CodeOpt = None,
    contact: ContactOpt = None,
    phone: PhoneOpt = None,
    kind: KindOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Add a producer group.

    Example: kbo group add "กลุ่มทอผ้าย้อมครามบ้านดอนแดง" --district เรณูนคร --kind enterprise
    """
    from kbo_cli.domain.groups import add_group

    with open_session(ctx, write=True) as s:
        group = add_group(
            session=s, name=name, district=district, subdistrict=subdistrict, village=village,
            code=code, contact=contact, phone=phone, kind=kind,
        )
        data = _group_dict(s, group)
    message(_("Added group {code} {name}", code=data["code"], name=data["name"]))
    _show_one(data, fmt)


@app.command("list")
def list_(ctx: typer.Context, district: DistrictOption = None, fmt: FormatOption = Format.table) -> None:
    """List producer groups with their number of products, in Thai dictionary order.

    Example: kbo group list --district ธาตุพนม -f csv
    """
    from dataclasses import asdict

    from kbo_cli.domain.groups import list_groups

    with open_session(ctx, write=False) as s:
        rows = [asdict(r) for r in list_groups(session=s, district=district)]
    emit(rows, GROUP_COLUMNS, fmt, title=_("Producer groups"), empty=_("No producer groups yet."))


@app.command("show")
def show(ctx: typer.Context, group: GroupArg, fmt: FormatOption = Format.table) -> None:
    """Show one producer group.

    Example: kbo group show G0001
    """
    from kbo_cli.domain.refs import find_group

    with open_session(ctx, write=False) as s:
        data = _group_dict(s, find_group(s, group))
    _show_one(data, fmt)


@app.command("edit")
def edit(
    ctx: typer.Context,
    group: GroupArg,
    name: NameOpt = None,
    district: Annotated[str | None, typer.Option("--district", "-d", help="New district (อำเภอ).")] = None,
    subdistrict: SubdistrictOpt = None,
    village: VillageOpt = None,
    code: Annotated[str | None, typer.Option("--code", help="New code.")] = None,
    contact: ContactOpt = None,
    phone: PhoneOpt = None,
    kind: KindOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change a producer group; only the fields given change.

    Example: kbo group edit G0001 --phone 080-000-0101
    """
    from kbo_cli.domain.groups import edit_group
    from kbo_cli.domain.refs import find_group

    changes = dict(name=name, district=district, subdistrict=subdistrict, village=village, code=code,
                   contact=contact, phone=phone, kind=kind)
    with open_session(ctx, write=True) as s:
        found = find_group(s, group)
        changed = edit_group(session=s, group=found, changes=changes)
        data = _group_dict(s, found)
    message(_("Changed {fields} of group {code}", fields=", ".join(changed), code=data["code"]))
    _show_one(data, fmt)


@app.command("remove")
def remove(
    ctx: typer.Context,
    group: GroupArg,
    cascade: Annotated[bool, typer.Option("--cascade", help="Also remove the group's products.")] = False,
    yes: YesOption = False,
) -> None:
    """Remove a producer group (refused while it has products, unless --cascade).

    Example: kbo group remove G0001 --cascade --yes
    """
    from kbo_cli.domain.groups import product_count, remove_group
    from kbo_cli.domain.refs import find_group

    with open_session(ctx, write=False) as s:  # ask before taking the write lock
        found = find_group(s, group)
        count = product_count(s, found)
        if count and not cascade:
            remove_group(session=s, group=found, cascade=False)  # raises: explains --cascade
    question = (
        _("Remove group {code} {name} and its {count} products?", code=found.code, name=found.name, count=count)
        if count else _("Remove group {code} {name}?", code=found.code, name=found.name)
    )
    confirm(question, yes)
    with open_session(ctx, write=True) as s:
        removed = remove_group(session=s, group=find_group(s, found.code), cascade=cascade)
    message(_("Removed group {code} {name} ({count} products)", code=found.code, name=found.name, count=removed))
