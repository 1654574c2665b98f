"""Importing producer groups, products and checklist entries from .xlsx and .csv files.

All or nothing: every row is checked with the same rules as the commands (the same functions: names,
districts, categories, statuses in Thai or English, certificate numbers, dates), every bad cell is
reported at once with its sheet, row and column, and nothing is written unless all rows are good.
Records are matched by code, or by normalised name where no code is given, so importing the same file
twice changes nothing. Empty cells leave stored values as they are. Every change is listed (record,
field, old and new value), which is what `--dry-run` shows.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import bindparam, cast, delete, literal, null, or_, union_all, update
from sqlalchemy import insert as sql_insert
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from kbo_cli.domain import committee, network
from kbo_cli.domain.checklist import (
    ENTRY_FIELDS,
    EntryValues,
    apply_entry_values,
    number_missing_warning,
    parse_entry_values,
)
from kbo_cli.domain.codes import PREFIX, temporary_code
from kbo_cli.domain.columns import standard_mark
from kbo_cli.domain.groups import PHONE_MAX, check_phone, kind_of_name
from kbo_cli.domain.opc import check_year, round_for
from kbo_cli.domain.refs import clean_code
from kbo_cli.domain.text import TEXT_MAX, free_text, one_line, required_name, says_none
from kbo_cli.errors import KboError
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.render.columns import Col, Kind
from kbo_cli.storage.history import record_inserts
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product, place_key_values, table_of, utcnow
from kbo_cli.storage.rows import insert_rows
from kbo_cli.thai import places
from kbo_cli.thai.numbers import parse_decimal, parse_int
from kbo_cli.thai.textnorm import name_key, place_key
from kbo_cli.transfer.dump import restore_file
from kbo_cli.transfer.rejected import ImportRejected, RowError
from kbo_cli.transfer.sheets import CHECKLIST, GROUPS, JUDGE_SCORES, PRODUCTS, Sheet, SheetSpec, person_of, read_file
from kbo_cli.vocab import GroupKind, Status

_BATCH = 5000
#: rows checked and written together: the records they name are read in one query per table
CHUNK = 5000
#: the field of TypedEntry each checklist column gives
_ENTRY_CELLS = (
    ("status", "status"),
    ("cert", "certificate_no"),
    ("issued", "issued_on"),
    ("expires", "expires_on"),
    ("note", "note"),
)
#: text that cleaning leaves as it is (ASCII letters, digits, `.`, `_`, `-`, no space): a code, a name such as `A1`
_CODE_LIKE = re.compile(r"[A-Za-z0-9._-]{1,200}")
#: at most this many problems are collected before the import stops reading
MAX_PROBLEMS = 1000


class ChangeRow(NamedTuple):
    """One change an import makes (or, with --dry-run, would make)."""

    sheet: str
    row: int
    record: str
    action: str  # added | updated
    field: str | None
    old: Any
    new: Any


CHANGE_COLUMNS = (
    Col("sheet", N_("Sheet"), priority=3),
    Col("row", N_("Row"), Kind.COUNT, priority=2),
    Col("record", N_("Record"), Kind.CODE),
    Col("action", N_("Change"), show=lambda v: _(v)),
    Col("field", N_("Field"), Kind.CODE),
    Col("old", N_("Old value"), wrap=True, table=False),
    Col("new", N_("New value"), wrap=True, table=False),
    # in a table, a field that had or gets no value says so (a cleared phone is not a blank cell, nor a dash)
    Col("old_value", N_("Old value"), value=lambda row: _or_none(row, row.old), machine=False, wrap=True),
    Col("new_value", N_("New value"), value=lambda row: _or_none(row, row.new), machine=False, wrap=True),
)


def _or_clear(cleaned: str, read: Callable[[str], Any]) -> Any:
    """An optional field's cell, cleaned (control characters refused): CLEAR where it says none (`says_none`),
    else what `read` makes of it (None for an empty cell, which leaves the field as it is)."""
    return CLEAR if says_none(cleaned) else read(cleaned)


def _or_none(row: ChangeRow, value: Any) -> Any:
    return _("(none)") if value is None and row.field is not None else value


SUMMARY_COLUMNS = (
    Col("sheet", N_("Sheet")),
    Col("added", N_("Added"), Kind.COUNT),
    Col("updated", N_("Updated"), Kind.COUNT),
    Col("unchanged", N_("Unchanged"), Kind.COUNT),
)
ADDED, UPDATED, REMOVED = N_("added"), N_("updated"), N_("removed")
#: a file's cautions shown in full: a sheet of a whole province may hold thousands of the same
CAUTIONS_SHOWN = 20


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    changes: list[ChangeRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # kept, but against a rule: for a person to correct
    unread: list[tuple[str, str]] = field(default_factory=list)  # (sheet, its columns kbo did not read)
    #: what the rows did that a person should know: entries with something recorded gone with a new category,
    #: certified entries left without their certificate number
    cautions: list[str] = field(default_factory=list)
    more_cautions: int = 0  # rows with a caution after the first CAUTIONS_SHOWN

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"sheet": k, "added": c.added, "updated": c.updated, "unchanged": c.unchanged}
            for k, c in self.counts.items()
        ]


class _Bad(Exception):
    def __init__(self, column: str, message: str, more: list[_Bad] | None = None) -> None:
        self.column, self.message = column, message
        self.more = more or []


T = TypeVar("T")

#: a cell that says "none" (`-`, ไม่มี) in a column of an optional field: the field is cleared. An empty cell
#: leaves the field as it is, so that a sheet may give only what it knows.
CLEAR = object()


def _checked(column: str, fn: Callable[[Any], T], value: Any) -> T:
    try:
        return fn(value)
    except KboError as exc:
        raise _Bad(column, exc.message) from None


def _all_fields(checks: dict[str, Callable[..., Any]]) -> dict[str, Any]:
    """Run every field's check, so that a row with several bad cells reports them all.

    Each check is called without arguments (typed `...` because mypy cannot infer a lambda that binds loop values
    as default arguments)."""
    values: dict[str, Any] = {}
    bad: list[_Bad] = []
    for key, check in checks.items():
        try:
            values[key] = check()
        except _Bad as exc:
            bad.append(exc)
    if bad:
        raise _Bad(bad[0].column, bad[0].message, bad[1:])
    return values


# --- light records ---------------------------------------------------------------------------------------

#: where a record a chunk reads comes from: stored before this import, added by it in an earlier chunk (so
#: written without history: the history records it once, as inserted, when the import ends), or new in this
#: chunk (inserted when the chunk ends)
_STORED, _IMPORTED, _PENDING = 0, 1, 2


class _Record:
    """A record as the rows of one chunk see it: its columns as plain attributes, no ORM state. Stored records
    are read for the chunk in one query per table; the ones its rows change are written when it ends."""

    __slots__ = ("dirty", "id", "origin")
    id: int | None
    origin: int  # _STORED, _IMPORTED or _PENDING
    dirty: bool  # changed by a row of the chunk: written when it ends
    model: Any = None
    columns: tuple[str, ...] = ()
    writable: tuple[str, ...] = ()  # the columns an import may change

    @classmethod
    def stored(cls, row: Any, origin: int, columns: tuple[str, ...] | None = None) -> Any:
        record = cls.__new__(cls)
        for name, value in zip(columns or cls.columns, row, strict=True):
            setattr(record, name, value)
        record.origin, record.dirty = origin, False
        return record

    @classmethod
    def new(cls, **values: Any) -> Any:
        record = cls.__new__(cls)
        for name in cls.columns:
            setattr(record, name, values.get(name))
        record.origin, record.dirty = _PENDING, False
        return record

    @classmethod
    def fresh(cls, product_id: int, standard: str) -> Any:
        """An entry of a product this import added, as `_entries_of_new_products` wrote it (id and time unread)."""
        record = cls.new(product_id=product_id, standard=standard, status=Status.NOT_STARTED)
        record.origin = _IMPORTED
        return record

    def values(self, columns: tuple[str, ...] | None = None) -> dict[str, Any]:
        return {c: getattr(self, c) for c in columns or self.columns if c != "id"}


def _light(model: Any, fixed: tuple[str, ...]) -> Any:
    columns = tuple(c.name for c in table_of(model).columns)
    return type(
        f"_Light{model.__name__}",
        (_Record,),
        {
            "__slots__": tuple(c for c in columns if c != "id"),
            "model": model,
            "columns": columns,
            "writable": tuple(c for c in columns if c not in ("id", *fixed)),
        },
    )


_Group = _light(ProducerGroup, ("created_at", "sort_key"))  # the sort key is computed, not imported
_Product = _light(Product, ("created_at",))
_Entry = _light(ChecklistEntry, ("product_id", "standard"))


class _Index:
    """The records of one table a chunk of rows can reach: by code, by name (within a district or a group),
    and by name key. Filled from the database for the chunk, then with the records its rows add."""

    def __init__(self, scope: str) -> None:
        self.scope = scope  # "district" for groups, "group_id" for products
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[tuple[Any, str], Any] = {}
        self.names: dict[str, list[Any]] = defaultdict(list)

    def add(self, record: Any) -> None:
        self.by_code[record.code] = record
        self.by_name[(getattr(record, self.scope), record.name_key)] = record
        self.names[record.name_key].append(record)

    def renamed(self, record: Any, scope: Any, name_key: str) -> None:
        """`record` as a row renamed or moved it (it was `name_key` in `scope`): found by its new name only."""
        if self.by_name.get((scope, name_key)) is record:
            del self.by_name[scope, name_key]
        if record in self.names.get(name_key, ()):
            self.names[name_key].remove(record)
        self.by_name[(getattr(record, self.scope), record.name_key)] = record
        self.names[record.name_key].append(record)

    def find(self, ref: str, key: Callable[[str], str]) -> tuple[Any, list[Any]]:
        """The record a reference names by code, else the records whose name it is."""
        found = self.by_code.get(ref.strip().upper())
        return (found, []) if found is not None else (None, self.names.get(key(ref), []))


class _Bits:
    """A set of ids as a bitmap: one bit per id, whatever the number of ids in it."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, id_: int) -> None:
        byte = id_ >> 3
        if byte >= len(self.bits):
            self.bits.extend(bytes(byte + 1 - len(self.bits) + len(self.bits) // 2))
        self.bits[byte] |= 1 << (id_ & 7)

    def discard(self, id_: int) -> None:
        if id_ in self:
            self.bits[id_ >> 3] &= ~(1 << (id_ & 7))

    def __contains__(self, id_: int) -> bool:
        byte = id_ >> 3
        return byte < len(self.bits) and bool(self.bits[byte] >> (id_ & 7) & 1)


class _Ids(_Bits):
    """The ids of the records this import added: in order (8 bytes each), and as a bitmap to test them."""

    def __init__(self) -> None:
        super().__init__()
        self.order = array("q")

    def add(self, id_: int) -> None:
        self.order.append(id_)
        super().add(id_)

    def __len__(self) -> int:
        return len(self.order)

    def where(self, column: Any) -> Iterator[Any]:
        """Conditions that together select these ids in `column`: see `_spans`."""
        return _spans(column, self.order)


def _spans(column: Any, ids: Iterable[int], most: int = 20 * _BATCH, runs_most: int = 200) -> Iterator[Any]:
    """Conditions on `column` that together select `ids`: runs of consecutive ids as BETWEEN (the ids a bulk
    insert gets are mostly one run), at most `most` ids and `runs_most` runs each."""
    runs: list[tuple[int, int]] = []
    count = 0
    for id_ in ids:
        if runs and id_ == runs[-1][1] + 1 and count < most:
            runs[-1] = (runs[-1][0], id_)
        else:
            if count >= most or len(runs) >= runs_most:
                yield or_(*(column.between(first, last) for first, last in runs))
                runs, count = [], 0
            runs.append((id_, id_))
        count += 1
    if runs:
        yield or_(*(column.between(first, last) for first, last in runs))


def _chunks(records: Iterable[tuple[int, dict[str, str | None]]]) -> Iterator[list[tuple[int, dict[str, str | None]]]]:
    it = iter(records)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _quiet(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), or None where it refuses the value (the row's check reports that)."""
    try:
        return fn(*args)
    except KboError:
        return None


class Importer:
    """One import: one sheet after another, each read, checked and written in chunks of rows.

    For each chunk, the stored records its rows name are read in one query per table (by code, by name key;
    checklist entries by product), as light records; the rows are checked and applied to them; at the end of
    the chunk the new records are inserted in bulk and the changed ones written: through the ORM for records
    stored before the import (so that history records the change), directly for records this import added.
    Then the chunk is let go: memory stays the same whatever the size of the file or of the database.
    History records what the import added once, at the end, with the values the whole file gave it.
    """

    def __init__(
        self, session: Session, tick: Callable[[int], None] | None = None, *, list_changes: bool = False
    ) -> None:
        self.s = session
        self.tick = tick or (lambda n: None)
        self.list_changes = list_changes
        self.errors: list[RowError] = []
        self.summary = ImportSummary()
        self.province = network.province_code(session)
        self.added_groups = _Ids()
        self.added_products = _Ids()
        self.fresh = _Bits()  # added products whose entries are still as this import wrote them
        # per kind, the records counted in the summary (by `_count`'s key), and those of them counted unchanged
        self._counted: dict[str, tuple[_Bits, _Bits]] = defaultdict(lambda: (_Bits(), _Bits()))
        self._given: dict[tuple[str, str], _Bits] = defaultdict(_Bits)  # the records a row gave a field to
        self._pending_given: dict[int, set[str]] = {}  # the same for the chunk's new records, by the record
        self._slots = {code: n for n, code in enumerate(catalog.standards())}  # an entry's key: product, standard
        self._products_failed = False  # a products sheet ended with errors (see _judge_score)
        self._sheet = ""
        self._row = 0
        self._person: str | None = None
        self.committees: dict[int, list[Any]] = {}
        self._start_chunk()

    def _start_chunk(self) -> None:
        self.groups = _Index("district")
        self.products = _Index("group_id")
        self.entries: dict[tuple[int, str], Any] = {}
        self.new_groups: list[Any] = []
        self.new_products: list[Any] = []
        self.new_entries: list[Any] = []
        self.dirty: list[Any] = []
        self._needs_checklist: list[Any] = []  # products whose category changed
        self._category_row: dict[int, int] = {}  # the row that changed it, for --dry-run's list
        self._memo: dict[tuple[Any, ...], Any] = {}

    # --- checks, once per distinct value in a chunk ------------------------------------------------------
    def _once(self, key: tuple[Any, ...], fn: Callable[[], Any]) -> Any:
        """fn(), remembered for the chunk under `key` (the checks are pure: same text, same result or error)."""
        try:
            return self._memo[key]
        except KeyError:
            result = self._memo[key] = fn()
            return result

    def _name(self, value: str, what: str) -> str:
        """`value` checked as a name (`required_name`), remembered for the chunk like `_once` (its values repeat:
        a group's name on each of its products' rows), looked up before anything else is done."""
        memo = self._memo
        try:
            name: str = memo["name", what, value]
        except KeyError:
            if _CODE_LIKE.fullmatch(value):  # a code (N0000001): nothing to clean, as tests/test_sheets.py checks
                name = value
            else:
                name = required_name(value, what)
                if name == value:  # already clean: its key is clean_text(value).casefold(), without cleaning again
                    memo.setdefault(("key", name), name.casefold())
            memo["name", what, value] = name
        return name

    def _key(self, name: str) -> str:
        """The name key of a name `_name` gave, remembered for the chunk."""
        memo = self._memo
        try:
            key: str = memo["key", name]
        except KeyError:
            key = memo["key", name] = name.casefold() if _CODE_LIKE.fullmatch(name) else name_key(name)
        return key

    def _standard(self, text: str) -> Any:
        return self._once(("standard", text), lambda: catalog.parse_standard(text))

    # --- reading what a chunk's rows name ---------------------------------------------------------------
    def _fetch(
        self, cls: Any, column: str, wanted: Iterable[Any], into: dict[int, Any], columns: tuple[str, ...] | None = None
    ) -> None:
        """The stored records whose `column` is one of `wanted` (one query), into `into` by id; only `columns`
        of them for records the rows only refer to."""
        wanted = sorted(set(wanted))
        if not wanted:
            return
        table = table_of(cls.model)
        columns = columns or cls.columns
        added = self.added_groups if cls is _Group else self.added_products
        by = columns.index("product_id" if cls is _Entry else "id")  # the id that tells an added record
        rows = (
            self.s.connection()
            .execute(sql_select(*(table.c[c] for c in columns)).where(table.c[column].in_(wanted)))
            .all()
        )
        for row in rows:
            if row[0] not in into:
                into[row[0]] = cls.stored(row, _IMPORTED if row[by] in added else _STORED, columns)

    @staticmethod
    def _fill(index: _Index, records: dict[int, Any]) -> None:
        for id_ in sorted(records):
            index.add(records[id_])

    def _fetch_named(self, cls: Any, index: _Index, refs: Iterable[str]) -> None:
        """The records references name: by code, and by name key for those no code matches."""
        refs = set(refs)
        found: dict[int, Any] = {}
        columns = (
            "id",
            "code",
            "name",
            "name_key",
            "district" if cls is _Group else "group_id",
            *(("category",) if cls is _Product else ()),
        )  # what a reference needs
        self._fetch(cls, "code", (ref.strip().upper() for ref in refs), found, columns)
        codes = {r.code for r in found.values()}
        self._fetch(
            cls, "name_key", (self._key(ref) for ref in refs if ref.strip().upper() not in codes), found, columns
        )
        self._fill(index, found)

    def _refs(self, rows: list[tuple[int, dict[str, str | None]]], column: str, what: str) -> Iterator[str]:
        for _number, r in rows:
            value = r.get(column)
            if value and value.strip():
                ref = _quiet(self._name, value, what)
                if ref is not None:
                    yield ref

    def _prefetch_groups(self, rows: list[tuple[int, dict[str, str | None]]]) -> None:
        coded, named = [], []
        for _number, r in rows:
            code = _quiet(clean_code, r["code"]) if r.get("code") else None
            value = r.get("name")
            name = _quiet(self._name, value, N_("group name")) if value and value.strip() else None
            if code:
                coded.append((code, name))
            elif name is not None:
                named.append(name)
        found: dict[int, Any] = {}
        self._fetch(_Group, "code", (code for code, _name in coded), found)
        named += [name for _code, name in coded if name is not None]  # a clash with another group's name is checked
        self._fetch(_Group, "name_key", (self._key(name) for name in named), found)
        self._fill(self.groups, found)

    def _prefetch_products(self, rows: list[tuple[int, dict[str, str | None]]]) -> None:
        self._fetch_named(_Group, self.groups, self._refs(rows, "group_code", N_("producer group")))
        codes, keys = [], []
        for _number, r in rows:
            if r.get("code"):
                code = _quiet(clean_code, r["code"])
                if code:
                    codes.append(code)
            if (value := r.get("name")) and value.strip():  # with a code too: a clash with another's name
                name = _quiet(self._name, value, N_("product name"))
                if name is not None:
                    keys.append(self._key(name))
        found: dict[int, Any] = {}
        self._fetch(_Product, "code", codes, found)
        self._fetch(_Product, "name_key", keys, found)
        self._fill(self.products, found)

    def _prefetch_products_named(self, rows: list[tuple[int, dict[str, str | None]]]) -> None:
        self._fetch_named(_Product, self.products, self._refs(rows, "product_code", N_("product")))

    def _prefetch_entries(self, rows: list[tuple[int, dict[str, str | None]]]) -> None:
        self._prefetch_products_named(rows)
        wanted = set()
        for _number, r in rows:
            ref, std = r.get("product_code"), r.get("standard")
            if ref and ref.strip() and std and std.strip():
                ref, std = _quiet(self._name, ref, N_("product")), _quiet(self._name, std, N_("standard"))
                product, _matches = self.products.find(ref, self._key) if ref is not None else (None, [])
                if product is None and len(_matches) == 1:
                    product = _matches[0]
                standard = _quiet(self._standard, std) if std is not None else None
                if (
                    product is not None
                    and standard is not None
                    and (product.id not in self.fresh or standard.applies_to(product.category))
                ):
                    wanted.add((product.id, standard.code))
        fresh = {pair for pair in wanted if pair[0] in self.fresh}
        for product_id, standard in fresh:  # as this import wrote them: known without reading them
            self.entries[(product_id, standard)] = _Entry.fresh(product_id, standard)
        wanted -= fresh
        if not wanted:
            return
        table = table_of(ChecklistEntry)
        ids = [
            id_
            for id_, *pair in self.s.connection().execute(  # the covering index: then only the rows named
                sql_select(table.c.id, table.c.product_id, table.c.standard).where(
                    table.c.product_id.in_(sorted({pid for pid, _std in wanted}))
                )
            )
            if tuple(pair) in wanted
        ]
        found: dict[int, Any] = {}
        self._fetch(_Entry, "id", ids, found)
        for entry in found.values():
            self.entries[(entry.product_id, entry.standard)] = entry

    # --- driving ---------------------------------------------------------------------------------
    def run(self, sheets: list[Sheet]) -> ImportSummary:
        handlers = {
            GROUPS.key: self._group,
            PRODUCTS.key: self._product,
            CHECKLIST.key: self._entry,
            JUDGE_SCORES.key: self._judge_score,
        }
        prefetch = {
            GROUPS.key: self._prefetch_groups,
            PRODUCTS.key: self._prefetch_products,
            CHECKLIST.key: self._prefetch_entries,
            JUDGE_SCORES.key: self._prefetch_products_named,
        }
        for sheet in sheets:
            kind = sheet.spec.key
            self._person = person_of(sheet) if sheet.spec is JUDGE_SCORES else None
            self.summary.counts[kind]  # (a defaultdict) the sheet shows in the summary even if empty
            handle = handlers[kind]
            self._sheet = sheet.name
            for chunk in _chunks(sheet.records()):
                self._start_chunk()
                prefetch[kind](chunk)
                for number, record in chunk:
                    self._row = number
                    try:
                        handle(record)
                    except _Bad as bad:
                        for one in (bad, *bad.more):
                            self.errors.append(RowError(sheet.name, number, one.column, one.message))
                        if len(self.errors) >= MAX_PROBLEMS:
                            raise ImportRejected(self.errors) from None
                self._write_chunk()
                self.tick(len(chunk))
            if kind == PRODUCTS.key and self.errors:
                self._products_failed = True
        self._start_chunk()
        self._finish()
        if self.errors:
            raise ImportRejected(self.errors)
        return self.summary

    # --- writing a chunk -------------------------------------------------------------------------
    def _write_chunk(self) -> None:
        """Insert the chunk's new records, write the changed ones, and let the chunk go.

        Records are written even when some rows were bad, so that later rows find what earlier ones added
        and are checked the same way; the command's one transaction is then rolled back: nothing is kept."""
        self._insert_new(ProducerGroup, self.new_groups, self.added_groups)
        self._insert_new(Product, self.new_products, self.added_products)
        self._entries_of_new_products(self.new_products)
        self._carry_given()
        conn = self.s.connection()
        added_entries = [e for e in self.new_entries if e.product_id in self.added_products]
        for e in added_entries:
            self.fresh.discard(e.product_id)
        for start in range(0, len(added_entries), _BATCH):
            insert_rows(conn, table_of(ChecklistEntry), [e.values() for e in added_entries[start : start + _BATCH]])
        orm: list[Any] = [
            ChecklistEntry(**e.values()) for e in self.new_entries if e.product_id not in self.added_products
        ]
        self.s.add_all(orm)
        for cls in (_Group, _Product, _Entry):
            records = [r for r in self.dirty if type(r) is cls]
            self._write_added(cls, [r for r in records if r.origin == _IMPORTED])
            orm += self._write_stored(cls, [r for r in records if r.origin == _STORED])
        orm += self._checklists_after_category_change()
        self.s.flush()
        for obj in orm:
            if obj in self.s:
                self.s.expunge(obj)
        self._start_chunk()

    def _carry_given(self) -> None:
        """What rows gave the chunk's new records, remembered by their ids now that they have them: a row of a
        later chunk that gives one of them another value is refused too."""
        for kind, records in ((GROUPS.key, self.new_groups), (PRODUCTS.key, self.new_products)):
            for record in records:
                for name in self._pending_given.pop(id(record), ()):
                    self._given[kind, name].add(record.id)
        for entry in self.new_entries:
            fields = self._pending_given.pop(id(entry), ())
            if fields and entry.product_id is not None:
                key = self._entry_key(entry.product_id, entry.standard)
                for name in fields:
                    self._given[CHECKLIST.key, name].add(key)
        self._pending_given.clear()

    def _insert_new(self, model: Any, records: list[Any], added: _Ids) -> None:
        """Insert new records in bulk, learn their ids by code, then give those without a code their generated one."""
        if not records:
            return
        table = table_of(model)
        conn = self.s.connection()
        keyed = model is ProducerGroup  # groups get their sort key (again once their code is made, below)
        for start in range(0, len(records), _BATCH):
            rows = [r.values() for r in records[start : start + _BATCH]]
            insert_rows(conn, table, [place_key_values(v) for v in rows] if keyed else rows)
        by_code = {r.code: r for r in records}
        for start in range(0, len(records), _BATCH):
            codes = [r.code for r in records[start : start + _BATCH]]
            for id_, code in conn.execute(sql_select(table.c.id, table.c.code).where(table.c.code.in_(codes))):
                by_code[code].id = id_
        prefix, width = PREFIX[model]
        pending, n, renamed = [r for r in records if r.code.startswith("~")], 0, []
        while pending:  # the code from the id, else the first of -1, -2 ... that no record has
            tried = {r: f"{prefix}{r.id:0{width}d}" + (f"-{n}" if n else "") for r in pending}
            taken = set(conn.execute(sql_select(table.c.code).where(table.c.code.in_(list(tried.values())))).scalars())
            renamed += [
                {"rid": r.id, "new_code": code, "new_key": place_key(r.district, r.name, code) if keyed else None}
                for r, code in tried.items()
                if code not in taken
            ]
            for r, code in tried.items():
                if code not in taken:
                    r.code = code
            pending, n = [r for r, code in tried.items() if code in taken], n + 1
        if renamed:
            values: dict[str, Any] = {
                "code": bindparam("new_code"),
                **({"sort_key": bindparam("new_key")} if keyed else {}),
            }
            conn.execute(update(table).where(table.c.id == bindparam("rid")).values(values), renamed)
        for r in records:
            r.origin = _IMPORTED
            added.add(r.id)
            if model is Product:
                self.fresh.add(r.id)  # its entries are written next, as _Entry.fresh gives them

    def _entries_of_new_products(self, products: list[Any]) -> None:
        """Each new product's checklist: every standard that applies to its category, not started yet, in
        catalogue order (written by the database from the products, one statement for the chunk)."""
        pairs = [
            sql_select(literal(category).label("category"), literal(std.code).label("standard"), literal(n).label("n"))
            for category in sorted({p.category for p in products})
            for n, std in enumerate(catalog.applicable(category))
        ]
        if not pairs:
            return
        applicable = union_all(*pairs).subquery("applicable")
        product, entry = table_of(Product), table_of(ChecklistEntry)
        columns = ["product_id", "standard", *ENTRY_FIELDS, "updated_at"]
        self.s.connection().execute(
            sql_insert(entry).from_select(
                columns,
                sql_select(
                    product.c.id,
                    applicable.c.standard,
                    literal(Status.NOT_STARTED.value),
                    *(cast(null(), entry.c[c].type) for c in columns[3:7]),
                    literal(utcnow(), entry.c.updated_at.type),
                )
                .join(applicable, applicable.c.category == product.c.category)
                .where(or_(*_spans(product.c.id, sorted(p.id for p in products))))
                .order_by(product.c.id, applicable.c.n),
            )
        )

    def _write_added(self, cls: Any, records: list[Any]) -> None:
        """Records this import added and a later chunk changed: written as they are now (history records
        them once, as inserted, at the end)."""
        if not records:
            return
        table = table_of(cls.model)
        if cls is _Entry:  # by product and standard (an entry read as fresh has no id), its time left as it is
            key: tuple[str, ...] = ("product_id", "standard")
            columns = ENTRY_FIELDS
            for r in records:
                self.fresh.discard(r.product_id)
        else:
            key, columns = ("id",), cls.writable + (("sort_key",) if cls is _Group else ())
        statement = (
            update(table)
            .where(*(table.c[k] == bindparam(f"_{k}") for k in key))
            .values({c: bindparam(f"_{c}") for c in columns})
        )
        conn = self.s.connection()
        if cls is _Group:  # its district or name may have changed: its sort key with them
            for r in records:
                r.sort_key = place_key(r.district, r.name, r.code)
        for start in range(0, len(records), _BATCH):
            conn.execute(
                statement, [{f"_{c}": getattr(r, c) for c in (*key, *columns)} for r in records[start : start + _BATCH]]
            )

    def _write_stored(self, cls: Any, records: list[Any]) -> list[Any]:
        """Records stored before the import that rows changed: through the ORM, so that history records the
        change (one query for the chunk's records)."""
        if not records:
            return []
        model = cls.model
        by_id = {r.id: r for r in records}
        objects = list(self.s.exec(select(model).where(col(model.id).in_(sorted(by_id)))))
        for obj in objects:
            record = by_id[obj.id]
            for c in cls.writable:
                value = getattr(record, c)
                if getattr(obj, c) != value:
                    setattr(obj, c, value)
        return objects

    def _checklists_after_category_change(self) -> list[Any]:
        """Products whose category changed: the standards that now apply added, those that no longer apply removed."""
        if not self._needs_checklist:
            return []
        known = set(catalog.standards())
        table = table_of(ChecklistEntry)
        conn = self.s.connection()
        added = [p for p in self._needs_checklist if p.id in self.added_products]
        stored = [p for p in self._needs_checklist if p.id not in self.added_products]
        if added:  # their entries are recorded in the history at the end, as they are then
            for product in added:
                self.fresh.discard(product.id)
            have: dict[int, set[str]] = defaultdict(set)
            for pid, standard in conn.execute(
                sql_select(table.c.product_id, table.c.standard).where(table.c.product_id.in_([p.id for p in added]))
            ):
                have[pid].add(standard)
            new_rows = []
            for product in added:
                wanted = [s.code for s in catalog.applicable(product.category)]
                gone = (have[product.id] & known) - set(wanted)
                if gone:
                    conn.execute(delete(table).where(table.c.product_id == product.id, table.c.standard.in_(gone)))
                new_rows += [
                    {
                        "product_id": product.id,
                        "standard": code,
                        "status": Status.NOT_STARTED,
                        "certificate_no": None,
                        "issued_on": None,
                        "expires_on": None,
                        "note": None,
                        "updated_at": utcnow(),
                    }
                    for code in wanted
                    if code not in have[product.id]
                ]
            if new_rows:
                insert_rows(conn, table, new_rows)
        objects: list[Any] = []
        if stored:
            entries: dict[int, list[Any]] = defaultdict(list)
            for entry in self.s.exec(
                select(ChecklistEntry).where(col(ChecklistEntry.product_id).in_([p.id for p in stored]))
            ):
                entries[entry.product_id].append(entry)
            for product in stored:
                row = self._category_row.get(product.id, 0)
                wanted = [s.code for s in catalog.applicable(product.category)]
                present = {e.standard for e in entries[product.id]}
                new = [ChecklistEntry(product_id=product.id, standard=code) for code in wanted if code not in present]
                self.s.add_all(new)
                if self.list_changes:  # what a new category brings, as --dry-run shows it
                    self.summary.changes += [
                        ChangeRow(
                            self._sheet, row, f"{product.code} {standard_mark(e.standard)}", ADDED, None, None, None
                        )
                        for e in new
                    ]
                objects += new + entries[product.id]
                for entry in entries[product.id]:
                    if entry.standard in known and entry.standard not in wanted:
                        self.s.delete(entry)
                        self._removed_entry(product.code, row, entry)
        return objects

    def _caution(self, text: str) -> None:
        """A warning about what a row did (`ImportSummary.cautions`): the first ones of the file in full."""
        if len(self.summary.cautions) < CAUTIONS_SHOWN:
            self.summary.cautions.append(text)
        else:
            self.summary.more_cautions += 1

    def _entry_key(self, product_id: int, standard: str) -> int:
        """A number naming a checklist entry for the whole import (its product, then the standard's slot)."""
        return product_id * len(self._slots) + self._slots[standard]

    def _removed_entry(self, product: str, row: int, entry: ChecklistEntry) -> None:
        """An entry a new category took away: listed with the changes, and said when it held something (as
        `kbo product edit --category` says it)."""
        if self.list_changes:
            label = f"{product} {standard_mark(entry.standard)}"
            self.summary.changes.append(ChangeRow(self._sheet, row, label, REMOVED, "status", entry.status, None))
        if entry.status != Status.NOT_STARTED or entry.certificate_no or entry.note:
            self._caution(
                _(
                    "{product}: the entry for {standard} ({status}) is removed: it does not apply to the new category",
                    product=product,
                    standard=standard_mark(entry.standard),
                    status=Status(entry.status).label,
                )
            )

    def _finish(self) -> None:
        """History: every record the import added, once, as inserted, with the values the whole file gave it
        (the database writes the change rows from the records: see record_inserts)."""
        if self.errors:
            return
        group, product, entry = table_of(ProducerGroup), table_of(Product), table_of(ChecklistEntry)
        # codes (checked by clean_code, or made from the id) and the catalogue's codes need no escaping in JSON
        codes = [*catalog.categories(), *catalog.standards(), *Status]
        plain = ("code", "category", "standard", "status") if all(map(_CODE_LIKE.fullmatch, codes)) else ("code",)
        added = (  # (the ids added, the column they are in, the table recorded, its fields recorded)
            (self.added_groups, group.c.id, group, (group.c.code, group.c.name, group.c.district)),
            (
                self.added_products,
                product.c.id,
                product,
                (product.c.code, product.c.name, product.c.category, product.c.group_id),
            ),
            (self.added_products, entry.c.product_id, entry, (entry.c.product_id, entry.c.standard, entry.c.status)),
        )
        for ids, column, table, fields in added:
            for where in ids.where(column):
                query = sql_select(table.c.id, *fields).where(where)
                record_inserts(self.s, table.name, query, plain=plain)

    # --- rows ------------------------------------------------------------------------------------
    def _touch(self, record: Any) -> None:
        if record.origin != _PENDING and not record.dirty:
            record.dirty = True
            self.dirty.append(record)

    def _agree(self, kind: str, record: Any, given: dict[str, Any], key: int | None) -> None:
        """Refuse a row that gives a record another value than an earlier row of the file gave it: one of the
        two is a slip, and the later one would win without a word. What rows gave is remembered by `key` (a bit
        a field), or for a record the chunk adds (no id yet) by the record itself, until the chunk is written."""
        for name, value in given.items():
            if value is None or name == "name_key":
                continue
            if value is CLEAR:
                value = None
            if key is None:
                fields = self._pending_given.setdefault(id(record), set())
                if name not in fields:
                    fields.add(name)
                    continue
            else:
                bits = self._given[kind, name]
                if key not in bits:
                    bits.add(key)
                    continue
            old = getattr(record, name, None)
            if old != value:
                column = "group_code" if name == "group_id" else name
                if old is None:  # an earlier row cleared it (or its number took the computed expiry with it)
                    raise _Bad(
                        column,
                        _("an earlier row of the file leaves it with no value (a dash or ไม่มี): which one is meant?"),
                    )
                shown = getattr(old, "value", old)
                raise _Bad(column, _("an earlier row of the file gives it {value}: which one is meant?", value=shown))

    def _apply(self, kind: str, label: str, record: Any, values: dict[str, Any], is_new: bool) -> None:
        self._agree(kind, record, values, record.id)
        changed: list[tuple[str, Any, Any]] = []
        for key, value in values.items():
            if value is None:
                continue
            new = None if value is CLEAR else value
            if getattr(record, key, None) != new:
                changed.append((key, getattr(record, key, None), new))
                setattr(record, key, new)
        if is_new or record.origin == _STORED:  # a new one is counted as it is made, once (the rows after find it)
            self._count(kind, label, changed, is_new, key=None if is_new else record.id)
        else:  # one this import added (by an earlier row): counted then
            self._list_changes(label, changed, is_new)
        if changed and not is_new:
            if record.origin == _STORED:
                record.updated_at = utcnow()
            self._touch(record)

    def _add(
        self,
        cls: Any,
        spec: SheetSpec,
        index: _Index,
        pending: list[Any],
        code: str | None,
        values: dict[str, Any],
        **defaults: Any,
    ) -> None:
        """A group or product a row adds: its code, or a temporary one until the chunk is written, and the row's
        `values` (`defaults` where the row leaves one empty); inserted when the chunk ends, found by the rows after
        it."""
        now = utcnow()
        record = cls.new(code=code or temporary_code(), created_at=now, updated_at=now, **defaults)
        self._apply(spec.key, code or values["name"], record, values, is_new=True)
        pending.append(record)
        index.add(record)

    def _count(
        self, kind: str, label: str, changed: list[tuple[str, Any, Any]], is_new: bool, key: int | None = None
    ) -> None:
        """List a row's changes when asked, and count its record in the summary: as added, else as updated if a
        row changed it, else as unchanged. With `key` (a number naming the record for the whole import) a record
        counts once however many rows name it: a flat sheet names a group and a product on each row of their
        checklist, and a sheet may repeat a row."""
        self._list_changes(label, changed, is_new)
        counts = self.summary.counts[kind]
        if key is not None:
            seen, unchanged = self._counted[kind]
            if key in seen:
                if changed and key in unchanged:  # a later row changed what the earlier ones left as it was
                    unchanged.discard(key)
                    counts.unchanged -= 1
                    counts.updated += 1
                return
            seen.add(key)
            if not (is_new or changed):
                unchanged.add(key)
        if is_new:
            counts.added += 1
        elif changed:
            counts.updated += 1
        else:
            counts.unchanged += 1

    def _list_changes(self, label: str, changed: list[tuple[str, Any, Any]], is_new: bool) -> None:
        if not self.list_changes:
            return
        if is_new:
            self.summary.changes.append(ChangeRow(self._sheet, self._row, label, ADDED, None, None, None))
            return
        for key, old, new in changed:
            if key not in ("name_key", "group_id"):
                self.summary.changes.append(ChangeRow(self._sheet, self._row, label, UPDATED, key, old, new))

    def _district(self, text: str) -> str:
        """The district, checked against the network's province (read once, not per row)."""

        def check() -> str:
            district = one_line(text, N_("district"))
            return places.check_district(self.province, district) if self.province else district

        district: str = self._once(("district", text), check)
        return district

    def _subdistrict(self, district: str, text: str | None) -> str | None:
        """The sub-district, checked to be one of the district's (in the network's province)."""

        def check() -> str | None:
            cleaned = one_line(text, N_("sub-district"), limit=120)
            return (
                places.check_subdistrict(self.province, district, cleaned)
                if self.province and cleaned
                else cleaned or None
            )

        subdistrict: str | None = self._once(("subdistrict", district, text), check)
        return subdistrict

    def _required(self, record: dict[str, str | None], column: str, what: str) -> str:
        value = record.get(column)
        if not value or not value.strip():
            raise _Bad(column, _("a value is required"))
        return _checked(column, lambda v: self._name(v, what), value)

    def _group(self, r: dict[str, str | None]) -> None:
        def optional(column: str, what: str, limit: int) -> Callable[[], Any]:
            check = check_phone if column == "phone" else (lambda v: v)  # as `group add` checks them
            return lambda: (
                _checked(
                    column,
                    lambda v: self._once(
                        ("line", what, v), lambda: _or_clear(one_line(v, what, limit=limit), lambda t: check(t or None))
                    ),
                    r[column],
                )
                if column in r
                else None
            )

        values = _all_fields(
            {
                "name": lambda: self._required(r, "name", N_("group name")),
                "district": lambda: _checked("district", self._district, self._required(r, "district", N_("district"))),
                "code": lambda: _checked("code", clean_code, r["code"]) if r.get("code") else None,
                "kind": lambda: (
                    _checked("kind", lambda v: self._once(("kind", v), lambda: GroupKind.parse(v)), r["kind"])
                    if r.get("kind")
                    else None
                ),
                "village": optional("village", N_("village"), 120),
                "contact": optional("contact", N_("contact person"), 120),
                "phone": optional("phone", N_("phone number"), PHONE_MAX),
            }
        )
        name, district, code = values.pop("name"), values["district"], values.pop("code")
        key = self._key(name)
        index = self.groups
        existing = index.by_code.get(code) if code else index.by_name.get((district, key))
        if code:  # a new group, or a group renamed or moved, whose name another group of the district has
            clash = index.by_name.get((district, key))
            if clash is not None and clash is not existing:
                raise _Bad(
                    "name",
                    _(
                        "a group named '{name}' already exists in {district} ({code})",
                        name=clash.name,
                        district=district,
                        code=clash.code,
                    ),
                )
        values.update(name=name, name_key=key)
        if "subdistrict" in r:
            values["subdistrict"] = _checked(
                "subdistrict",
                lambda v: _or_clear(
                    one_line(v, N_("sub-district"), limit=120), lambda t: self._subdistrict(district, t)
                ),
                r["subdistrict"],
            )
        if (
            values.get("subdistrict") is None
            and existing is not None
            and existing.subdistrict
            and district != existing.district
        ):
            # a group moved to another district keeps its sub-district only if it is one of the new district's
            values["subdistrict"] = _checked("district", lambda v: self._subdistrict(district, v), existing.subdistrict)
        if existing is None:
            self._add(_Group, GROUPS, index, self.new_groups, code, values, kind=kind_of_name(values.get("name") or ""))
        else:
            was = (existing.district, existing.name_key)
            self._apply(GROUPS.key, existing.code, existing, values, is_new=False)
            if (existing.district, existing.name_key) != was:  # the rows after find it by its new name
                index.renamed(existing, *was)

    def _find(self, ref: str, column: str, index: _Index, what: str) -> Any:
        found, matches = index.find(ref, self._key)
        if found is not None:
            return found
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise _Bad(
                column,
                _(
                    "'{ref}' matches {count} records: {listed}",
                    ref=ref,
                    count=len(matches),
                    listed="; ".join(f"{m.code} {m.name}" for m in matches[:5]),
                ),
            )
        raise _Bad(column, _("no {what} '{ref}'", what=_(what), ref=ref))

    def _product(self, r: dict[str, str | None]) -> None:
        values = _all_fields(
            {
                "name": lambda: self._required(r, "name", N_("product name")),
                "group": lambda: self._find(
                    self._required(r, "group_code", N_("producer group")),
                    "group_code",
                    self.groups,
                    N_("producer group"),
                ),
                "category": lambda: _checked(
                    "category",
                    lambda v: self._once(("category", v), lambda: catalog.parse_category(v).code),
                    self._required(r, "category", N_("category")),
                ),
                "code": lambda: _checked("code", clean_code, r["code"]) if r.get("code") else None,
                "description": lambda: _checked(
                    "description",
                    lambda v: self._once(
                        ("description", v),
                        lambda: _or_clear(free_text(v, N_("description"), limit=TEXT_MAX), lambda t: t or None),
                    ),
                    r.get("description"),
                ),
            }
        )
        name, group, code = values.pop("name"), values.pop("group"), values.pop("code")
        key = self._key(name)
        index = self.products
        existing = index.by_code.get(code) if code else index.by_name.get((group.id, key))
        clash = index.by_name.get((group.id, key)) if code else None
        if clash is not None and clash is not existing:  # the name of another product of the group
            raise _Bad(
                "name",
                _("this group already has a product named '{name}' ({code})", name=clash.name, code=clash.code),
            )
        values.update(name=name, name_key=key, group_id=group.id)
        if existing is None:
            self._add(_Product, PRODUCTS, index, self.new_products, code, values)
        else:
            old_category, was = existing.category, (existing.group_id, existing.name_key)
            self._apply(PRODUCTS.key, existing.code, existing, values, is_new=False)
            if (existing.group_id, existing.name_key) != was:  # the rows after find it by its new name
                index.renamed(existing, *was)
            if existing.category != old_category and existing.origin != _PENDING:
                self._needs_checklist.append(existing)
                self._category_row[existing.id] = self._row

    def _entry(self, r: dict[str, str | None]) -> None:
        product = self._find(
            self._required(r, "product_code", N_("product")), "product_code", self.products, N_("product")
        )
        std = _checked("standard", self._standard, self._required(r, "standard", N_("standard")))
        if not std.applies_to(product.category):
            raise _Bad(
                "standard",
                _(
                    "{standard} does not apply to {category} products such as {product}",
                    standard=std.mark,
                    category=catalog.category_name(product.category),
                    product=product.code,
                ),
            )
        category = product.category
        parsed = _all_fields(  # the cells given (an empty one leaves the field as it is, one saying none clears it)
            {
                arg: (
                    lambda arg=arg, column=column, text=text: _checked(
                        column,
                        lambda v: self._once(
                            ("entry", std.code, category, arg, v),
                            lambda: parse_entry_values(std, category, **{arg: v}),
                        ),
                        text,
                    )
                )
                for arg, column in _ENTRY_CELLS
                if (text := r.get(column))
            }
        )
        values = EntryValues()
        cleared: set[str] = set()
        for one in parsed.values():
            if one is not None:
                for name in ENTRY_FIELDS:
                    if getattr(one, name) is not None:
                        setattr(values, name, getattr(one, name))
                cleared |= one.cleared
        values.cleared = frozenset(cleared)
        entry = self.entries.get((product.id, std.code))
        is_new = entry is None
        if entry is None:
            entry = _Entry.new(product_id=product.id, standard=std.code, status=Status.NOT_STARTED, updated_at=utcnow())
            self.new_entries.append(entry)
            self.entries[(product.id, std.code)] = entry
        key = None if product.id is None else self._entry_key(product.id, std.code)
        self._agree(CHECKLIST.key, entry, {k: CLEAR if k in cleared else getattr(values, k) for k in ENTRY_FIELDS}, key)
        before = {k: getattr(entry, k, None) for k in ENTRY_FIELDS}
        try:
            apply_entry_values(entry, std, product.category, values)
        except KboError as exc:
            raise _Bad("expires_on", exc.message) from None
        changed = [(k, old, getattr(entry, k)) for k, old in before.items() if getattr(entry, k) != old]
        if any(k in ("status", "certificate_no") for k, _old, _new in changed) and (
            warning := number_missing_warning(entry, std, product.category)
        ):  # as `checklist set` warns
            record = f"{product.code} {std.mark}"
            self._caution(
                _(
                    "{sheet}, row {row}: {record}: {warning}",
                    sheet=self._sheet,
                    row=self._row,
                    record=record,
                    warning=warning,
                )
            )
        if changed:
            if entry.origin != _IMPORTED:
                entry.updated_at = utcnow()
            self._touch(entry)
        # the checklist of a product this import added is new too, whatever this row changed of what it started as
        self._count(
            CHECKLIST.key,
            f"{product.code} {std.code}",
            changed,
            is_new or product.origin != _STORED,
            key=key,
        )

    def _judge_score(self, r: dict[str, str | None]) -> None:
        """One judge's score of a product (kbo opc score): the judge from the row, else from the sheet's name."""

        def part(column: str) -> Callable[[], Any]:
            return lambda: _checked(column, lambda v: float(parse_decimal(v)), self._required(r, column, N_("score")))

        values = _all_fields(
            {
                "year": lambda: _checked(
                    "year", lambda v: check_year(parse_int(v)), self._required(r, "year", N_("round"))
                ),
                "product": lambda: self._find(
                    self._required(r, "product_code", N_("product")), "product_code", self.products, N_("product")
                ),
                **{f"part{n}": part(f"part{n}") for n in (1, 2, 3)},
            }
        )
        judge = r.get("judge") or self._person
        if not judge:
            raise _Bad("judge", _("a value is required"))
        year, product = values["year"], values["product"]
        if product.origin != _STORED and self._products_failed:
            return  # a new product of a products sheet with errors: the import fails, nothing to check it by
        if year not in self.committees:
            self.committees[year] = committee.members_of(self.s, year)
        member = _checked("judge", lambda v: committee.match_member(self.committees[year], v, year), judge)
        parts = [values["part1"], values["part2"], values["part3"]]
        maxima = [p.max for p in round_for(year).parts]
        column = next(
            (f"part{n}" for n, (v, top) in enumerate(zip(parts, maxima, strict=False), 1) if not 0 <= v <= top), "year"
        )
        try:
            _score, old = committee.record_judge_score(
                session=self.s, product=product, year=year, judge=member, parts=parts
            )
        except KboError as exc:
            raise _Bad(column, exc.message) from None
        changed = (
            []
            if old is None
            else [
                (f"part{n}", before, after)
                for n, (before, after) in enumerate(zip(old, parts, strict=True), 1)
                if before != after
            ]
        )
        self._count(JUDGE_SCORES.key, f"{product.code} {year} {member.name}", changed, is_new=old is None)


def import_file(
    session: Session,
    path: Path,
    *,
    tick: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
    list_changes: bool = False,
) -> ImportSummary:
    """Import a spreadsheet (or a kbo JSON dump into an empty database). Raises ImportRejected.

    `list_changes`: also list every change (`summary.changes`, what --dry-run shows); the counts are always kept."""
    if path.suffix.lower() == ".json":
        counts, broken = restore_file(session, path)
        summary = _summary_of(counts)
        summary.warnings += [b.text for b in broken]
        return summary
    book = read_file(path)
    if total:
        total(sum(s.size for s in book.sheets))
    summary = Importer(session, tick, list_changes=list_changes).run(book.sheets)
    summary.skipped = book.skipped
    summary.unread = [(sheet.name, ", ".join(sheet.unread)) for sheet in book.sheets if sheet.unread]
    return summary


def _summary_of(counts: dict[str, int]) -> ImportSummary:
    summary = ImportSummary()
    for table, n in counts.items():
        summary.counts[table].added = n
    return summary
