"""Before and after: progress as it stood on a day, and what changed since, from the recorded history.

"As it stood on a day" means what the network had recorded by the end of that day (local time): every
change recorded later is taken back, as `kbo undo` would, but only in memory. A record's value on the day
is the old value of the first change after the day that touched it; a record first inserted after the day
did not exist yet; one deleted after the day did. Certificates are judged against the day itself (one that
expired since was still certified then). Only the records touched since the day are reconstructed, so the
cost is the cost of today's report plus the changes since, whatever the size of the register.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVarTuple, Unpack, cast

from sqlalchemy import Row, Select, and_, select
from sqlmodel import Session, col

from kbo_cli.domain import columns as c
from kbo_cli.domain.checklist import UNDER_WAY, counts_as_certified, is_gap, percent, standing
from kbo_cli.domain.reports import ProgressRow, ReportFilters, filters, products_in, progress, progress_on
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.render.columns import EXTRA, USEFUL, Col, Kind
from kbo_cli.storage.models import Change, ChangeSet, ChecklistEntry, PlanAction, ProducerGroup, Product, id_col
from kbo_cli.storage.rows import streamed_rows
from kbo_cli.vocab import ActionStatus, Standing, Status

Cols = TypeVarTuple("Cols")


def end_of(day: date) -> datetime:
    """The moment a day ends, in local time (what was recorded on the day counts as known on it)."""
    return datetime.combine(day + timedelta(days=1), time.min).astimezone()


@dataclass
class Snapshot:
    """One table's records as they stood at a moment, for the records changed since."""

    absent: set[int] = field(default_factory=set)  # did not exist yet
    values: dict[int, dict[str, Any]] = field(default_factory=dict)  # field values then (only those that differ)
    deleted: dict[int, dict[str, Any]] = field(default_factory=dict)  # existed then, gone now: all values


def snapshot(session: Session, table: str, moment: datetime) -> Snapshot:
    """How the records of `table` changed since `moment` stood at `moment`."""
    shot = Snapshot()
    first: dict[int, str] = {}
    query = (
        select(col(Change.row_id), col(Change.action), col(Change.old))
        .join(ChangeSet, col(ChangeSet.id) == Change.change_set_id)
        .where(col(Change.table_name) == table, col(ChangeSet.at) >= moment)
        .order_by(col(Change.id))
    )
    for row_id, action, old in session.connection().execute(query):
        rid = int(row_id)
        if rid not in first:
            first[rid] = action
            if action == "insert":
                shot.absent.add(rid)
        if rid in shot.absent:
            continue
        values = shot.values.setdefault(rid, {})
        for key, value in (json.loads(old) if old else {}).items():
            values.setdefault(key, value)
        if action == "delete":
            shot.deleted[rid] = values
    return shot


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class _Entry(NamedTuple):
    product_id: int
    standard: str
    status: str
    expires_on: date | None
    certificate_no: str | None


def _entries_then(
    session: Session, entry_ids: set[int], shot: Snapshot, current: dict[int, _Entry] | None = None
) -> dict[int, _Entry]:
    """The entries (of `entry_ids`) as they stood then; absent ones left out. `current`: those entries as they
    stand now (`_current_entries`), if the caller has read them already."""
    ids = entry_ids - shot.absent
    if current is None:
        current = _current_entries(session, ids)
    then = {}
    for rid in ids:
        base = current.get(rid)
        old = shot.values.get(rid, {})
        if base is None and rid not in shot.deleted:
            continue
        merged = {**(base._asdict() if base else {}), **{k: v for k, v in old.items() if k in _Entry._fields}}
        if not {"product_id", "standard", "status"} <= set(merged):
            continue
        then[rid] = _Entry(
            int(merged["product_id"]),
            merged["standard"],
            merged["status"],
            _day(merged.get("expires_on")),
            merged.get("certificate_no"),
        )
    return then


class _Product(NamedTuple):
    group_id: int
    category: str


def _products(session: Session, moment: datetime) -> tuple[Snapshot, dict[int, _Product]]:
    """Products changed since `moment`, as they stood then (group and category)."""
    shot = snapshot(session, "product", moment)
    ids = [pid for pid in shot.values if pid not in shot.absent]
    current = _product_now(session, set(ids))
    then = {}
    for pid in ids:
        old = shot.values[pid]
        base = current.get(pid)
        group_id = old.get("group_id", base.group_id if base else None)
        category = old.get("category", base.category if base else None)
        if group_id is not None and category is not None:
            then[pid] = _Product(int(group_id), category)
    return shot, then


def _contribution(entry: _Entry, category: str, day: date) -> tuple[int, int, int]:
    """(applicable, certified, under way) of one entry on a day."""
    applicable = int(entry.status != Status.NOT_APPLICABLE)
    certified = int(counts_as_certified(entry.status, entry.expires_on, day))
    under_way = int(entry.status in UNDER_WAY)
    return applicable, certified, under_way


def progress_as_of(
    *,
    session: Session,
    day: date,
    ordered: bool = True,
    counted: list[ProgressRow] | None = None,
    **where: Unpack[ReportFilters],
) -> list[ProgressRow]:
    """`report progress` as it stood at the end of `day` (see the module's docstring). `counted` is today's
    data counted on `day` (`progress(today=day)`, in order when `ordered`), if the caller has it already."""
    moment = end_of(day)
    if moment >= datetime.now().astimezone():
        return progress(session=session, ordered=ordered, **where)
    if counted is None:
        counted = progress(session=session, today=day, ordered=ordered, **where)
    base = {r.group_code: r for r in counted}
    entry_shot = snapshot(session, "checklist_entry", moment)
    product_shot, products_then = _products(session, moment)
    touched = set(entry_shot.values) | entry_shot.absent
    if not touched and not product_shot.values and not product_shot.absent:
        return list(base.values())
    scope = _scope(session, **where)
    now_entries = _current_entries(session, touched - set(entry_shot.deleted))
    then_entries = _entries_then(session, set(entry_shot.values), entry_shot)
    product_now = _product_now(session, {e.product_id for e in (*now_entries.values(), *then_entries.values())})
    delta: dict[int, list[int]] = defaultdict(
        lambda: [0, 0, 0, 0]
    )  # group -> products, applicable, certified, under way
    for entry in now_entries.values():  # take back what was recorded since
        owner = product_now.get(entry.product_id)
        if owner is not None and scope(owner):
            for i, v in enumerate(_contribution(entry, owner.category, day), 1):
                delta[owner.group_id][i] -= v
    for entry in then_entries.values():  # and put back what stood then
        owner = products_then.get(entry.product_id) or product_now.get(entry.product_id)
        if owner is not None and entry.product_id not in product_shot.absent and scope(owner):
            for i, v in enumerate(_contribution(entry, owner.category, day), 1):
                delta[owner.group_id][i] += v
    for pid in product_shot.absent:  # products added since
        owner = product_now.get(pid)
        if owner is not None and scope(owner):
            delta[owner.group_id][0] -= 1
    for pid in product_shot.deleted:  # products removed since
        owner = products_then.get(pid)
        if owner is not None and scope(owner):
            delta[owner.group_id][0] += 1
    for pid, owner in products_then.items():  # products moved to another group since
        now = product_now.get(pid)
        if now is not None and now.group_id != owner.group_id and pid not in product_shot.deleted:
            delta[now.group_id][0] -= scope(now)
            delta[owner.group_id][0] += scope(owner)
    groups = _groups(session, set(delta))  # the groups whose figures changed, not the country's
    changed: dict[str, list[Any]] = {}  # group code -> its row's fields, the history's delta added
    for group_id, (products, applicable, certified, under_way) in delta.items():
        info = groups.get(group_id)
        if info is None:
            continue
        counted_row = base.get(info[0])
        row = changed.setdefault(info[0], list(counted_row) if counted_row else [*info, 0, 0, 0, 0, 0, None])
        row[3] += products
        row[4] += applicable
        row[5] += certified
        row[6] += under_way
    # the counted rows stand but for the groups changed (a few, where the country has 95,400), then the groups
    # only the history has
    remade = {code: ProgressRow.of(*row[:7]) for code, row in changed.items()}
    added = [row for code, row in remade.items() if code not in base]
    result = [remade.get(r.group_code, r) for r in counted] + added
    if remade:  # a group whose products have all been added since was not there
        result = [r for r in result if r.products > 0]
    if ordered and added:  # in the order of `counted` but for the groups the history adds
        keys = _sort_keys(session)
        result.sort(key=lambda r: keys[r.group_code])  # every row is of a group that exists now
    return result


def _scope(session: Session, **where: Unpack[ReportFilters]) -> Callable[[_Product], bool]:
    """Whether a product (group, category) is inside the report's filters."""
    group, district, category = where.get("group"), where.get("district"), where.get("category")
    if not (district or category or group):
        return lambda _owner: True
    wanted = (
        set(
            session.connection()
            .execute(
                filters(
                    select(id_col(ProducerGroup.id)).select_from(ProducerGroup), session, district=district, group=group
                )
            )
            .scalars()
        )
        if (district or group)
        else None
    )
    cat = catalog.parse_category(category).code if category else None
    return lambda owner: (wanted is None or owner.group_id in wanted) and (cat is None or owner.category == cat)


#: a producer group's code, name and district
_GroupInfo = tuple[str, str, str]


def _groups(session: Session, ids: set[int]) -> dict[int, _GroupInfo]:
    """The producer groups of `ids`, by id."""
    query = select(
        id_col(ProducerGroup.id), col(ProducerGroup.code), col(ProducerGroup.name), col(ProducerGroup.district)
    )
    return {gid: (code, name, dist) for gid, code, name, dist in _by_ids(session, query, ProducerGroup.id, ids)}


def _sort_keys(session: Session) -> dict[str, str]:
    """Each producer group's sort key (`textnorm.place_key`), by code: to place rows in the report's order."""
    query = select(col(ProducerGroup.code), col(ProducerGroup.sort_key))
    return dict(cast("Iterator[tuple[str, str]]", streamed_rows(session.connection(), query)))


def _group_codes(session: Session) -> dict[int, str]:
    """Each producer group's code, by id."""
    query = select(id_col(ProducerGroup.id), col(ProducerGroup.code))
    return dict(cast("Iterator[tuple[int, str]]", streamed_rows(session.connection(), query)))


#: ids bound per query: SQLite slows to a crawl past 65,535 values
_CHUNK = 5000


def _by_ids(session: Session, query: Select[*Cols], id_column: Any, ids: set[int]) -> Iterator[Row[*Cols]]:
    """The rows `query` selects for the records of `ids`, read a chunk of ids at a time, in id order (SQLite
    reads a chunk of 5,000 ids in a third of the time when they come sorted)."""
    listed = sorted(ids)
    for start in range(0, len(listed), _CHUNK):
        yield from session.connection().execute(query.where(col(id_column).in_(listed[start : start + _CHUNK])))


def _current_entries(session: Session, ids: set[int]) -> dict[int, _Entry]:
    """The entries of `ids` as they stand now; those gone left out."""
    query = select(
        id_col(ChecklistEntry.id),
        col(ChecklistEntry.product_id),
        col(ChecklistEntry.standard),
        col(ChecklistEntry.status),
        col(ChecklistEntry.expires_on),
        col(ChecklistEntry.certificate_no),
    )
    return {e[0]: _Entry(*e[1:]) for e in _by_ids(session, query, ChecklistEntry.id, ids)}


def _product_now(session: Session, ids: set[int]) -> dict[int, _Product]:
    """The group and category of the products of `ids` as they stand now; those gone left out."""
    query = select(id_col(Product.id), col(Product.group_id), col(Product.category))
    return {pid: _Product(gid, cat) for pid, gid, cat in _by_ids(session, query, Product.id, ids)}


# --- what changed since a day ---------------------------------------------------------------------------


class ChangeRow(NamedTuple):
    group_code: str
    group_name: str
    district: str
    percent_then: float | None
    percent: float | None
    change: float | None
    applicable_then: int
    applicable: int
    certified_then: int
    certified: int
    certified_since: int
    gaps_closed: int
    new_gaps: int
    actions_done: int


def _change_style(value: Any, _row: Any) -> str | None:
    return None if not value else "green" if value > 0 else "red"


CHANGE_COLUMNS = (
    c.GROUP_CODE,
    c.GROUP_NAME,
    c.GROUP,
    c.DISTRICT,
    Col("percent_then", N_("Progress then"), Kind.PERCENT, show=lambda v: f"{v:.1f}%"),
    Col("percent", N_("Progress now"), Kind.PERCENT),
    Col("change", N_("Change"), Kind.SIGNED, style=_change_style),
    Col("applicable_then", N_("Applicable then"), Kind.COUNT, table=False),
    Col("applicable", N_("Applicable now"), Kind.COUNT, table=False),
    Col("certified_then", N_("Certified then"), Kind.COUNT, priority=EXTRA),
    Col("certified", N_("Certified now"), Kind.COUNT, priority=EXTRA),
    Col("certified_since", N_("Newly certified"), Kind.COUNT),
    Col("gaps_closed", N_("Gaps closed"), Kind.COUNT, priority=USEFUL),
    Col("new_gaps", N_("New gaps"), Kind.COUNT),
    Col("actions_done", N_("Actions done"), Kind.COUNT),
)


def progress_since(
    *, session: Session, day: date, today: date | None = None, **where: Unpack[ReportFilters]
) -> list[ChangeRow]:
    """Each group's progress at the end of `day` and now, and what changed in between: entries certified
    since, gaps closed, new gaps (an expiry, a new product), plan actions done."""
    today = today or date.today()
    # one reading of the checklist for both, in order
    counted_then, counted_now = progress_on(session, [day, today], ordered=True, **where)
    then = {
        r.group_code: r for r in progress_as_of(session=session, day=day, ordered=False, counted=counted_then, **where)
    }
    now = {r.group_code: r for r in counted_now}
    moment = end_of(day)
    entry_shot = snapshot(session, "checklist_entry", moment)
    _product_shot, products_then = _products(session, moment)
    within = products_in(session, **where)  # a filtered report reads its products' expiries and actions only
    expired = select(id_col(ChecklistEntry.id)).where(
        col(ChecklistEntry.status) == Status.CERTIFIED,
        col(ChecklistEntry.expires_on) > day,
        col(ChecklistEntry.expires_on) < today,
    )
    if within is not None:
        expired = expired.where(col(ChecklistEntry.product_id).in_(within))
    expiring = set(session.connection().execute(expired).scalars())
    ids = set(entry_shot.values) | entry_shot.absent | expiring
    now_entries = _current_entries(session, ids)
    then_entries = _entries_then(session, ids - entry_shot.absent, entry_shot, now_entries)
    for rid in ids - set(then_entries) - entry_shot.absent - set(entry_shot.deleted):
        if rid in now_entries:  # untouched since: it stood then as it stands now
            then_entries[rid] = now_entries[rid]
    owners = _product_now(session, {e.product_id for e in (*now_entries.values(), *then_entries.values())})
    owners.update({pid: p for pid, p in products_then.items() if pid not in owners})
    scope = _scope(session, **where)
    codes = _group_codes(session)
    standards = catalog.standards()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    def shown(entry: _Entry | None, on: date) -> Standing | None:
        if entry is None:
            return None
        owner = owners.get(entry.product_id)
        std = standards.get(entry.standard)
        return standing(
            entry.status,
            entry.expires_on,
            entry.certificate_no,
            bool(owner and std and std.numbered(owner.category)),
            on,
        )

    for rid in ids:
        before, after = then_entries.get(rid), now_entries.get(rid)
        entry = after or before
        if entry is None:  # added after the day and removed since (with its product): it never counted
            continue
        owner = owners.get(entry.product_id)
        if owner is None or not scope(owner) or owner.group_id not in codes:
            continue
        s_then, s_now = shown(before, day), shown(after, today)
        gap_then = s_then is not None and is_gap(s_then)
        gap_now = s_now is not None and is_gap(s_now)
        cert_then = before is not None and counts_as_certified(before.status, before.expires_on, day)
        cert_now = after is not None and counts_as_certified(after.status, after.expires_on, today)
        code = codes[owner.group_id]
        counts[code][0] += cert_now and not cert_then
        counts[code][1] += gap_then and not gap_now
        counts[code][2] += gap_now and not gap_then
    done = _actions_done(session, day, today, codes, within)
    rows = []
    then_only = [code for code in then if code not in now]  # groups whose products have all gone since
    for code in [*now, *then_only]:
        r_then, r_now = then.get(code), now.get(code)
        ref = r_now or r_then
        assert ref is not None
        p_then = r_then.percent if r_then else None
        p_now = r_now.percent if r_now else None
        change = round(p_now - p_then, 1) + 0.0 if p_now is not None and p_then is not None else None
        certified_since, gaps_closed, new_gaps = counts.get(code, (0, 0, 0))
        rows.append(
            ChangeRow(
                ref.group_code,
                ref.group_name,
                ref.district,
                p_then,
                p_now,
                change,
                r_then.applicable if r_then else 0,
                r_now.applicable if r_now else 0,
                r_then.certified if r_then else 0,
                r_now.certified if r_now else 0,
                certified_since,
                gaps_closed,
                new_gaps,
                done.get(code, 0),
            )
        )
    if then_only:  # `now` is in order: only these need placing (every row is of a group that exists now)
        keys = _sort_keys(session)
        rows.sort(key=lambda r: keys[r.group_code])
    return rows


def _actions_done(
    session: Session, day: date, today: date, codes: dict[int, str], within: Select[int] | None
) -> dict[str, int]:
    """Plan actions done between `day` and `today`, by group code, of the products `within` selects (all when
    None): actions belong to the products as they are now, so the report's filters apply to them in SQL."""
    done: dict[str, int] = defaultdict(int)
    query = (
        select(col(Product.group_id))
        .join(PlanAction, col(PlanAction.product_id) == Product.id)
        .where(
            and_(
                col(PlanAction.status) == ActionStatus.DONE,
                col(PlanAction.done_on) > day,
                col(PlanAction.done_on) <= today,
            )
        )
    )
    if within is not None:
        query = query.where(col(Product.id).in_(within))
    for (gid,) in streamed_rows(session.connection(), query):
        if gid in codes:
            done[codes[gid]] += 1
    return done


def change_totals(rows: list[ChangeRow]) -> dict[str, Any]:
    """A footer for the change table: the province's figures."""
    total: dict[str, Any] = {
        k: sum(getattr(r, k) for r in rows)
        for k in (
            "applicable_then",
            "applicable",
            "certified_then",
            "certified",
            "certified_since",
            "gaps_closed",
            "new_gaps",
            "actions_done",
        )
    }
    total["percent_then"] = percent(total["certified_then"], total["applicable_then"])
    total["percent"] = percent(total["certified"], total["applicable"])
    if total["percent"] is not None and total["percent_then"] is not None:
        total["change"] = round(total["percent"] - total["percent_then"], 1) + 0.0
    total["group"] = _("Total")
    return total
