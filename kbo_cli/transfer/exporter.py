"""Exporting the database: a workbook for people, a flat CSV, a JSON export that imports back exactly.

Personal data (contact names, phone numbers) is left out unless asked for. Text that a spreadsheet
would run as a formula is neutralised in CSV; in .xlsx every text is written as a string cell, which a
spreadsheet never runs (only text starting `'=` gets the guard there, so that the importer gives it back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select as sa_select
from sqlalchemy import true
from sqlmodel import Session, SQLModel, col, select

from kbo_cli.domain import network
from kbo_cli.domain.followup import action_rows, finding_rows, visit_rows
from kbo_cli.domain.opc import score_rows
from kbo_cli.domain.refs import find_group
from kbo_cli.domain.reports import gaps, progress, with_group
from kbo_cli.errors import InvalidValue
from kbo_cli.i18n import _
from kbo_cli.render.machine import neutralise, write_csv_rows
from kbo_cli.render.values import csv_text
from kbo_cli.storage.models import ChecklistEntry, ProducerGroup, Product, Selection, table_of
from kbo_cli.transfer.dump import dump
from kbo_cli.transfer.sheets import CHECKLIST, GROUPS, JUDGE_SCORES, PERSONAL, PRODUCTS, READ_ONLY_SUFFIX

FORMATS = (".xlsx", ".csv", ".json")
#: the columns of `kbo export FILE.csv`: the checklist, one row per entry with its product and group
FLAT_COLUMNS = (
    "group_code",
    "group_name",
    "district",
    "product_code",
    "product_name",
    "category",
    "standard",
    "status",
    "certificate_no",
    "issued_on",
    "expires_on",
    "note",
)


@dataclass(frozen=True)
class Scope:
    """Which part of the database to export: all, one group, or one district."""

    group_ids: set[int] | None = None
    include_personal: bool = False

    def keeps(self, table: str, row: dict[str, Any], product_groups: dict[int, int]) -> bool:
        if self.group_ids is None:
            return True
        if table == "producer_group":
            return row["id"] in self.group_ids
        if table in ("product",):
            return row["group_id"] in self.group_ids
        if "product_id" in row and row["product_id"] is not None:
            return product_groups.get(row["product_id"]) in self.group_ids
        if "group_id" in row and row["group_id"] is not None:
            return row["group_id"] in self.group_ids
        return table in (
            "kbo_setting",
            "meeting",
            "attendance",
            "committee_member",
            "committee_round",
        )  # the network's own records


def scope_for(session: Session, *, group: str | None, district: str | None, include_personal: bool) -> Scope:
    if group is None and district is None:
        return Scope(None, include_personal)
    query = select(ProducerGroup.id)
    if group:
        query = query.where(ProducerGroup.id == find_group(session, group).id)
    if district:
        query = query.where(ProducerGroup.district == network.check_district(session, district))
    return Scope(set(session.scalars(query)), include_personal)


def _product_groups(session: Session) -> dict[int, int]:
    return dict(session.execute(select(Product.id, Product.group_id)).all())


# --- JSON: the whole database, re-importable -----------------------------------------------------------

EXPORT_TABLES = (
    "kbo_setting",
    "producer_group",
    "product",
    "checklist_entry",
    "meeting",
    "attendance",
    "finding",
    "plan_action",
    "visit",
    "visit_product",
    "opc_score",
    "selection",
    "committee_member",
    "committee_round",
    "judge_score",
)


def export_json(session: Session, out: IO[str], scope: Scope) -> dict[str, int]:
    """A kbo dump of the chosen part (the history of changes is kept only in a full backup)."""
    product_groups = _product_groups(session)
    visit_groups = dict(
        session.execute(
            select(SQLModel.metadata.tables["visit"].c.id, SQLModel.metadata.tables["visit"].c.group_id)
        ).all()
    )

    def keep(table: str, values: dict[str, Any]) -> dict[str, Any] | None:
        if table == "visit_product" and scope.group_ids is not None:
            if visit_groups.get(values["visit_id"]) not in scope.group_ids:
                return None
        elif not scope.keeps(table, values, product_groups):
            return None
        if not scope.include_personal:
            for key in PERSONAL & set(values):
                values[key] = None
        return values

    return dump(session, out, names=EXPORT_TABLES, keep=keep)


# --- rows for sheets -----------------------------------------------------------------------------------


def _rows(session: Session, scope: Scope) -> dict[str, tuple[list[str], Iterator[list[Any]]]]:
    """Each sheet's header keys and rows (codes and names, not internal ids)."""
    gids = scope.group_ids
    group_keys = [k for k in GROUPS.keys() if scope.include_personal or k not in PERSONAL]  # noqa: SIM118 - a SheetSpec
    in_scope = col(ProducerGroup.id).in_(gids) if gids is not None else true()
    # the codes in scope, to filter the other sheets' rows by (none needed for the whole database)
    group_codes = (
        set(session.scalars(sa_select(col(ProducerGroup.code)).where(in_scope))) if gids is not None else set()
    )
    product_codes = (
        set(
            session.scalars(
                sa_select(col(Product.code))
                .join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)
                .where(in_scope)
            )
        )
        if gids is not None
        else set()
    )

    def keep_group(code: str) -> bool:
        return gids is None or code in group_codes

    def keep_product(code: str) -> bool:
        return gids is None or code in product_codes

    def streamed(query: Any) -> Iterator[list[Any]]:
        """The rows of a query as lists, read a few thousand at a time (the register has 100,000s)."""
        for row in session.execute(query.execution_options(yield_per=5000)):
            yield list(row)

    groups = sa_select(*(table_of(ProducerGroup).c[k] for k in group_keys)).where(in_scope).order_by("code")
    products = (
        sa_select(
            col(Product.code),
            col(Product.name),
            col(ProducerGroup.code),
            col(Product.category),
            col(Product.description),
        )
        .join(ProducerGroup, col(ProducerGroup.id) == Product.group_id)
        .where(in_scope)
        .order_by(col(Product.code))
    )

    def entries() -> Iterator[list[Any]]:
        query = with_group(
            sa_select(
                col(Product.code),
                col(ChecklistEntry.standard),
                col(ChecklistEntry.status),
                col(ChecklistEntry.certificate_no),
                col(ChecklistEntry.issued_on),
                col(ChecklistEntry.expires_on),
                col(ChecklistEntry.note),
            ),
            ChecklistEntry.product_id,
        ).order_by(col(Product.code), col(ChecklistEntry.id))
        return streamed(query.where(in_scope))

    def pick(
        rows: Callable[[], Iterable[Any]], keys: list[str], code_key: str = "product_code", flags: tuple[str, ...] = ()
    ) -> Iterator[list[Any]]:
        """The rows `rows()` gives (read when the sheet is written, not before), as lists of `keys`; the `flags`
        as TRUE or FALSE (SQLite's rows give 1 or 0)."""
        flag_at = [keys.index(k) for k in flags]
        for r in rows():
            if code_key == "group_code" and not keep_group(r.group_code):
                continue
            if code_key == "product_code" and not keep_product(r.product_code):
                continue
            values = [getattr(r, k) for k in keys]
            for i in flag_at:
                values[i] = None if values[i] is None else bool(values[i])
            yield values

    finding_keys = ["id", "product_code", "kind", "text", "noted_on", "author", "resolved_on"]
    action_keys = ["id", "product_code", "action", "agency", "due_on", "standard", "weakness", "status", "done_on"]
    visit_keys = ["id", "visited_on", "group_code", "products", "visitors", "found", "next_steps"]
    score_keys = ["product_code", "year", "part1", "part2", "part3", "total", "stars"]
    gap_keys = ["group_code", "group_name", "product_code", "product_name", "standard", "required", "status"]
    progress_keys = [
        "group_code",
        "group_name",
        "district",
        "products",
        "applicable",
        "certified",
        "in_progress",
        "gaps",
        "percent",
    ]
    selection_keys = ["year", "scope", "product_code", "reason", "decided_by", "decided_on"]

    def selections() -> Iterator[list[Any]]:
        for sel, code in session.exec(
            select(Selection, Product.code)
            .join(Product, col(Product.id) == Selection.product_id)
            .order_by(col(Selection.year))
        ):
            if keep_product(code):
                yield [sel.year, sel.scope, code, sel.reason, sel.decided_by, sel.decided_on]

    read_only = READ_ONLY_SUFFIX
    return {
        "groups": (group_keys, streamed(groups)),
        "products": (PRODUCTS.keys(), streamed(products)),
        "checklist": (CHECKLIST.keys(), entries()),
        "findings" + read_only: (finding_keys, pick(lambda: finding_rows(session=session), finding_keys)),
        "plans" + read_only: (action_keys, pick(lambda: action_rows(session=session), action_keys)),
        "visits" + read_only: (visit_keys, pick(lambda: visit_rows(session=session), visit_keys, "group_code")),
        "opc_scores" + read_only: (score_keys, pick(lambda: score_rows(session=session), score_keys)),
        "selections" + read_only: (selection_keys, selections()),
        "gaps" + read_only: (gap_keys, pick(lambda: gaps(session=session), gap_keys, flags=("required",))),
        "progress" + read_only: (progress_keys, pick(lambda: progress(session=session), progress_keys, "group_code")),
    }


def export_xlsx(session: Session, path: Path, scope: Scope) -> dict[str, int]:
    """One sheet per kind of record plus the gap and progress reports; header frozen, widths set."""
    import xlsxwriter  # heavy: only for .xlsx (CSV and JSON exports do without)

    counts: dict[str, int] = {}
    book = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for name, (keys, rows) in _rows(session, scope).items():
            sheet = book.add_worksheet(name)
            widths = [max(len(k), 8) for k in keys]
            for c, key in enumerate(keys):
                sheet.write_string(0, c, key, head)
            sheet.freeze_panes(1, 0)
            n = 0
            for n, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, Enum):
                        value = value.value
                    if isinstance(value, datetime):
                        value = value.date()
                    if isinstance(value, date):
                        sheet.write_datetime(n, c, datetime(value.year, value.month, value.day), day)
                        widths[c] = max(widths[c], 11)
                    elif isinstance(value, bool):
                        sheet.write_boolean(n, c, value)
                    elif isinstance(value, int | float):
                        sheet.write_number(n, c, value)
                    else:  # a string cell, which a spreadsheet never runs: only `'=x` needs the guard (see unguarded)
                        text = str(value)
                        sheet.write_string(n, c, neutralise(text) if text[:1] == "'" else text)
                        widths[c] = max(widths[c], min(len(text) + 2, 60))
            for c, width in enumerate(widths):  # widths set before the rows are flushed would be lost
                sheet.set_column(c, c, width)
            counts[name] = n
    finally:
        _close(book)
    return counts


def export_csv(session: Session, out: IO[str], scope: Scope) -> dict[str, int]:
    """The checklist, one row per entry with its product and group: a flat view that imports back."""
    rows = _rows(session, scope)
    products = {r[0]: r for r in rows["products"][1]}
    groups = {r[0]: r for r in rows["groups"][1]}

    def flat() -> Iterator[list[str]]:
        for entry in rows["checklist"][1]:
            p = products[entry[0]]
            g = groups[p[2]]
            yield [csv_text(v) for v in (g[0], g[1], g[3], p[0], p[1], p[3], *entry[1:])]

    return {"checklist": write_csv_rows(FLAT_COLUMNS, flat(), out)}


def template_xlsx(path: Path) -> None:
    """An empty workbook with kbo's sheets and headers, and one filled example row each."""
    import xlsxwriter  # (see export_xlsx)

    examples = {
        "groups": [
            "DD01",
            "กลุ่มทอผ้าย้อมครามบ้านดอนแดง",
            "community",
            "เรณูนคร",
            "โพนทอง",
            "บ้านดอนแดง หมู่ 5",
            "นางสมศรี ใจดี",
            "080-000-0101",
        ],
        "products": ["DD01-01", "ผ้าฝ้ายย้อมครามลายขิด", "DD01", "textile", "ผ้าฝ้ายทอมือย้อมครามธรรมชาติ"],
        "checklist": ["DD01-01", "tcps", "certified", "มผช. 8/2546", "15/03/2567", "", "ตรวจโดย สอจ."],
        # a judge's scores (one sheet per judge: "scores - NAME"): headers only, the example judge would not be a
        # member of the user's committee
        "scores": [""] * len(JUDGE_SCORES.columns),
    }
    book = xlsxwriter.Workbook(str(path))
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        for spec in (GROUPS, PRODUCTS, CHECKLIST, JUDGE_SCORES):
            sheet = book.add_worksheet(spec.key)
            for c, key in enumerate(spec.keys()):
                sheet.write_string(0, c, key, head)
                sheet.write_string(1, c, examples[spec.key][c])
                sheet.set_column(c, c, max(len(key), len(examples[spec.key][c])) + 4)
            sheet.freeze_panes(1, 0)
    finally:
        _close(book)


def _close(book: Any) -> None:
    """Write the workbook out; a file it cannot create is the OSError it is (XlsxWriter wraps it in its own)."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        book.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise


def suffix_of(path: Path) -> str:
    """The kind of file to write, from its name."""
    suffix = path.suffix.lower()
    if not suffix:
        raise InvalidValue(
            _("the name {name} does not say which kind of file to write", name=path.name),
            _("give a file ending in .xlsx, .csv or .json"),
        )
    if suffix not in FORMATS:
        raise InvalidValue(
            _("kbo cannot export to {suffix} files", suffix=suffix), _("give a file ending in .xlsx, .csv or .json")
        )
    return suffix
