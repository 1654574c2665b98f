"""Spreadsheet layouts and reading .xlsx/.csv files safely.

Each kind of record kbo imports has a sheet with stable English column keys; a header may also be written as
the column's Thai or English label (`ชื่อกลุ่ม`, `Group`), and a sheet may be named by its key or its Thai
label. In a workbook only sheets with those names are imported; any other sheet (the read-only reports kbo
itself writes into an export, a sheet of notes) is skipped and named in the output. A CSV file holds one
kind of record, recognised by its columns, or the flat checklist that `kbo export FILE.csv` writes.

Files come from anywhere, so they are checked before they are read: size, the sheet dimensions a workbook
declares (and the cells it really holds), cell length; a damaged file is an error that says so, never a
crash or a huge allocation. The limits are far above any real province's file, and each says which one
was reached.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _, catalog
from kbo_cli.render.machine import unguarded

#: the largest file kbo reads (bytes), the most rows and columns a sheet may have, and the longest cell
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 100
MAX_CELL = 32_767  # Excel's own limit for a cell's text
#: a workbook whose sheets unpack to more than this many times its size is not a spreadsheet (a zip bomb)
MAX_UNPACK_RATIO = 200


@dataclass(frozen=True)
class SheetSpec:
    key: str
    label: str  # msgid
    columns: tuple[tuple[str, str], ...]  # (key, label msgid)
    required: tuple[str, ...]

    def keys(self) -> list[str]:
        return [k for k, _label in self.columns]


GROUPS = SheetSpec(
    "groups",
    N_("Producer groups"),
    (
        ("code", N_("Code")),
        ("name", N_("Group")),
        ("kind", N_("Kind")),
        ("district", N_("District")),
        ("subdistrict", N_("Sub-district")),
        ("village", N_("Village")),
        ("contact", N_("Contact")),
        ("phone", N_("Phone")),
    ),
    ("name", "district"),
)
PRODUCTS = SheetSpec(
    "products",
    N_("Products"),
    (
        ("code", N_("Code")),
        ("name", N_("Product")),
        ("group_code", N_("Group code")),
        ("category", N_("Category")),
        ("description", N_("Description")),
    ),
    ("name", "group_code", "category"),
)
CHECKLIST = SheetSpec(
    "checklist",
    N_("Checklist"),
    (
        ("product_code", N_("Product code")),
        ("standard", N_("Standard")),
        ("status", N_("Status")),
        ("certificate_no", N_("Certificate no.")),
        ("issued_on", N_("Issued")),
        ("expires_on", N_("Expires")),
        ("note", N_("Note")),
    ),
    ("product_code", "standard"),
)
#: one committee member's scores (kbo opc score); a workbook may hold one such sheet per judge, named
#: `scores` or `คะแนนกรรมการ` followed by anything (`scores - กัลยา`); without a judge column, the rest of the
#: sheet's name names the judge
JUDGE_SCORES = SheetSpec(
    "scores",
    N_("Judges' scores"),
    (
        ("year", N_("Round")),
        ("judge", N_("Judge")),
        ("product_code", N_("Product code")),
        ("part1", N_("Part 1")),
        ("part2", N_("Part 2")),
        ("part3", N_("Part 3")),
    ),
    ("year", "product_code", "part1", "part2", "part3"),
)
IMPORTED = (GROUPS, PRODUCTS, CHECKLIST, JUDGE_SCORES)
#: sheets whose name may go on after the kind's name (one sheet per judge)
PER_PERSON = (JUDGE_SCORES,)
PERSONAL = {"contact", "phone"}
#: how an export names the sheets kbo writes but does not import
READ_ONLY_SUFFIX = " (read only)"


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def names_of(spec: SheetSpec) -> set[str]:
    th = catalog("th")
    return {_norm(spec.key), _norm(spec.label), _norm(th.get(spec.label, spec.label))}


def known_names(spec: SheetSpec) -> dict[str, str]:
    """Every name kbo reads for a column of this kind of sheet (its key, English and Thai headers), to its key;
    a name two columns share is the first's."""
    th = catalog("th")
    known: dict[str, str] = {}
    for key, label in spec.columns:
        for name in (key, label, th.get(label, label)):
            known.setdefault(_norm(name), key)
    return known


def header_map(spec: SheetSpec, header: list[Any]) -> dict[int, str]:
    """Column index -> key, for the headers that name one of the spec's columns."""
    known = known_names(spec)
    return {i: known[_norm(h)] for i, h in enumerate(header) if h is not None and _norm(h) in known}


def unread_columns(sheet: str, header: list[Any], columns: dict[int, str], known: dict[str, str]) -> tuple[str, ...]:
    """The named columns of `header` that are not `columns` (index -> key: those kbo reads). One whose name is
    close to the name of a column kbo reads and the sheet lacks is refused: a slip (`notes` for `note`) would
    leave its cells out without a word. Close to one the sheet has (`product_name` beside `product_code`), it is
    another column, named in the warning."""
    names = sorted(name for name, key in known.items() if key not in columns.values())
    unread = tuple(
        str(h).strip() for i, h in enumerate(header) if i not in columns and h is not None and str(h).strip()
    )
    for column in unread:
        close = difflib.get_close_matches(_norm(column), names, n=1, cutoff=0.75)
        if close:
            raise InvalidValue(
                _("{sheet}: kbo does not read a column named '{column}'", sheet=sheet, column=column),
                _("did you mean '{name}'? rename the column and import again", name=close[0]),
            )
    return unread


def _sheet(name: str, spec: SheetSpec, header: list[Any], source: Any, size: int) -> Sheet:
    """A sheet whose columns are those of `spec`'s kind; refused when it lacks a column every row needs."""
    columns = _once_each(name, header, header_map(spec, header))
    missing = [key for key in spec.required if key not in columns.values()]
    if missing and (size or any(h is not None and str(h).strip() for h in header)):
        raise InvalidValue(
            _("{sheet} has no column {columns} in its first row", sheet=name, columns=", ".join(missing)),
            _("the first row of a sheet names its columns, as in 'kbo export --template'"),
        )
    return Sheet(name, spec, columns, source, size, unread_columns(name, header, columns, known_names(spec)))


def _once_each(sheet: str, header: list[Any], columns: dict[int, str]) -> dict[int, str]:
    """`columns` (index -> key), refused when two of them give the same key: which one would count?"""
    seen: dict[str, int] = {}
    for i, key in columns.items():
        if key in seen:
            raise InvalidValue(
                _(
                    "{sheet} has the column {key} twice (columns {first} and {second})",
                    sheet=sheet,
                    key=str(header[i]).strip(),
                    first=seen[key] + 1,
                    second=i + 1,
                ),
                _("keep one of them and import again"),
            )
        seen[key] = i
    return columns


def cell_text(value: Any) -> str | None:
    """A cell as kbo reads it: text, with numbers written plainly and dates in ISO form."""
    if value is None:
        return None
    if type(value) is str:  # every cell of a CSV file: the text below, without testing for other types first
        text = value.strip()
        if text[:1] == "'":  # kbo's own guard against formulas, taken off again
            text = unguarded(text)
        return text or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return unguarded(str(value).strip()) or None


@dataclass
class Sheet:
    """One sheet of an input file: its name, its kind, and its rows (read as they are needed)."""

    name: str
    spec: SheetSpec
    columns: dict[int, str]
    source: Any  # an iterable of (row number, cells)
    size: int
    unread: tuple[str, ...] = ()  # the named columns kbo does not read (`unread_columns`)

    def records(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        columns = list(self.columns.items())
        for number, cells in self.source:
            size = len(cells)
            record = {key: cell_text(cells[i]) if i < size else None for i, key in columns}
            if any(v is not None for v in record.values()):
                yield number, record


@dataclass(frozen=True)
class Workbook:
    sheets: list[Sheet]
    skipped: list[str]


def _too_big(path: Path, what: str, found: int, limit: int) -> InvalidValue:
    return InvalidValue(
        _(
            "{path}: {what} is {found}, more than kbo reads ({limit})",
            path=path.name,
            what=_(what),
            found=f"{found:,}",
            limit=f"{limit:,}",
        ),
        _("split the file, or check that it is the right one"),
    )


def read_file(path: Path) -> Workbook:
    """The sheets kbo knows in an .xlsx or .csv file, in import order (groups, products, checklist)."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InvalidValue(_("{path} is a folder, not a file", path=path), _("give the path of a file in it"))
    if path.exists() and not path.is_file():  # a device or a pipe (/dev/zero): it has no end to read to
        raise InvalidValue(_("cannot read {path}: it is not a file", path=path), _("give a saved file"))
    if not path.is_file():
        raise InvalidValue(_("cannot read {path}: no such file", path=path), _("check the file name"))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_big(path, N_("the file's size in bytes"), size, MAX_FILE_BYTES)
    if suffix == ".xlsx":
        book = _read_xlsx(path)
    elif suffix == ".csv":
        book = Workbook(_read_csv(path), [])
    else:
        raise InvalidValue(
            _("kbo cannot import {suffix} files", suffix=suffix or path.name),
            _("import .xlsx, .csv or a kbo .json export"),
        )
    order = {spec.key: i for i, spec in enumerate(IMPORTED)}
    return Workbook(sorted(book.sheets, key=lambda s: order[s.spec.key]), book.skipped)


# --- .xlsx ----------------------------------------------------------------------------------------------

_CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row r="([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def _check_workbook(path: Path) -> None:
    """Refuse a workbook that is damaged, a zip bomb, or holds sheets larger than any real province's."""
    damaged = _("save it again as .xlsx, or export it as CSV")
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                    continue
                if info.file_size > MAX_UNPACK_RATIO * max(info.compress_size, 1) and info.file_size > 64 << 20:
                    raise _too_big(
                        path,
                        N_("a sheet's unpacked size in bytes"),
                        info.file_size,
                        MAX_UNPACK_RATIO * max(info.compress_size, 1),
                    )
                rows = columns = 0
                with archive.open(info) as xml:
                    tail = b""
                    while chunk := xml.read(1 << 20):
                        data = tail + chunk
                        for letters, row in _CELL_REF.findall(data):
                            columns = max(columns, _column_number(letters))
                            rows = max(rows, int(row))
                        for row in _ROW_REF.findall(data):
                            rows = max(rows, int(row))
                        tail = data[-64:]
                if columns > MAX_COLUMNS:
                    raise _too_big(path, N_("the number of columns a sheet uses"), columns, MAX_COLUMNS)
                if rows > MAX_ROWS:
                    raise _too_big(path, N_("the number of rows a sheet uses"), rows, MAX_ROWS)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise InvalidValue(
            _(
                "cannot read {path}: not an Excel workbook, or a damaged one ({reason})",
                path=path.name,
                reason=str(exc)[:120],
            ),
            damaged,
        ) from exc


def _per_person(name: str) -> SheetSpec | None:
    """The kind of a sheet named after a kind and a person (`scores - กัลยา`)."""
    return next((s for s in PER_PERSON for known in names_of(s) if _norm(name).startswith(known)), None)


def person_of(sheet: Sheet) -> str | None:
    """The person a per-person sheet's name names after its kind (`scores - กัลยา` -> `กัลยา`), if any."""
    name = " ".join(sheet.name.split())
    if name.casefold().endswith(".csv"):
        name = name[:-4]
    for known in sorted(names_of(sheet.spec), key=len, reverse=True):
        if name.casefold().startswith(known):
            rest = name[len(known) :].strip(" -–:_()")
            return rest or None
    return None


def _rows(path: Path, sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number == 1:
                continue
            for cell in cells:
                if isinstance(cell, str) and len(cell) > MAX_CELL:
                    raise _too_big(path, N_("the length of a cell"), len(cell), MAX_CELL)
            yield number, list(cells)
    except InvalidValue:
        raise
    except Exception as exc:  # python-calamine's errors (a damaged sheet) have no common base class
        raise InvalidValue(
            _(
                "cannot read {path}: the sheet {sheet} is damaged ({reason})",
                path=path.name,
                sheet=sheet.name,
                reason=str(exc)[:120],
            ),
            _("save it again as .xlsx, or export it as CSV"),
        ) from exc


def _read_xlsx(path: Path) -> Workbook:
    from python_calamine import CalamineWorkbook  # a native library: only when a workbook is read (not CSV)

    _check_workbook(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets, skipped = [], []
        for name in book.sheet_names:
            spec = next((s for s in IMPORTED if _norm(name) in names_of(s)), None) or _per_person(name)
            if spec is None:
                skipped.append(name)
                continue
            sheet = book.get_sheet_by_name(name)
            header = next(iter(sheet.iter_rows()), [])
            sheets.append(_sheet(name, spec, list(header), _rows(path, sheet), max(sheet.height - 1, 0)))
    except InvalidValue:
        raise
    except Exception as exc:  # python-calamine's errors have no common base class
        raise InvalidValue(
            _(
                "cannot read {path}: not an Excel workbook, or a damaged one ({reason})",
                path=path.name,
                reason=str(exc)[:120],
            ),
            _("save it again as .xlsx, or export it as CSV"),
        ) from exc
    if not sheets:
        raise InvalidValue(
            _("{path} has no sheet kbo imports", path=path.name),
            _("name the sheets groups, products and checklist (see 'kbo export --template')"),
        )
    return Workbook(sheets, skipped)


# --- .csv -----------------------------------------------------------------------------------------------


#: the encodings a CSV file may be in, tried in turn: UTF-8 (with or without BOM), else the Thai Windows code page
#: (cp874 / TIS-620)
CSV_ENCODINGS = ("utf-8-sig", "cp874")


def decode(raw: bytes) -> str:
    """CSV text in one of CSV_ENCODINGS."""
    for encoding in CSV_ENCODINGS[:-1]:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode(CSV_ENCODINGS[-1], errors="strict")


def _csv_rows(path: Path, lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        reason = str(exc)
        if "field larger" in reason:
            raise _too_big(path, N_("the length of a cell"), MAX_CELL + 1, MAX_CELL) from exc
        raise InvalidValue(
            _(
                "{path}, line {line}: {reason}",
                path=path.name,
                line=reader.line_num,
                reason=_("a quote is not closed") if "quote" in reason or "EOF" in reason else reason,
            ),
            _("check the quotes on that line, or save the file again from the spreadsheet"),
        ) from exc


def _csv_encoding_and_lines(path: Path) -> tuple[str, int]:
    """The file's encoding (the first of CSV_ENCODINGS it decodes in) and its number of line breaks, read in
    pieces: the file is checked whole before a row is read, as `decode` does, without holding it."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        lines = 0
        try:
            with path.open("rb") as fh:
                while piece := fh.read(1 << 20):
                    decoder.decode(piece)
                    lines += piece.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        return encoding, lines
    raise error


class _CsvRows:
    """A CSV file's rows after its header, read from the file each time they are gone through (a flat
    checklist is read once per kind of record), never held whole."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path, self.encoding = path, encoding

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        # newline="\n": lines split as in a str of the whole text, so that csv sees the same lines
        with self.path.open(encoding=self.encoding, errors="strict", newline="\n") as lines:
            yield from _csv_rows(self.path, lines)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        rows = self.rows()
        next(rows, None)
        return rows


def _read_csv(path: Path) -> list[Sheet]:
    try:
        encoding, size = _csv_encoding_and_lines(path)
    except UnicodeDecodeError as exc:
        raise InvalidValue(
            _("cannot read {path}: it is neither UTF-8 nor Thai Windows (cp874) text", path=path.name),
            _("save the CSV as UTF-8 (or the Thai Windows code page)"),
        ) from exc
    csv.field_size_limit(MAX_CELL)
    source = _CsvRows(path, encoding)
    first = next(source.rows(), None)
    if first is None:
        raise InvalidValue(_("{path} is empty", path=path.name), _("see 'kbo export --template' for the columns"))
    header = first[1]
    flat = _flat_sheets(path.name, header, source, size)
    if flat:
        return flat
    spec = _match_columns(header)
    if spec is None:
        raise InvalidValue(
            _("cannot tell what {path} holds from its columns", path=path.name),
            _("use the columns of 'kbo export --template', e.g. name, district"),
        )
    return [_sheet(path.name, spec, header, source, size)]


def _match_columns(header: list[Any]) -> SheetSpec | None:
    for spec in reversed(IMPORTED):
        if set(spec.required) <= set(header_map(spec, header).values()):
            return spec
    return None


#: the flat CSV that `kbo export FILE.csv` writes: one checklist entry per row, with its product and group
FLAT_COLUMNS = {
    GROUPS.key: {"group_code": "code", "group_name": "name", "district": "district"},
    PRODUCTS.key: {"product_code": "code", "product_name": "name", "group_code": "group_code", "category": "category"},
    CHECKLIST.key: {k: k for k in CHECKLIST.keys()},  # noqa: SIM118 - a SheetSpec, not a dict
}


def _flat_sheets(name: str, header_cells: list[str], rows: Iterable[tuple[int, list[str]]], size: int) -> list[Sheet]:
    header = [_norm(h) for h in header_cells]
    if not {"group_code", "group_name", "product_code", "product_name", "standard"} <= set(header):
        return []
    read = {i: h for i, h in enumerate(header) if any(h in names for names in FLAT_COLUMNS.values())}
    unread = unread_columns(name, header_cells, read, {n: n for names in FLAT_COLUMNS.values() for n in names})
    # three sheets read the same rows: `rows` reads them again each time; the first says what is not read
    return [
        Sheet(
            name,
            spec,
            _once_each(
                name,
                header_cells,
                {i: FLAT_COLUMNS[spec.key][h] for i, h in enumerate(header) if h in FLAT_COLUMNS[spec.key]},
            ),
            rows,
            size,
            unread if n == 0 else (),
        )
        for n, spec in enumerate(s for s in IMPORTED if s.key in FLAT_COLUMNS)
    ]
