"""kbo group: add, list, show, edit, remove producer groups."""

from typing import TYPE_CHECKING, Annotated

import typer

from kbo_cli.cli._common import confirm, counted, open_session, show, subcommands
from kbo_cli.cli.options import DistrictOption, FormatOption, WideOption, YesOption, text_option
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format

if TYPE_CHECKING:
    from sqlmodel import Session

    from kbo_cli.domain.groups import GroupRow

app = subcommands("Producer groups (กลุ่มผู้ผลิต, วิสาหกิจชุมชน).")

GroupArg = Annotated[str, typer.Argument(metavar="GROUP", help="The group's code or exact name.")]
NameOpt = Annotated[str | None, text_option("--name", help="New name.")]
CodeOpt = Annotated[str | None, text_option("--code", help="A short code (made up when left out).")]
SubdistrictOpt = Annotated[str | None, typer.Option("--subdistrict", help="Sub-district (ตำบล).")]
VillageOpt = Annotated[str | None, typer.Option("--village", help="Village (หมู่บ้าน).")]
ContactOpt = Annotated[str | None, typer.Option("--contact", help="Contact person.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Contact phone number.")]
KindOpt = Annotated[
    str | None,
    text_option(
        "--kind",
        help="กลุ่มผู้ผลิตชุมชน (community), วิสาหกิจชุมชน (enterprise), ผู้ผลิตรายเดียว (individual) or SME (sme); "
        "without it, enterprise for a name beginning วิสาหกิจชุมชน, else community.",
    ),
]


def _row(session: "Session", code: str) -> "GroupRow":
    from kbo_cli.domain.groups import list_groups

    return list_groups(session=session, code=code)[0]


def _show_one(ctx: typer.Context, row: "GroupRow", fmt: Format) -> None:
    from kbo_cli.domain.groups import GROUP_COLUMNS
    from kbo_cli.render.output import emit_object, key_values
    from kbo_cli.render.values import human

    if fmt is Format.json:
        emit_object(row._asdict())
    elif fmt is not Format.table:
        show(ctx, Listing([row], GROUP_COLUMNS, title=f"{row.code}  {row.name}"), fmt)
    else:
        key_values([(_(c.header), human(c, c.get(row))) for c in GROUP_COLUMNS], title=f"{row.code}  {row.name}")


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The group's name, in Thai as registered.")],
    district: Annotated[str, text_option("--district", "-d", help="District (อำเภอ).")],
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
    from kbo_cli.render.streams import message

    with open_session(ctx, write=True) as s:
        group = add_group(
            session=s,
            name=name,
            district=district,
            subdistrict=subdistrict,
            village=village,
            code=code,
            contact=contact,
            phone=phone,
            kind=kind,
        )
        row = _row(s, group.code)
    message(_("Added group {code} {name}", code=row.code, name=row.name))
    _show_one(ctx, row, fmt)


@app.command("list")
def list_(
    ctx: typer.Context, district: DistrictOption = None, fmt: FormatOption = Format.table, wide: WideOption = False
) -> None:
    """List producer groups with their number of products, by district, then name (Thai dictionary order).

    Example: kbo group list --district ธาตุพนม -f csv
    """
    from kbo_cli.domain.groups import GROUP_COLUMNS, list_groups

    with open_session(ctx, write=False) as s:
        rows = list_groups(session=s, district=district)
    show(ctx, Listing(rows, GROUP_COLUMNS, title=_("Producer groups"), empty=_("No producer groups yet.")), fmt, wide)


@app.command("show")
def show_(ctx: typer.Context, group: GroupArg, fmt: FormatOption = Format.table) -> None:
    """Show one producer group.

    Example: kbo group show G0001
    """
    from kbo_cli.domain.refs import find_group

    with open_session(ctx, write=False) as s:
        row = _row(s, find_group(s, group).code)
    _show_one(ctx, row, fmt)


@app.command("edit")
def edit(
    ctx: typer.Context,
    group: GroupArg,
    name: NameOpt = None,
    district: Annotated[str | None, text_option("--district", "-d", help="New district (อำเภอ).")] = None,
    subdistrict: SubdistrictOpt = None,
    village: VillageOpt = None,
    code: Annotated[str | None, text_option("--code", help="New code.")] = None,
    contact: ContactOpt = None,
    phone: PhoneOpt = None,
    kind: KindOpt = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change a producer group; only the fields given change. A dash (-) or ไม่มี clears the sub-district,
    village, contact or phone.

    Example: kbo group edit G0001 --phone 080-000-0101
    """
    from kbo_cli.domain.groups import FIELD_NAMES, edit_group
    from kbo_cli.domain.refs import find_group
    from kbo_cli.render.streams import message

    changes = {
        "name": name,
        "district": district,
        "subdistrict": subdistrict,
        "village": village,
        "code": code,
        "contact": contact,
        "phone": phone,
        "kind": kind,
    }
    with open_session(ctx, write=True) as s:
        found = find_group(s, group)
        changed = edit_group(session=s, group=found, changes=changes)
        row = _row(s, found.code)
    names = ", ".join(_(FIELD_NAMES[field]) for field in changed)
    message(_("Changed {fields} of group {code}", fields=names, code=row.code))
    _show_one(ctx, row, fmt)


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
    from kbo_cli.domain.groups import product_count, remove_group, removed_with
    from kbo_cli.domain.refs import find_group
    from kbo_cli.render.streams import message

    with open_session(ctx, write=False) as s:  # ask before taking the write lock
        found = find_group(s, group)
        if product_count(s, found) and not cascade:
            remove_group(session=s, group=found, cascade=False)  # raises: explains --cascade
        what = {"code": found.code, "name": found.name, "records": counted(removed_with(s, found))}
    confirm(
        _("Remove group {code} {name}, with {records}?", **what)
        if what["records"]
        else _("Remove group {code} {name}?", **what),
        yes,
    )
    with open_session(ctx, write=True) as s:
        remove_group(session=s, group=find_group(s, found.code), cascade=cascade)
    message(
        _("Removed group {code} {name}, with {records}", **what)
        if what["records"]
        else _("Removed group {code} {name}", **what)
    )
