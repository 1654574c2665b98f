"""kbo import and kbo export: spreadsheets in and out."""

from pathlib import Path
from typing import Annotated

import typer

from kbo_cli.cli._common import open_session
from kbo_cli.cli.options import DistrictOption, ForceOption, FormatOption, GroupOption
from kbo_cli.i18n import _
from kbo_cli.render.columns import Listing
from kbo_cli.render.formats import Format
from kbo_cli.render.streams import message, warn

#: files with more rows than this show a progress bar on stderr
PROGRESS_FROM = 2000


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="An .xlsx or .csv file (UTF-8 or cp874), or a kbo .json export.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and list what would change; write nothing.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Import producer groups, products and checklist entries; all rows or none.

    Sheets (or CSV files) named groups, products and checklist, with the columns of
    'kbo export --template'; headers may be the English keys or their Thai labels, statuses Thai or
    English. An empty cell leaves a field as it is; a dash (-) or ไม่มี clears it (a group's sub-district,
    village, contact or phone; a product's description; an entry's certificate number, dates or note).
    Other sheets (the read-only reports of an export) are skipped. A kbo .json export restores into an
    empty database. Example: kbo import กลุ่มผู้ผลิต-2568.xlsx --dry-run
    """
    from kbo_cli.render.output import render
    from kbo_cli.transfer.importer import CHANGE_COLUMNS, SUMMARY_COLUMNS, import_file
    from kbo_cli.transfer.rejected import ImportRejected

    progress = None
    try:
        with open_session(ctx, write=True) as s:

            def total(n: int) -> None:
                nonlocal progress
                if n >= PROGRESS_FROM:
                    from rich.progress import Progress

                    from kbo_cli.render.streams import stderr

                    progress = Progress(console=stderr(), transient=True)
                    progress.start()
                    progress.add_task(_("Importing {file}", file=file.name), total=n)

            def tick(n: int) -> None:
                if progress is not None:
                    progress.advance(progress.task_ids[0], n)

            summary = import_file(s, file, tick=tick, total=total, list_changes=dry_run and fmt is Format.table)
            if dry_run:
                s.rollback()
    except ImportRejected as rejected:
        for e in rejected.errors:
            where = {"sheet": e.sheet, "column": e.column, "problem": e.message}
            message(  # row 0: a rule between rows, no one row
                _("{sheet}, row {row}, column {column}: {problem}", row=e.row, **where)
                if e.row
                else _("{sheet}, column {column}: {problem}", **where)
            )
        raise
    finally:
        if progress is not None:
            progress.stop()
    for name in summary.skipped:
        message(_("Skipped the sheet '{name}': kbo does not import it", name=name))
    for text in summary.cautions:
        warn(text)
    if summary.more_cautions:
        warn(_("and {count} more rows with such a warning", count=summary.more_cautions))
    for name, columns in summary.unread:
        warn(
            _(
                "{sheet}: kbo does not read the columns {columns}; their cells were left out",
                sheet=name,
                columns=columns,
            )
        )
    for text in summary.warnings:
        warn(text)
    if summary.warnings:
        message(_("Restored as it was; 'kbo db check' lists these until they are corrected."))
    if dry_run:
        message(_("Dry run: nothing was written. This is what the import would do:"))
        if fmt is Format.table:
            render(Listing(summary.changes, CHANGE_COLUMNS, title=_("Changes"), empty=_("Nothing would change.")), fmt)
    else:
        message(_("Imported {file}", file=file.name))
    render(Listing(summary.rows(), SUMMARY_COLUMNS, title=_("Import")), fmt)


def export(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="FILE.xlsx (everything, with the reports), FILE.csv (the "
            "checklist, flat) or FILE.json (everything, re-importable).",
        ),
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="Write an empty import workbook with an example row instead.")
    ] = None,
    group: GroupOption = None,
    district: DistrictOption = None,
    include_personal: Annotated[
        bool, typer.Option("--include-personal", help="Include contact names and phone numbers (left out by default).")
    ] = False,
    force: ForceOption = False,
) -> None:
    """Export the database, or part of it, to Excel, CSV or JSON.

    Example: kbo export เครือข่าย-KBO-2568.xlsx --district เรณูนคร
    """
    from kbo_cli.errors import InvalidValue
    from kbo_cli.transfer import exporter
    from kbo_cli.transfer.files import atomic_path, check_target

    if template is not None and file is not None:  # which one was meant? one would be left unwritten
        raise InvalidValue(
            _("give either a file to export to or --template, not both"),
            _("for example: kbo export --template ใหม่.xlsx"),
        )
    if template is not None:
        if exporter.suffix_of(template) != ".xlsx":
            raise InvalidValue(_("the template is an .xlsx workbook"), _("give a file ending in .xlsx"))
        with atomic_path(check_target(template, force=force)) as tmp:
            exporter.template_xlsx(tmp)
        message(_("Template written: {path}", path=template))
        return
    if file is None:
        raise InvalidValue(_("give the file to write"), _("for example: kbo export kbo.xlsx"))
    target = check_target(file, force=force)  # a folder, a missing folder: said before the file's kind
    suffix = exporter.suffix_of(file)
    with atomic_path(target) as tmp, open_session(ctx, write=False) as s:
        scope = exporter.scope_for(s, group=group, district=district, include_personal=include_personal)
        if suffix == ".xlsx":
            counts = exporter.export_xlsx(s, tmp, scope)
        else:
            # a CSV file starts with a byte-order mark: without one, Excel on Windows reads it in the Thai code
            # page and shows the Thai as garbage (kbo's importer, and csv readers told utf-8-sig, skip it)
            with tmp.open("w", encoding="utf-8-sig" if suffix == ".csv" else "utf-8", newline="") as out:
                counts = (exporter.export_json if suffix == ".json" else exporter.export_csv)(s, out, scope)
    message(_("Exported to {path}: {counts}", path=file, counts=", ".join(f"{k} {v}" for k, v in counts.items())))
