"""Importing producer groups, products and checklist entries from .xlsx and .csv files.

All or nothing: every row is checked with the same rules as the commands (the same functions: names,
districts, categories, statuses in Thai or English, certificate numbers, dates), every bad cell is
reported at once with its sheet, row and column, and nothing is written unless all rows are good.
Records are matched by code, or by normalised name where no code is given, so importing the same file
twice changes nothing. Empty cells leave stored values as they are. Every change is listed (record,
field, old and new value), which is what `--dry-run` shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import bindparam, update
from sqlalchemy import insert as sql_insert
from sqlalchemy import select as sql_select
from sqlmodel import Session, SQLModel, select

from kbo_cli.domain import committee, network
from kbo_cli.domain.checklist import apply_entry_values, parse_entry_values
from kbo_cli.domain.codes import PREFIX, temporary_code
from kbo_cli.domain.groups import PHONE_MAX
from kbo_cli.domain.opc import check_year, round_for
from kbo_cli.domain.refs import clean_code
from kbo_cli.domain.text import TEXT_MAX, free_text, one_line, required_name
from kbo_cli.errors import KboError
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.render.columns import Col, Kind
from kbo_cli.storage.history import record_inserts
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product, table_of, utcnow
from kbo_cli.thai import places
from kbo_cli.thai.numbers import parse_decimal, parse_int
from kbo_cli.thai.textnorm import name_key
from kbo_cli.transfer.dump import restore_file
from kbo_cli.transfer.rejected import ImportRejected, RowError
from kbo_cli.transfer.sheets import CHECKLIST, GROUPS, JUDGE_SCORES, PRODUCTS, Sheet, person_of, read_file
from kbo_cli.vocab import GroupKind, Status

_BATCH = 5000
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
    Col("old", N_("Old value"), wrap=True),
    Col("new", N_("New value"), wrap=True),
)
SUMMARY_COLUMNS = (
    Col("sheet", N_("Sheet")),
    Col("added", N_("Added"), Kind.COUNT),
    Col("updated", N_("Updated"), Kind.COUNT),
    Col("unchanged", N_("Unchanged"), Kind.COUNT),
)
ADDED, UPDATED = N_("added"), N_("updated")


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


class _New:
    """A record this import adds: inserted in bulk (far faster than one ORM object per row)."""

    code: str  # groups and products have one (set from the row's values)

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)
        self.id: int | None = values.get("id")

    def values(self, columns: list[str]) -> dict[str, Any]:
        return {c: getattr(self, c, None) for c in columns}


def _bulk_insert(session: Session, model: type[SQLModel], records: list[_New], key: tuple[str, ...]) -> None:
    """Insert new records in batches, learn their ids by their natural key, and record them in the history."""
    if not records:
        return
    table = table_of(model)
    columns = [c.name for c in table.columns if c.name != "id"]
    conn = session.connection()
    for start in range(0, len(records), _BATCH):
        conn.execute(sql_insert(table), [r.values(columns) for r in records[start : start + _BATCH]])
    by_key = {tuple(getattr(r, k) for k in key): r for r in records}
    first = key[0]
    wanted = sorted({getattr(r, first) for r in records})
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        for row in conn.execute(sql_select(table.c.id, *(table.c[k] for k in key)).where(table.c[first].in_(chunk))):
            record = by_key.get(tuple(row[1:]))
            if record is not None:
                record.id = row[0]
    record_inserts(session, table.name, [{"id": r.id, **r.values(columns)} for r in records])


class Importer:
    """One import: indexes of what is stored, then one sheet after another."""

    def __init__(self, session: Session, tick: Callable[[int], None] | None = None) -> None:
        self.s = session
        self.tick = tick or (lambda n: None)
        self.errors: list[RowError] = []
        self.summary = ImportSummary()
        self.groups_by_code: dict[str, Any] = {}
        self.groups_by_name: dict[tuple[str, str], Any] = {}
        self.group_names: dict[str, list[Any]] = defaultdict(list)
        for g in session.exec(select(ProducerGroup)).all():
            self._index_group(g)
        self.products_by_code: dict[str, Any] = {}
        self.products_by_name: dict[tuple[int, str], Any] = {}
        self.product_names: dict[str, list[Any]] = defaultdict(list)
        for p in session.exec(select(Product)).all():
            self._index_product(p)
        self.entries: dict[tuple[int, str], Any] = {}
        self._entries_loaded = False
        self._needs_checklist: list[tuple[Any, bool]] = []
        self.province = network.province_code(session)
        self.new_groups: list[_New] = []
        self.new_products: list[_New] = []
        self.new_entries: list[_New] = []
        self._sheet = ""
        self._row = 0
        self._person: str | None = None
        self.committees: dict[int, list[Any]] = {}

    # --- indexes ---------------------------------------------------------------------------------
    def _index_group(self, g: Any) -> None:
        self.groups_by_code[g.code] = g
        self.groups_by_name[(g.district, g.name_key)] = g
        self.group_names[g.name_key].append(g)

    def _index_product(self, p: Any) -> None:
        self.products_by_code[p.code] = p
        self.products_by_name[(p.group_id, p.name_key)] = p
        self.product_names[p.name_key].append(p)

    def _load_entries(self) -> None:
        if not self._entries_loaded:
            for e in self.s.exec(select(ChecklistEntry)).all():
                self.entries[(e.product_id, e.standard)] = e
            self._entries_loaded = True

    # --- driving ---------------------------------------------------------------------------------
    def run(self, sheets: list[Sheet]) -> ImportSummary:
        handlers = {
            GROUPS.key: self._group,
            PRODUCTS.key: self._product,
            CHECKLIST.key: self._entry,
            JUDGE_SCORES.key: self._judge_score,
        }
        for sheet in sheets:
            self._person = person_of(sheet) if sheet.spec is JUDGE_SCORES else None
            self.summary.counts[sheet.spec.key]  # (a defaultdict) the sheet shows in the summary even if empty
            handle = handlers[sheet.spec.key]
            self._sheet = sheet.name
            for number, record in sheet.records():
                self._row = number
                try:
                    handle(record)
                except _Bad as bad:
                    for one in (bad, *bad.more):
                        self.errors.append(RowError(sheet.name, number, one.column, one.message))
                    if len(self.errors) >= MAX_PROBLEMS:
                        raise ImportRejected(self.errors) from None
                self.tick(1)
            self._after_sheet(sheet.spec.key)
        self._finish()
        if self.errors:
            raise ImportRejected(self.errors)
        return self.summary

    def _after_sheet(self, kind: str) -> None:
        if self.errors:
            return  # nothing will be written: skip the inserts
        if kind == GROUPS.key:
            self._insert_new(ProducerGroup, self.new_groups, self.groups_by_code)
        elif kind == PRODUCTS.key:
            self._insert_new(Product, self.new_products, self.products_by_code)
            self._create_entries()
        self.s.flush()

    def _finish(self) -> None:
        """The checklists of new products, once the checklist rows have filled them in."""
        if not self.errors:
            _bulk_insert(self.s, ChecklistEntry, self.new_entries, ("product_id", "standard"))
            self.new_entries = []

    def _insert_new(self, model: type[SQLModel], records: list[_New], index: dict[str, Any]) -> None:
        """Insert the new records, then give those without a code their generated one."""
        self.s.flush()
        _bulk_insert(self.s, model, records, ("code",))
        prefix, width = PREFIX[model]
        renamed = []
        for record in records:
            if record.code.startswith("~"):
                new, n = f"{prefix}{record.id:0{width}d}", 0
                while new in index:
                    n += 1
                    new = f"{prefix}{record.id:0{width}d}-{n}"
                del index[record.code]
                record.code = new
                index[new] = record
                renamed.append({"rid": record.id, "new_code": new})
        if renamed:
            table = table_of(model)
            self.s.connection().execute(
                update(table).where(table.c.id == bindparam("rid")).values(code=bindparam("new_code")), renamed
            )
        records.clear()

    def _create_entries(self) -> None:
        """Checklists for new products, and adjusted ones for products whose category changed."""
        self._load_entries()
        for product, is_new in self._needs_checklist:
            wanted = [s.code for s in catalog.applicable(product.category)]
            for code in wanted:
                if (product.id, code) not in self.entries:
                    if is_new:
                        entry: Any = _New(
                            product_id=product.id,
                            standard=code,
                            status=Status.NOT_STARTED,
                            certificate_no=None,
                            issued_on=None,
                            expires_on=None,
                            note=None,
                            updated_at=utcnow(),
                        )
                        self.new_entries.append(entry)
                    else:
                        entry = ChecklistEntry(product_id=product.id, standard=code)
                        self.s.add(entry)
                    self.entries[(product.id, code)] = entry
            if not is_new:  # a new category: drop the entries that no longer apply
                for code in {s.code for s in catalog.standards().values()} - set(wanted):
                    entry = self.entries.pop((product.id, code), None)
                    if entry is not None:
                        self.s.delete(entry)
        self._needs_checklist = []
        self.s.flush()

    # --- rows ------------------------------------------------------------------------------------
    def _apply(self, kind: str, label: str, record: Any, values: dict[str, Any], is_new: bool) -> None:
        changed: list[tuple[str, Any, Any]] = []
        for key, value in values.items():
            if value is not None and getattr(record, key, None) != value:
                changed.append((key, getattr(record, key, None), value))
                setattr(record, key, value)
        self._count(kind, label, changed, is_new)
        if changed and not is_new and hasattr(record, "updated_at") and not isinstance(record, _New):
            record.updated_at = utcnow()

    def _count(self, kind: str, label: str, changed: list[tuple[str, Any, Any]], is_new: bool) -> None:
        counts = self.summary.counts[kind]
        if is_new:
            counts.added += 1
            self.summary.changes.append(ChangeRow(self._sheet, self._row, label, ADDED, None, None, None))
        elif changed:
            counts.updated += 1
            for key, old, new in changed:
                if key not in ("name_key", "group_id"):
                    self.summary.changes.append(ChangeRow(self._sheet, self._row, label, UPDATED, key, old, new))
        else:
            counts.unchanged += 1

    def _district(self, text: str) -> str:
        """The district, checked against the network's province (read once, not per row)."""
        district = one_line(text, N_("district"))
        return places.check_district(self.province, district) if self.province else district

    def _subdistrict(self, district: str, text: str | None) -> str | None:
        """The sub-district, checked to be one of the district's (in the network's province)."""
        cleaned = one_line(text, N_("sub-district"), limit=120)
        return (
            places.check_subdistrict(self.province, district, cleaned) if self.province and cleaned else cleaned or None
        )

    def _required(self, record: dict[str, str | None], column: str, what: str) -> str:
        value = record.get(column)
        if not value or not value.strip():
            raise _Bad(column, _("a value is required"))
        return _checked(column, lambda v: required_name(v, what), value)

    def _group(self, r: dict[str, str | None]) -> None:
        def optional(column: str, what: str, limit: int) -> Callable[[], Any]:
            return lambda: (
                _checked(column, lambda v: one_line(v, what, limit=limit) or None, r[column]) if column in r else None
            )

        values = _all_fields(
            {
                "name": lambda: self._required(r, "name", N_("group name")),
                "district": lambda: _checked("district", self._district, self._required(r, "district", N_("district"))),
                "code": lambda: _checked("code", clean_code, r["code"]) if r.get("code") else None,
                "kind": lambda: _checked("kind", GroupKind.parse, r["kind"]) if r.get("kind") else None,
                "village": optional("village", N_("village"), 120),
                "contact": optional("contact", N_("contact person"), 120),
                "phone": optional("phone", N_("phone number"), PHONE_MAX),
            }
        )
        name, district, code = values.pop("name"), values["district"], values.pop("code")
        key = name_key(name)
        existing = self.groups_by_code.get(code) if code else self.groups_by_name.get((district, key))
        if existing is None and code:
            clash = self.groups_by_name.get((district, key))
            if clash is not None:
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
            values["subdistrict"] = _checked("subdistrict", lambda v: self._subdistrict(district, v), r["subdistrict"])
        if existing is None:
            now = utcnow()
            group = _New(
                code=code or temporary_code(),
                name=name,
                name_key=key,
                district=district,
                kind=GroupKind.COMMUNITY,
                subdistrict=None,
                village=None,
                contact=None,
                phone=None,
                created_at=now,
                updated_at=now,
            )
            self._apply(GROUPS.key, code or name, group, values, is_new=True)
            self.new_groups.append(group)
            self._index_group(group)
        else:
            self._apply(GROUPS.key, existing.code, existing, values, is_new=False)

    def _find(self, ref: str, column: str, by_code: dict[str, Any], by_name: dict[str, list[Any]], what: str) -> Any:
        code = ref.strip().upper()
        if code in by_code:
            return by_code[code]
        matches = by_name.get(name_key(ref), [])
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
                    self.groups_by_code,
                    self.group_names,
                    N_("producer group"),
                ),
                "category": lambda: _checked(
                    "category", lambda v: catalog.parse_category(v).code, self._required(r, "category", N_("category"))
                ),
                "code": lambda: _checked("code", clean_code, r["code"]) if r.get("code") else None,
                "description": lambda: _checked(
                    "description",
                    lambda v: free_text(v, N_("description"), limit=TEXT_MAX) or None,
                    r.get("description"),
                ),
            }
        )
        name, group, code = values.pop("name"), values.pop("group"), values.pop("code")
        key = name_key(name)
        existing = self.products_by_code.get(code) if code else self.products_by_name.get((group.id, key))
        values.update(name=name, name_key=key, group_id=group.id)
        if existing is None:
            now = utcnow()
            product = _New(
                code=code or temporary_code(),
                name=name,
                name_key=key,
                group_id=group.id,
                category=values["category"],
                description=None,
                created_at=now,
                updated_at=now,
            )
            self._apply(PRODUCTS.key, code or name, product, values, is_new=True)
            self.new_products.append(product)
            self._index_product(product)
            self._needs_checklist.append((product, True))
        else:
            old_category = existing.category
            self._apply(PRODUCTS.key, existing.code, existing, values, is_new=False)
            if existing.category != old_category:
                self._needs_checklist.append((existing, False))

    def _entry(self, r: dict[str, str | None]) -> None:
        product = self._find(
            self._required(r, "product_code", N_("product")),
            "product_code",
            self.products_by_code,
            self.product_names,
            N_("product"),
        )
        std = _checked("standard", catalog.parse_standard, self._required(r, "standard", N_("standard")))
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
        self._load_entries()
        fields = {
            "status": "status",
            "cert": "certificate_no",
            "issued": "issued_on",
            "expires": "expires_on",
            "note": "note",
        }
        parsed = _all_fields(
            {
                arg: (
                    lambda arg=arg, column=column: (
                        _checked(column, lambda v: parse_entry_values(std, product.category, **{arg: v}), r[column])
                        if r.get(column)
                        else None
                    )
                )
                for arg, column in fields.items()
            }
        )
        values = parse_entry_values(std, product.category)
        for one in parsed.values():
            if one is not None:
                for name in ("status", "certificate_no", "issued_on", "expires_on", "note"):
                    if getattr(one, name) is not None:
                        setattr(values, name, getattr(one, name))
        entry = self.entries.get((product.id, std.code))
        is_new = entry is None
        if entry is None:
            entry = ChecklistEntry(product_id=product.id, standard=std.code)
            self.s.add(entry)
            self.entries[(product.id, std.code)] = entry
        before = {k: getattr(entry, k, None) for k in ("status", "certificate_no", "issued_on", "expires_on", "note")}
        try:
            apply_entry_values(entry, std, product.category, values)
        except KboError as exc:
            raise _Bad("expires_on", exc.message) from None
        changed = [(k, old, getattr(entry, k)) for k, old in before.items() if getattr(entry, k) != old]
        if changed and not isinstance(entry, _New):
            entry.updated_at = utcnow()
        self._count(CHECKLIST.key, f"{product.code} {std.code}", changed, is_new)

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
                    self._required(r, "product_code", N_("product")),
                    "product_code",
                    self.products_by_code,
                    self.product_names,
                    N_("product"),
                ),
                **{f"part{n}": part(f"part{n}") for n in (1, 2, 3)},
            }
        )
        judge = r.get("judge") or self._person
        if not judge:
            raise _Bad("judge", _("a value is required"))
        year, product = values["year"], values["product"]
        if product.id is None:
            return  # a new product that is not written: the import has failed already
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
) -> ImportSummary:
    """Import a spreadsheet (or a kbo JSON dump into an empty database). Raises ImportRejected."""
    if path.suffix.lower() == ".json":
        return _summary_of(restore_file(session, path))
    book = read_file(path)
    if total:
        total(sum(s.size for s in book.sheets))
    summary = Importer(session, tick).run(book.sheets)
    summary.skipped = book.skipped
    return summary


def _summary_of(counts: dict[str, int]) -> ImportSummary:
    summary = ImportSummary()
    for table, n in counts.items():
        summary.counts[table].added = n
    return summary
