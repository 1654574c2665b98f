"""Spreadsheet layouts: which sheets kbo reads and writes, their columns, and reading .xlsx/.csv files.

Each kind of record has a sheet with stable English column keys; a header may also be written as the
column's Thai or English label (`ชื่อกลุ่ม`, `Group`). Sheets may be named by key or by Thai label.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import N_, _, catalog


@dataclass(frozen=True)
class SheetSpec:
    key: str
    label: str  # msgid
    columns: tuple[tuple[str, str], ...]  # (key, label msgid)
    required: tuple[str, ...]

    def keys(self) -> list[str]:
        return [k for k, _label in self.columns]


GROUPS = SheetSpec("groups", N_("Producer groups"), (
    ("code", N_("Code")), ("name", N_("Group")), ("kind", N_("Kind")), ("district", N_("District")),
    ("subdistrict", N_("Sub-district")), ("village", N_("Village")), ("contact", N_("Contact")),
    ("phone", N_("Phone")),
), ("name", "district"))
PRODUCTS = SheetSpec("products", N_("Products"), (
    ("code", N_("Code")), ("name", N_("Product")), ("group_code", N_("Group code")), ("category", N_("Category")),
    ("description", N_("Description")),
), ("name", "group_code", "category"))
CHECKLIST = SheetSpec("checklist", N_("Checklist"), (
    ("product_code", N_("Product code")), ("standard", N_("Standard")), ("status", N_("Status")),
    ("certificate_no", N_("Certificate no.")), ("issued_on", N_("Issued")), ("expires_on", N_("Expires")),
    ("note", N_("Note")),
), ("product_code", "standard"))
IMPORTED = (GROUPS, PRODUCTS, CHECKLIST)
PERSONAL = {"contact", "phone"}
FORMULA_START = ("=", "+", "-", "@")


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def names_of(spec: SheetSpec) -> set[str]:
    th = catalog("th")
    return {_norm(spec.key), _norm(spec.label), _norm(th.get(spec.label, spec.label))}


def header_map(spec: SheetSpec, header: list[Any]) -> dict[int, str]:
    """Column index -> key, for the headers that name one of the spec's columns."""
    th = catalog("th")
    known: dict[str, str] = {}
    for key, label in spec.columns:
        for name in (key, label, th.get(label, label)):
            known.setdefault(_norm(name), key)
    return {i: known[_norm(h)] for i, h in enumerate(header) if h is not None and _norm(h) in known}


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_text(value: Any) -> str | None:
    """A cell as kbo reads it: text, with numbers written plainly and dates in ISO form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text or None


@dataclass
class Sheet:
    """One sheet of an input file: its name, and its rows (with their row numbers in the file)."""

    name: str
    spec: SheetSpec
    columns: dict[int, str]
    rows: list[tuple[int, list[Any]]]

    def records(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        for number, cells in self.rows:
            record = {key: cell_text(cells[i]) if i < len(cells) else None for i, key in self.columns.items()}
            if any(v is not None for v in record.values()):
                yield number, record


def read_file(path: Path) -> list[Sheet]:
    """The sheets kbo knows in an .xlsx or .csv file, in import order (groups, products, checklist)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidValue(_("cannot read {path}: no such file", path=path), _("check the file name"))
    if suffix == ".xlsx":
        sheets = _read_xlsx(path)
    elif suffix == ".csv":
        sheets = _read_csv(path)
    else:
        raise InvalidValue(_("kbo cannot import {suffix} files", suffix=suffix or path.name),
                           _("import .xlsx, .csv or a kbo .json export"))
    order = {spec.key: i for i, spec in enumerate(IMPORTED)}
    return sorted(sheets, key=lambda s: order[s.spec.key])


def _match_spec(name: str, header: list[Any]) -> SheetSpec | None:
    for spec in IMPORTED:
        if _norm(name) in names_of(spec):
            return spec
    # unnamed (a CSV file): recognise the kind by its columns
    for spec in reversed(IMPORTED):
        if set(spec.required) <= set(header_map(spec, header).values()):
            return spec
    return None


def _read_xlsx(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InvalidValue(_("cannot read {path}: not an Excel workbook ({reason})", path=path, reason=exc),
                           _("save it as .xlsx, or export it as CSV")) from exc
    sheets = []
    for name in book.sheet_names:
        data = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if not data:
            continue
        header = list(data[0])
        spec = _match_spec(name, header)
        if spec is None:
            continue
        sheets.append(Sheet(name, spec, header_map(spec, header), [(i + 2, list(r)) for i, r in enumerate(data[1:])]))
    if not sheets:
        raise InvalidValue(_("{path} has no sheet kbo knows", path=path),
                           _("name the sheets groups, products and checklist (see 'kbo export --template')"))
    return sheets


def decode(raw: bytes) -> str:
    """CSV text from UTF-8 (with or without BOM) or the Thai Windows code page (cp874 / TIS-620)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp874", errors="strict")


def _read_csv(path: Path) -> list[Sheet]:
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise InvalidValue(_("cannot read {path}: unknown text encoding", path=path),
                           _("save the CSV as UTF-8 (or the Thai Windows code page)")) from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InvalidValue(_("{path} is empty", path=path), _("see 'kbo export --template' for the columns"))
    flat = _flat_sheets(path.name, rows)
    if flat:
        return flat
    spec = _match_spec(path.stem, rows[0])
    if spec is None:
        raise InvalidValue(_("cannot tell what {path} holds from its columns", path=path),
                           _("use the columns of 'kbo export --template', e.g. name, district"))
    return [Sheet(path.name, spec, header_map(spec, rows[0]), [(i + 2, r) for i, r in enumerate(rows[1:])])]


#: the flat CSV that `kbo export FILE.csv` writes: one checklist entry per row, with its product and group
FLAT_COLUMNS = {
    GROUPS.key: {"group_code": "code", "group_name": "name", "district": "district"},
    PRODUCTS.key: {"product_code": "code", "product_name": "name", "group_code": "group_code",
                   "category": "category"},
    CHECKLIST.key: {k: k for k in CHECKLIST.keys()},
}


def _flat_sheets(name: str, rows: list[list[str]]) -> list[Sheet]:
    header = [_norm(h) for h in rows[0]]
    if not {"group_code", "group_name", "product_code", "product_name", "standard"} <= set(header):
        return []
    body = [(i + 2, r) for i, r in enumerate(rows[1:])]
    sheets = []
    for spec in IMPORTED:
        columns = {i: FLAT_COLUMNS[spec.key][h] for i, h in enumerate(header) if h in FLAT_COLUMNS[spec.key]}
        sheets.append(Sheet(name, spec, columns, body))
    return sheets
