"""Importing producer groups, products and checklist entries from .xlsx and .csv files.

All or nothing: every row is checked with the same rules as the commands (dates, certificate numbers,
districts, categories...), every bad row is reported at once with its sheet, row and column, and
nothing is written unless all rows are good. Records are matched by code, or by normalised name where
no code is given, so importing the same file twice changes nothing. Empty cells leave stored values as
they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from kbo_cli.reference import catalog
from kbo_cli.domain import network
from kbo_cli.domain.checklist import add_months
from kbo_cli.domain.codes import PREFIX, temporary_code
from kbo_cli.errors import KboError
from kbo_cli.i18n import _
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product, utcnow
from kbo_cli.domain.refs import clean_code
from kbo_cli.transfer.sheets import CHECKLIST, GROUPS, PRODUCTS, Sheet, read_file
from kbo_cli.thai.textnorm import clean_text, name_key
from kbo_cli.vocab import parse_kind, parse_status


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


class ImportRejected(KboError):
    """Some rows are bad: nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            _("{count} problems in the file: nothing was imported", count=len(errors)),
            _("correct the rows listed above and import again (add --dry-run to check without writing)"),
        )
        self.errors = errors


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def rows(self) -> list[dict[str, Any]]:
        return [{"sheet": k, "added": c.added, "updated": c.updated, "unchanged": c.unchanged}
                for k, c in self.counts.items()]


class _Bad(Exception):
    def __init__(self, column: str, message: str, more: list[_Bad] | None = None) -> None:
        self.column, self.message = column, message
        self.more = more or []


def _all_fields(checks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every field's check, so that a row with several bad cells reports them all."""
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


def _field(column: str, fn: Callable[[Any], Any], value: Any) -> Any:
    try:
        return fn(value)
    except KboError as exc:
        raise _Bad(column, exc.message) from None


class _New:
    """A record this import adds: inserted in bulk (far faster than one ORM object per row)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)
        self.id: int | None = values.get("id")

    def values(self, columns: list[str]) -> dict[str, Any]:
        return {c: getattr(self, c, None) for c in columns}


def _bulk_insert(session: Session, model: type, records: list[_New], key: tuple[str, ...]) -> None:
    """Insert new records in batches, learn their ids by their natural key, and record them in the history."""
    from sqlalchemy import insert as sql_insert
    from sqlalchemy import select as sql_select

    from kbo_cli.storage.history import record_inserts

    if not records:
        return
    table = model.__table__  # type: ignore[attr-defined]
    columns = [c.name for c in table.columns if c.name != "id"]
    conn = session.connection()
    for start in range(0, len(records), _BATCH):
        conn.execute(sql_insert(table), [r.values(columns) for r in records[start:start + _BATCH]])
    by_key = {tuple(getattr(r, k) for k in key): r for r in records}
    first = key[0]
    wanted = sorted({getattr(r, first) for r in records})
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start:start + _BATCH]
        for row in conn.execute(sql_select(table.c.id, *(table.c[k] for k in key)).where(table.c[first].in_(chunk))):
            record = by_key.get(tuple(row[1:]))
            if record is not None:
                record.id = row[0]
    record_inserts(session, table.name, [{"id": r.id, **r.values(columns)} for r in records])


_BATCH = 5000


class Importer:
    """One import: indexes of what is stored, then one sheet after another."""

    def __init__(self, session: Session, tick: Callable[[int], None] | None = None) -> None:
        self.s = session
        self.tick = tick or (lambda n: None)
        self.errors: list[RowError] = []
        self.summary = ImportSummary()
        self.groups_by_code: dict[str, ProducerGroup] = {}
        self.groups_by_name: dict[tuple[str, str], ProducerGroup] = {}
        self.group_names: dict[str, list[ProducerGroup]] = defaultdict(list)
        for g in session.exec(select(ProducerGroup)).all():
            self._index_group(g)
        self.products_by_code: dict[str, Product] = {}
        self.products_by_name: dict[tuple[int, str], Product] = {}
        self.product_names: dict[str, list[Product]] = defaultdict(list)
        for p in session.exec(select(Product)).all():
            self._index_product(p)
        self.entries: dict[tuple[int, str], ChecklistEntry] = {}
        self._entries_loaded = False
        self._needs_checklist: list[tuple[Product, bool]] = []
        self.province = network.province_code(session)
        self.new_groups: list[_New] = []
        self.new_products: list[_New] = []
        self.new_entries: list[_New] = []

    # --- indexes ---------------------------------------------------------------------------------
    def _index_group(self, g: ProducerGroup) -> None:
        self.groups_by_code[g.code] = g
        self.groups_by_name[(g.district, g.name_key)] = g
        self.group_names[g.name_key].append(g)

    def _index_product(self, p: Product) -> None:
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
        handlers = {GROUPS.key: self._group, PRODUCTS.key: self._product, CHECKLIST.key: self._entry}
        for sheet in sheets:
            self.summary.counts[sheet.spec.key]  # noqa: B018 - the sheet shows in the summary even if empty
            handle = handlers[sheet.spec.key]
            for number, record in sheet.records():
                try:
                    handle(record)
                except _Bad as bad:
                    for one in (bad, *bad.more):
                        self.errors.append(RowError(sheet.name, number, one.column, one.message))
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

    def _insert_new(self, model: type, records: list[_New], index: dict[str, Any]) -> None:
        """Insert the new records, then give those without a code their generated one."""
        from sqlalchemy import bindparam, update

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
            table = model.__table__  # type: ignore[attr-defined]
            self.s.connection().execute(
                update(table).where(table.c.id == bindparam("rid")).values(code=bindparam("new_code")), renamed)
        records.clear()

    def _create_entries(self) -> None:
        """Checklists for new products, and adjusted ones for products whose category changed."""
        self._load_entries()
        for product, is_new in self._needs_checklist:
            wanted = [s.code for s in catalog.applicable(product.category)]
            for code in wanted:
                if (product.id, code) not in self.entries:
                    if is_new:
                        entry: Any = _New(product_id=product.id, standard=code, status="not_started",
                                          certificate_no=None, issued_on=None, expires_on=None, note=None,
                                          updated_at=utcnow())
                        self.new_entries.append(entry)
                    else:
                        entry = ChecklistEntry(product_id=product.id, standard=code)  # type: ignore[arg-type]
                        self.s.add(entry)
                    self.entries[(product.id, code)] = entry  # type: ignore[index]
            if not is_new:  # a new category: drop the entries that no longer apply
                for code in {s.code for s in catalog.standards().values()} - set(wanted):
                    entry = self.entries.pop((product.id, code), None)  # type: ignore[arg-type]
                    if entry is not None:
                        self.s.delete(entry)
        self._needs_checklist = []
        self.s.flush()

    # --- rows ------------------------------------------------------------------------------------
    def _apply(self, kind: str, record: Any, values: dict[str, Any], is_new: bool) -> bool:
        changed = False
        for key, value in values.items():
            if value is not None and getattr(record, key) != value:
                setattr(record, key, value)
                changed = True
        counts = self.summary.counts[kind]
        if is_new:
            counts.added += 1
        elif changed:
            counts.updated += 1
            if hasattr(record, "updated_at") and not isinstance(record, _New):
                record.updated_at = utcnow()
        else:
            counts.unchanged += 1
        return changed

    def _district(self, text: str) -> str:
        """The district, checked against the network's province (read once, not per row)."""
        from kbo_cli.thai import places

        return places.check_district(self.province, text) if self.province else clean_text(text)

    def _subdistrict(self, district: str, text: str | None) -> str | None:
        """The sub-district, checked to be one of the district's (in the network's province)."""
        from kbo_cli.thai import places

        cleaned = clean_text(text or "")
        return places.check_subdistrict(self.province, district, cleaned) if self.province and cleaned else cleaned or None

    def _required(self, record: dict[str, str | None], column: str) -> str:
        value = record.get(column)
        if not value or not clean_text(value):
            raise _Bad(column, _("a value is required"))
        return clean_text(value)

    def _group(self, r: dict[str, str | None]) -> None:
        name = self._required(r, "name")
        district = _field("district", self._district, self._required(r, "district"))
        code = _field("code", clean_code, r["code"]) if r.get("code") else None
        kind = _field("kind", lambda v: parse_kind(v).value, r["kind"]) if r.get("kind") else None
        key = name_key(name)
        existing = self.groups_by_code.get(code) if code else self.groups_by_name.get((district, key))
        if existing is None and code:
            clash = self.groups_by_name.get((district, key))
            if clash is not None:
                raise _Bad("name", _("a group named '{name}' already exists in {district} ({code})",
                                     name=clash.name, district=district, code=clash.code))
        values = {"name": name, "name_key": key, "district": district, "kind": kind,
                  **{k: clean_text(r[k] or "") or None for k in ("village", "contact", "phone") if k in r}}
        if "subdistrict" in r:
            values["subdistrict"] = _field("subdistrict", lambda v: self._subdistrict(district, v), r["subdistrict"])
        if existing is None:
            now = utcnow()
            group = _New(code=code or temporary_code(), name=name, name_key=key, district=district,
                         kind=kind or "community", subdistrict=None, village=None, contact=None, phone=None,
                         created_at=now, updated_at=now)
            self._apply(GROUPS.key, group, values, is_new=True)
            self.new_groups.append(group)
            self._index_group(group)  # type: ignore[arg-type]
        else:
            self._apply(GROUPS.key, existing, values, is_new=False)

    def _find_group(self, ref: str) -> ProducerGroup:
        code = ref.strip().upper()
        if code in self.groups_by_code:
            return self.groups_by_code[code]
        matches = self.group_names.get(name_key(ref), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise _Bad("group_code", _("'{ref}' matches {count} records: {listed}", ref=ref, count=len(matches),
                                       listed="; ".join(f"{m.code} {m.name}" for m in matches)))
        raise _Bad("group_code", _("no {what} '{ref}'", what=_("producer group"), ref=ref))

    def _product(self, r: dict[str, str | None]) -> None:
        name = self._required(r, "name")
        group = self._find_group(self._required(r, "group_code"))
        category = _field("category", lambda v: catalog.parse_category(v).code, self._required(r, "category"))
        code = _field("code", clean_code, r["code"]) if r.get("code") else None
        key = name_key(name)
        existing = self.products_by_code.get(code) if code else self.products_by_name.get((group.id, key))  # type: ignore[arg-type]
        values = {"name": name, "name_key": key, "group_id": group.id, "category": category,
                  "description": clean_text(r.get("description") or "") or None}
        if existing is None:
            now = utcnow()
            product = _New(code=code or temporary_code(), name=name, name_key=key, group_id=group.id,
                           category=category, description=None, created_at=now, updated_at=now)
            self._apply(PRODUCTS.key, product, values, is_new=True)
            self.new_products.append(product)
            self._index_product(product)  # type: ignore[arg-type]
            self._needs_checklist.append((product, True))  # type: ignore[arg-type]
        else:
            old_category = existing.category
            self._apply(PRODUCTS.key, existing, values, is_new=False)
            if existing.category != old_category:
                self._needs_checklist.append((existing, False))

    def _find_product(self, ref: str) -> Product:
        code = ref.strip().upper()
        if code in self.products_by_code:
            return self.products_by_code[code]
        matches = self.product_names.get(name_key(ref), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise _Bad("product_code", _("'{ref}' matches {count} records: {listed}", ref=ref, count=len(matches),
                                         listed="; ".join(f"{m.code} {m.name}" for m in matches)))
        raise _Bad("product_code", _("no {what} '{ref}'", what=_("product"), ref=ref))

    def _entry(self, r: dict[str, str | None]) -> None:
        from kbo_cli.thai import certno
        from kbo_cli.thai import dates as thaidate

        product = self._find_product(self._required(r, "product_code"))
        std = _field("standard", catalog.parse_standard, self._required(r, "standard"))
        if not std.applies_to(product.category):
            raise _Bad("standard", _("{standard} does not apply to {category} products such as {product}",
                                     standard=std.mark, category=catalog.category_name(product.category),
                                     product=product.code))
        self._load_entries()

        def optional(column: str, parse: Callable[[str], Any]) -> Callable[[], Any]:
            return lambda: _field(column, parse, r[column]) if r.get(column) else None

        values = _all_fields({
            "status": optional("status", lambda v: parse_status(v).value),
            "certificate_no": optional("certificate_no",
                                       lambda v: certno.normalize_cert(std.cert_format(product.category), v)),
            "issued_on": optional("issued_on", thaidate.parse_date),
            "expires_on": optional("expires_on", thaidate.parse_date),
            "note": lambda: clean_text(r.get("note") or "") or None,
        })
        if values["issued_on"] and not values["expires_on"] and std.validity_months(product.category):
            values["expires_on"] = add_months(values["issued_on"], std.validity_months(product.category))
        if values["issued_on"] and values["expires_on"] and values["expires_on"] <= values["issued_on"]:
            raise _Bad("expires_on", _("the expiry date must come after the issue date"))
        entry = self.entries.get((product.id, std.code))  # type: ignore[arg-type]
        is_new = entry is None
        if entry is None:
            entry = ChecklistEntry(product_id=product.id, standard=std.code)  # type: ignore[arg-type]
            self.s.add(entry)
            self.entries[(product.id, std.code)] = entry  # type: ignore[index]
        self._apply(CHECKLIST.key, entry, values, is_new=is_new)


def import_file(session: Session, path: Path, *, tick: Callable[[int], None] | None = None,
                total: Callable[[int], None] | None = None) -> ImportSummary:
    """Import a spreadsheet (or a kbo JSON dump into an empty database). Raises ImportRejected."""
    if path.suffix.lower() == ".json":
        return _import_dump(session, path)
    sheets = read_file(path)
    if total:
        total(sum(len(s.rows) for s in sheets))
    return Importer(session, tick).run(sheets)


def _import_dump(session: Session, path: Path) -> ImportSummary:
    import json

    from kbo_cli.transfer.dump import is_dump, restore
    from kbo_cli.errors import InvalidValue

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidValue(_("cannot read {path}: {reason}", path=path, reason=str(exc)[:120]),
                           _("give a kbo JSON export (kbo export FILE.json)")) from exc
    if not is_dump(data):
        raise InvalidValue(_("{path} is not a kbo JSON export", path=path),
                           _("give a file written by 'kbo export FILE.json' or 'kbo db backup'"))
    summary = ImportSummary()
    for table, n in restore(session, data).items():
        summary.counts[table].added = n
    return summary
