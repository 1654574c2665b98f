"""History and undo: every change a command makes is recorded, and the last one can be reverted.

`track(session, ...)` hooks a write session: after each flush, every record inserted, updated or
deleted through the ORM is written to `change` (old and new field values as JSON) under one
`change_set` per command. Domain code therefore deletes dependent records through the ORM (never by
relying on ON DELETE CASCADE), so that undo can bring them back.

`undo(...)` reverts the current user's last change set that is not undone yet, as one unit, and is
itself recorded; it refuses when a later change by someone else touched the same records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from kbo_cli.errors import Conflict, NotFound
from kbo_cli.i18n import N_, _
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import (
    DERIVED,
    Change,
    ChangeSet,
    ProducerGroup,
    Product,
    place_key_values,
    table_of,
    utcnow,
)
from kbo_cli.thai.dates import format_date
from kbo_cli.thai.textnorm import place_key
from kbo_cli.vocab import ChangeAction, Term

UNTRACKED = {"change", "change_set", "alembic_version"}
#: fields kept for undo but not worth showing as changes
BOOKKEEPING = {"updated_at", "created_at"}
_STATE_KEY = "kbo_history"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row_values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: _plain(getattr(obj, c.key)) for c in mapper.column_attrs if c.key not in DERIVED}


def _row_id(obj: Any) -> str:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(v) for v in identity)


def _owners(obj: Any) -> tuple[int | None, int | None]:
    """(product_id, group_id) that a record belongs to, for filtering history."""
    if isinstance(obj, Product):
        return obj.id, obj.group_id
    if isinstance(obj, ProducerGroup):
        return None, obj.id
    product_id = getattr(obj, "product_id", None)
    return product_id, getattr(obj, "group_id", None)


def track(session: Session, *, user: str, command: str) -> None:
    """Record every change this session flushes under one change set for the command."""
    session.info[_STATE_KEY] = {"user": user, "command": command, "set_id": None, "inserted": set()}
    event.listen(session, "after_flush", _after_flush)


def next_change_set(session: Session, *, command: str, at: datetime | None = None, user: str | None = None) -> None:
    """Record what follows as a change set of its own, as if typed at `at` (a demo's or a replayed story's day)."""
    session.flush()
    state = session.info[_STATE_KEY]
    state.update(set_id=None, inserted=set(), command=command, at=at, user=user or state["user"])


def _change_set_id(session: Session) -> int:
    state = session.info[_STATE_KEY]
    if state["set_id"] is None:
        result = session.connection().execute(
            insert(_table("change_set"))
            .values(at=state.get("at") or utcnow(), user=state["user"], command=state["command"])
            .returning(_table("change_set").c.id)
        )
        state["set_id"] = result.scalar_one()
    return int(state["set_id"])


def _change(obj: Any, action: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """The `change` row recording one action on a record flushed through the ORM (old and new values as JSON)."""
    product_id, group_id = _owners(obj)
    return {
        "table_name": obj.__tablename__,
        "row_id": _row_id(obj),
        "action": action,
        "old": None if old is None else json.dumps(old, ensure_ascii=False),
        "new": None if new is None else json.dumps(new, ensure_ascii=False),
        "product_id": product_id,
        "group_id": group_id,
    }


def _after_flush(session: Session, _context: Any) -> None:
    rows: list[dict[str, Any]] = []
    # a record this change set inserted and changes again (a generated code given after the first flush) is
    # recorded as inserted with the values the command left it with: one change, not a temporary value and its end
    inserted: set[tuple[str, str]] = session.info[_STATE_KEY]["inserted"]
    made_again: list[Any] = []
    for obj in session.new:
        if obj.__tablename__ not in UNTRACKED:
            rows.append(_change(obj, "insert", None, _row_values(obj)))
    for obj in session.dirty:
        if obj.__tablename__ in UNTRACKED or not session.is_modified(obj, include_collections=False):
            continue
        old, new = {}, {}
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in DERIVED:
                continue
            hist = state.attrs[attr.key].history
            if hist.has_changes() and hist.deleted:
                before, after = _plain(hist.deleted[0]), _plain(getattr(obj, attr.key))
                if before != after:
                    old[attr.key], new[attr.key] = before, after
        if old and (obj.__tablename__, _row_id(obj)) in inserted:
            made_again.append(obj)
        elif old:
            rows.append(_change(obj, "update", old, new))
    for obj in session.deleted:
        if obj.__tablename__ not in UNTRACKED:
            rows.append(_change(obj, "delete", _row_values(obj), None))
    if rows:
        set_id = _change_set_id(session)
        session.connection().execute(insert(_table("change")), [{**r, "change_set_id": set_id} for r in rows])
        inserted.update((r["table_name"], r["row_id"]) for r in rows if r["action"] == "insert")
    change = _table("change")
    for obj in made_again:
        session.connection().execute(
            update(change)
            .where(
                change.c.change_set_id == _change_set_id(session),
                change.c.table_name == obj.__tablename__,
                change.c.row_id == _row_id(obj),
                change.c.action == "insert",
            )
            .values(new=json.dumps(_row_values(obj), ensure_ascii=False))
        )


#: what history keeps of a row inserted in bulk: enough to show it and to undo it (undo needs only its id)
BULK_FIELDS = ("code", "name", "district", "category", "group_id", "product_id", "standard", "status")


#: change rows written per statement by `record_inserts`
INSERT_BATCH = 5000


def record_inserts(
    session: Session, table_name: str, rows: Iterable[dict[str, Any]] | Select[Any], *, plain: Collection[str] = ()
) -> None:
    """Record rows inserted in bulk (without the ORM), so that history shows them and undo removes them.

    `rows` may be a generator: it is read and written in batches, never held whole. It may also be a query
    selecting the rows' `id` and the BULK_FIELDS they have: the database then writes the change rows itself
    (INSERT ... SELECT), the same text as json.dumps below, provided no text holds a control character (the
    names, codes and places kbo checks never do); `plain` names the fields the caller knows hold no `"` and
    no `\\` (codes), written without looking for them."""
    if _STATE_KEY not in session.info:
        return
    table = _table(table_name)
    if isinstance(rows, Select):
        _record_selected_inserts(session, table_name, rows, plain)
        return
    pk = [c.name for c in table.primary_key.columns]
    set_id: int | None = None
    changes: list[dict[str, Any]] = []
    for row in rows:
        if set_id is None:
            set_id = _change_set_id(session)
        product_id = row["id"] if table_name == "product" else row.get("product_id")
        group_id = row["id"] if table_name == "producer_group" else row.get("group_id")
        changes.append(
            {
                "change_set_id": set_id,
                "table_name": table_name,
                "row_id": ",".join(str(row[k]) for k in pk),
                "action": "insert",
                "old": None,
                "new": json.dumps({k: row[k] for k in BULK_FIELDS if row.get(k) is not None}, ensure_ascii=False),
                "product_id": product_id,
                "group_id": group_id,
            }
        )
        if len(changes) >= INSERT_BATCH:
            session.connection().execute(insert(_table("change")), changes)
            changes = []
    if changes:
        session.connection().execute(insert(_table("change")), changes)


def _record_selected_inserts(session: Session, table_name: str, query: Select[Any], plain: Collection[str]) -> None:
    """record_inserts for the rows a query selects: `{"product_id": 7, "standard": "fda"}` built in SQL, a field
    left out where it is NULL, `"` and `\\` escaped as json.dumps escapes them."""
    rows = query.subquery()
    parts: Any = literal("")
    for key in (k for k in BULK_FIELDS if k in rows.c):
        value: Any = cast(rows.c[key], String)
        if key not in plain and not isinstance(rows.c[key].type, Integer):
            value = func.replace(func.replace(value, "\\", "\\\\"), '"', '\\"')
        if not isinstance(rows.c[key].type, Integer):
            value = literal('"') + value + literal('"')
        parts = parts + func.coalesce(literal(f', "{key}": ') + value, "")
    new = literal("{") + func.substr(parts, 3, type_=String) + literal("}")  # without the first ", "

    def owner(name: str, own_table: str) -> Any:
        if table_name == own_table:
            return rows.c.id
        return rows.c[name] if name in rows.c else cast(null(), Integer)

    session.connection().execute(
        insert(_table("change")).from_select(
            ["change_set_id", "table_name", "row_id", "action", "old", "new", "product_id", "group_id"],
            select(
                literal(_change_set_id(session)),
                literal(table_name),
                cast(rows.c.id, String),
                literal("insert"),
                cast(null(), String),
                new,
                owner("product_id", "product"),
                owner("group_id", "producer_group"),
            ).order_by(rows.c.id),
        )
    )


# --- undo -------------------------------------------------------------------------------------------


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _decode(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """JSON values back to Python values of the table's column types."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        column = table.c[key]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def _where_pk(table: Table, row_id: str) -> ColumnElement[bool]:
    parts = row_id.split(",")
    pk_cols = list(table.primary_key.columns)
    return and_(*(c == (int(v) if c.type.python_type is int else v) for c, v in zip(pk_cols, parts, strict=True)))


def last_undoable(session: Session, user: str) -> ChangeSet:
    found = session.scalars(
        select(ChangeSet)
        .where(col(ChangeSet.user) == user, col(ChangeSet.undone_by).is_(None), col(ChangeSet.undoes).is_(None))
        .order_by(col(ChangeSet.id).desc())
        .limit(1)
    ).first()
    if found is None:
        raise NotFound(
            _("nothing to undo: {user} has no change that is not undone yet", user=user),
            _("see what changed with 'kbo history'"),
        )
    return found


def undo(session: Session, *, user: str) -> tuple[ChangeSet, int]:
    """Revert `user`'s last change set; returns it and the number of records restored."""
    target = last_undoable(session, user)
    changes = list(
        session.scalars(select(Change).where(col(Change.change_set_id) == target.id).order_by(col(Change.id)))
    )
    touched = {(c.table_name, c.row_id) for c in changes}
    later = session.execute(
        select(
            col(ChangeSet.id), col(ChangeSet.user), col(ChangeSet.command), col(Change.table_name), col(Change.row_id)
        )
        .join(Change, col(Change.change_set_id) == ChangeSet.id)
        .where(
            col(ChangeSet.id) > target.id,
            col(ChangeSet.user) != user,
            col(ChangeSet.undone_by).is_(None),
            col(ChangeSet.undoes).is_(None),
        )
    ).all()
    clash = next((row for row in later if (row.table_name, row.row_id) in touched), None)
    if clash is not None:
        raise Conflict(
            _(
                "cannot undo “{command}”: {other} changed the same records later (“{later}”)",
                command=target.command,
                other=clash.user,
                later=clash.command,
            ),
            _("ask {other} first, or correct the records by hand", other=clash.user),
        )
    order = {t.name: i for i, t in enumerate(SQLModel.metadata.sorted_tables)}
    conn = session.connection()
    inserts = sorted((c for c in changes if c.action == "insert"), key=lambda c: -order[c.table_name])
    for c in inserts:  # children first
        conn.execute(delete(_table(c.table_name)).where(_where_pk(_table(c.table_name), c.row_id)))
    for c in reversed([c for c in changes if c.action == "update"]):
        table = _table(c.table_name)
        conn.execute(update(table).where(_where_pk(table, c.row_id)).values(_decode(table, json.loads(c.old or "{}"))))
    deletes = sorted((c for c in changes if c.action == "delete"), key=lambda c: order[c.table_name])
    for c in deletes:  # parents first
        table = _table(c.table_name)
        values = _decode(table, json.loads(c.old or "{}"))
        if c.table_name == "producer_group":
            values = place_key_values(values)
        conn.execute(insert(table).values(values))
    _place_keys_again(
        conn, {int(c.row_id) for c in changes if c.table_name == "producer_group" and c.action == "update"}
    )
    # the undo is itself a change set: the inverse of each change
    set_id = _change_set_id(session)
    conn.execute(
        insert(_table("change")),
        [
            {
                "change_set_id": set_id,
                "table_name": c.table_name,
                "row_id": c.row_id,
                "action": {"insert": "delete", "delete": "insert", "update": "update"}[c.action],
                "old": c.new,
                "new": c.old,
                "product_id": c.product_id,
                "group_id": c.group_id,
            }
            for c in reversed(changes)
        ],
    )
    change_set = _table("change_set")
    conn.execute(update(change_set).where(change_set.c.id == set_id).values(undoes=target.id))
    conn.execute(update(change_set).where(change_set.c.id == target.id).values(undone_by=set_id))
    session.expire_all()
    return target, len(changes)


def _place_keys_again(conn: Any, group_ids: set[int]) -> None:
    """The sort keys of the producer groups an undo changed back, computed from their restored values."""
    table = table_of(ProducerGroup)
    ids = sorted(group_ids)
    for start in range(0, len(ids), INSERT_BATCH):
        rows = conn.execute(
            select(table.c.id, table.c.district, table.c.name, table.c.code).where(
                table.c.id.in_(ids[start : start + INSERT_BATCH])
            )
        ).all()
        if rows:
            conn.execute(
                update(table).where(table.c.id == bindparam("gid")).values(sort_key=bindparam("key")),
                [{"gid": gid, "key": place_key(d, n, code)} for gid, d, n, code in rows],
            )


class HistoryRow(NamedTuple):
    change_set: int
    at: datetime
    user: str
    command: str
    undone_by: int | None
    table: str
    record: str
    action: ChangeAction | None  # None: a line saying how many more changes the command made
    field: str | None
    old: Any
    new: Any


#: how many records changed a table shows per command (the machine formats list them all)
TABLE_CHANGES = 20

_SIGN = {ChangeAction.INSERT: "+", ChangeAction.UPDATE: "~", ChangeAction.DELETE: "−"}


def _command_shown(row: HistoryRow) -> str:
    if row.undone_by:
        return f"{row.command} ({_('undone by')} #{row.undone_by})"
    return row.command


#: each table's records as a table of history names them (the machine formats keep the table's name)
TABLE_NAMES = {
    "producer_group": N_("group"),
    "product": N_("product"),
    "checklist_entry": N_("checklist entry"),
    "finding": N_("finding"),
    "plan_action": N_("plan action"),
    "visit": N_("visit"),
    "visit_product": N_("visit's product"),
    "opc_score": N_("OPC score"),
    "selection": N_("pick"),
    "committee_member": N_("committee member"),
    "judge_score": N_("judge's score"),
    "committee_round": N_("committee round"),
    "meeting": N_("meeting"),
    "attendance": N_("attendance"),
    "kbo_setting": N_("setting"),
}
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _value(value: Any, table: str = "", field: str | None = None) -> str:
    """A stored value as a table of history shows it: a day in the user's calendar (Buddhist Era in Thai), a
    vocabulary's code by its label."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    column = SQLModel.metadata.tables[table].c.get(field or "") if table in SQLModel.metadata.tables else None
    term = getattr(column.type, "enum_class", None) if column is not None else None  # a vocabulary's column
    if isinstance(term, type) and issubclass(term, Term) and value in term._value2member_map_:
        return str(term(value).label)
    if _ISO_DAY.match(value):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _change_shown(row: HistoryRow) -> str:
    """One change in one cell, for tables: `~ checklist entry 129 · status: submitted → certified`."""
    if row.action is None:
        return _("… and {count} more records changed (kbo history -f csv lists every change)", count=f"{row.new:,}")
    name = _(TABLE_NAMES[row.table]) if row.table in TABLE_NAMES else row.table
    record = f"{_SIGN[row.action]} {name} {row.record}"
    if row.action is ChangeAction.UPDATE:
        old, new = (_value(v, row.table, row.field) or "–" for v in (row.old, row.new))
        return f"{record} · {row.field}: {old} → {new}"
    label = _value(row.new if row.action is ChangeAction.INSERT else row.old)
    return f"{record} ({label})" if label else record


HISTORY_COLUMNS = (
    Col("change_set", N_("No."), Kind.COUNT),
    Col("at", N_("When"), Kind.WHEN, priority=USEFUL, wrap=True),
    Col("user", N_("Who"), wrap=True, priority=EXTRA),
    Col("command", N_("Command"), table=False),
    Col("command_shown", N_("Command"), value=_command_shown, machine=False, wrap=True),
    Col("undone_by", N_("Undone by"), Kind.COUNT, table=False),
    Col("table", N_("Record"), table=False),
    Col("record", N_("Id"), table=False),
    Col("action", N_("Change"), Kind.TERM, table=False),
    Col("change", N_("Change"), value=_change_shown, machine=False, wrap=True),
    Col("field", N_("Field"), table=False),
    Col("old", N_("Old value"), table=False),
    Col("new", N_("New value"), table=False),
)


def history_rows(
    session: Session,
    *,
    product_id: int | None = None,
    group_id: int | None = None,
    since: date | None = None,
    limit: int | None = None,
    per_command: int | None = None,
) -> Iterator[HistoryRow]:
    """One row per field changed (or per record inserted or deleted), newest change set first, streamed;
    `limit` keeps the newest that many commands. With `per_command`, each command shows at most that many
    records changed, then one row (action None) saying how many more: an import of the whole country is one
    command of hundreds of thousands of records, which a table cannot usefully show."""
    wanted: list[ColumnElement[bool]] = []
    if product_id is not None:
        wanted.append(col(Change.product_id) == product_id)
    if group_id is not None:
        wanted.append(
            or_(
                col(Change.group_id) == group_id,
                col(Change.product_id).in_(select(col(Product.id)).where(col(Product.group_id) == group_id)),
            )
        )
    if since is not None:
        wanted.append(col(ChangeSet.at) >= datetime.combine(since, datetime.min.time()).astimezone())
    sets = table_of(ChangeSet)
    changes = table_of(Change)
    set_columns = (sets.c.id, sets.c.at, sets.c.user, sets.c.command, sets.c.undone_by)
    change_columns = (changes.c.table_name, changes.c.row_id, changes.c.action, changes.c.old, changes.c.new)
    if per_command is None:
        query = select(*set_columns, *change_columns).join(changes, changes.c.change_set_id == sets.c.id).where(*wanted)
        if limit is not None:
            newest = (
                select(sets.c.id)
                .join(changes, changes.c.change_set_id == sets.c.id)
                .where(*wanted)
                .distinct()
                .order_by(sets.c.id.desc())
                .limit(limit)
            )
            query = query.where(sets.c.id.in_(newest))
        query = query.order_by(sets.c.id.desc(), changes.c.id).execution_options(yield_per=2000)
        for set_id, at, user, command, undone_by, *change in session.connection().execute(query):
            yield from _fields((set_id, at, user, command, undone_by), change)
        return
    counted = (
        select(*set_columns, func.count(changes.c.id))
        .join(changes, changes.c.change_set_id == sets.c.id)
        .where(*wanted)
        .group_by(*set_columns)
        .order_by(sets.c.id.desc())
        .limit(limit)
    )
    for set_id, at, user, command, undone_by, count in session.connection().execute(counted).all():
        head: _Head = (set_id, at, user, command, undone_by)
        first = (
            select(*change_columns)
            .join(sets, changes.c.change_set_id == sets.c.id)
            .where(changes.c.change_set_id == set_id, *wanted)
            .order_by(changes.c.id)
            .limit(per_command)
        )
        for entry in session.connection().execute(first):
            yield from _fields(head, entry)
        if count > per_command:
            yield HistoryRow(set_id, at, user, command, undone_by, "", "", None, None, None, count - per_command)


#: a change set's number, time, user, command and undoing change set
_Head = tuple[int, datetime, str, str, int | None]


def _fields(head: _Head, change: Sequence[Any]) -> Iterator[HistoryRow]:
    """The rows of one recorded change (table, record, action, old and new JSON): one per field updated, or one
    for a record inserted or deleted."""
    table, record, action_code, old_json, new_json = change
    action = ChangeAction(action_code)
    set_id, at, user, command, undone_by = head

    def row(field: str | None, old: Any, new: Any) -> HistoryRow:
        return HistoryRow(set_id, at, user, command, undone_by, table, record, action, field, old, new)

    old = json.loads(old_json) if old_json else {}
    new = json.loads(new_json) if new_json else {}
    if action is ChangeAction.UPDATE:
        for field in old:
            if field not in BOOKKEEPING:
                yield row(field, old[field], new.get(field))
        return
    values = new or old
    label = next(
        (
            values[k]
            for k in ("code", "name", "title", "text", "action", "person", "agency", "standard")
            if values.get(k)
        ),
        "",
    )
    yield row(None, label if action is ChangeAction.DELETE else None, label if action is ChangeAction.INSERT else None)
