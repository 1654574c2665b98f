"""The rules a stored record must keep, checked on rows that did not come through a command.

A restored dump and `kbo db check` read rows as they are stored (a hand-edited dump, a second client of a
shared database, an old bug); each row is held to the rules the commands apply (the same functions:
vocabularies, text without control characters and of sane length, dates, OPC part maxima). `problems`
returns what is wrong with one row, in words a person can act on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import func, or_, select

from kbo_cli.domain.opc import round_for
from kbo_cli.domain.refs import CODE_PATTERN
from kbo_cli.domain.text import LINE_MAX, LONG_TEXT_MAX, NAME_MAX, TEXT_MAX, free_text, one_line, required_name
from kbo_cli.errors import KboError
from kbo_cli.i18n import N_, _
from kbo_cli.reference import catalog
from kbo_cli.reference.agencies import agencies
from kbo_cli.storage.models import (
    ChecklistEntry,
    CommitteeMember,
    Finding,
    JudgeScore,
    PlanAction,
    ProducerGroup,
    Product,
    Setting,
    table_of,
)
from kbo_cli.thai import places
from kbo_cli.thai.certno import normalize_cert
from kbo_cli.vocab import ActionStatus, ChangeAction, FindingKind, GroupKind, Status

if TYPE_CHECKING:
    from sqlmodel import Session

Check = Callable[[Any], str | None]


def _required(check: Check) -> Check:
    def run(value: Any) -> str | None:
        if value is None or value == "":
            return _("a value is required")
        return check(value)

    return run


def _optional(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def _text(limit: int, *, read: Callable[..., str] = one_line) -> Check:
    """Text that `read` (one_line, free_text, required_name: the commands' own readers) takes as it is."""

    def run(value: Any) -> str | None:
        if not isinstance(value, str):
            return _("text expected, not {value}", value=repr(value)[:40])
        try:
            read(value, N_("value"), limit=limit)
        except KboError as exc:
            return exc.message
        return None

    return run


def _one_of(codes: Any) -> Check:
    allowed = set(codes)

    def run(value: Any) -> str | None:
        if value not in allowed:
            return _("'{value}' is not one of {choices}", value=str(value)[:40], choices=", ".join(sorted(allowed)))
        return None

    return run


def _code(value: Any) -> str | None:
    if not isinstance(value, str) or not CODE_PATTERN.match(value):
        return _("'{value}' is not a valid code", value=str(value)[:40])
    return None


def _integer(low: int, high: int) -> Check:
    def run(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return _(
                "a whole number from {low} to {high} expected, not {value}", low=low, high=high, value=str(value)[:40]
            )
        return None

    return run


def _number(low: float, high: float) -> Check:
    def run(value: Any) -> str | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or math.isnan(value)
            or not low <= value <= high
        ):
            return _(
                "a number from {low} to {high} expected, not {value}",
                low=f"{low:g}",
                high=f"{high:g}",
                value=str(value)[:40],
            )
        return None

    return run


def _date(value: Any) -> str | None:
    return None if isinstance(value, date) and not isinstance(value, datetime) else _("a date expected")


def _timestamp(value: Any) -> str | None:
    return None if isinstance(value, datetime) else _("a date and time expected")


ID = _integer(1, 2_147_483_647)


NAME = _required(_text(NAME_MAX, read=required_name))  # a name or an author: something to read
LINE = _optional(_text(LINE_MAX))
TEXT = _optional(_text(TEXT_MAX, read=free_text))
REQUIRED_TEXT = _required(_text(TEXT_MAX, read=free_text))
DAY = _required(_date)
SOME_DAY = _optional(_date)
WHEN = _required(_timestamp)


@cache
def _rules() -> dict[str, dict[str, Check]]:
    standards = catalog.standards()
    return {
        "kbo_setting": {"key": _one_of(("province", "network_name")), "value": _required(_text(LINE_MAX))},
        "producer_group": {
            "id": ID,
            "code": _required(_code),
            "name": NAME,
            "kind": _one_of(GroupKind),
            "district": NAME,
            "subdistrict": LINE,
            "village": LINE,
            "contact": LINE,
            "phone": LINE,
            "created_at": WHEN,
            "updated_at": WHEN,
        },
        "product": {
            "id": ID,
            "code": _required(_code),
            "name": NAME,
            "group_id": ID,
            "category": _one_of(catalog.categories()),
            "description": TEXT,
            "created_at": WHEN,
            "updated_at": WHEN,
        },
        "checklist_entry": {
            "id": ID,
            "product_id": ID,
            "standard": _one_of(standards),
            "status": _one_of(Status),
            "certificate_no": LINE,
            "issued_on": SOME_DAY,
            "expires_on": SOME_DAY,
            "note": TEXT,
            "updated_at": WHEN,
        },
        "finding": {
            "id": ID,
            "product_id": ID,
            "kind": _one_of(FindingKind),
            "text": REQUIRED_TEXT,
            "noted_on": DAY,
            "author": NAME,
            "resolved_on": SOME_DAY,
            "created_at": WHEN,
        },
        "plan_action": {
            "id": ID,
            "product_id": ID,
            "action": REQUIRED_TEXT,
            "agency": _one_of(agencies()),
            "due_on": SOME_DAY,
            "standard": _optional(_one_of(standards)),
            "finding_id": _optional(ID),
            "status": _one_of(ActionStatus),
            "done_on": SOME_DAY,
            "author": NAME,
            "created_at": WHEN,
        },
        "visit": {
            "id": ID,
            "visited_on": DAY,
            "group_id": ID,
            "visitors": _required(_text(LINE_MAX)),
            "found": TEXT,
            "next_steps": TEXT,
            "author": NAME,
            "created_at": WHEN,
        },
        "visit_product": {"visit_id": ID, "product_id": ID},
        "opc_score": {
            "id": ID,
            "product_id": ID,
            "year": _integer(2500, 2700),
            "part1": _number(0, 100),
            "part2": _number(0, 100),
            "part3": _number(0, 100),
            "author": NAME,
            "created_at": WHEN,
        },
        "selection": {
            "id": ID,
            "year": _integer(2500, 2700),
            "scope": _one_of(("province", *catalog.categories())),
            "product_id": ID,
            "reason": REQUIRED_TEXT,
            "decided_by": NAME,
            "decided_on": DAY,
            "override": TEXT,
            "previous_product_id": _optional(ID),
            "created_at": WHEN,
        },
        "committee_member": {
            "id": ID,
            "year": _integer(2500, 2700),
            "name": NAME,
            "agency": _one_of(agencies()),
            "title": _optional(_text(NAME_MAX)),
            "author": NAME,
            "created_at": WHEN,
        },
        "judge_score": {
            "id": ID,
            "year": _integer(2500, 2700),
            "product_id": ID,
            "member_id": ID,
            "part1": _number(0, 100),
            "part2": _number(0, 100),
            "part3": _number(0, 100),
            "author": NAME,
            "created_at": WHEN,
            "updated_at": WHEN,
        },
        "committee_round": {
            "id": ID,
            "year": _integer(2500, 2700),
            "quorum": _optional(_number(0.0001, 1)),
            "spread_limit": _optional(_number(0, 100)),
            "closed_at": _optional(_timestamp),
            "closed_by": _optional(_text(NAME_MAX)),
        },
        "change_set": {
            "id": ID,
            "at": WHEN,
            "user": NAME,
            "command": _required(_text(LONG_TEXT_MAX)),
            "undoes": _optional(ID),
            "undone_by": _optional(ID),
        },
        "change": {"id": ID, "change_set_id": ID, "action": _one_of(ChangeAction)},
    }


def problems(table: str, row: Mapping[str, Any]) -> list[str]:
    """What is wrong with one stored row of `table` (empty when it keeps every rule)."""
    rules = _rules().get(table, {})
    found = []
    for column, check in rules.items():
        if column not in row:
            continue
        message = check(row[column])
        if message:
            found.append(f"{column}: {message}")
    found.extend(_row_rules(table, row))
    return found


def _row_rules(table: str, row: Mapping[str, Any]) -> list[str]:
    """Rules between the fields of one row."""
    found = []
    if table == "checklist_entry":
        issued, expires = row.get("issued_on"), row.get("expires_on")
        if isinstance(issued, date) and isinstance(expires, date) and expires <= issued:
            found.append("expires_on: " + _("the expiry date must come after the issue date"))
    if table in ("opc_score", "judge_score") and isinstance(row.get("year"), int):
        rnd = round_for(row["year"])
        for part, key in zip(rnd.parts, ("part1", "part2", "part3"), strict=False):
            value = row.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool) and value > part.max:
                found.append(
                    f"{key}: "
                    + _(
                        "{part} must be between 0 and {max}, not {value}",
                        part=part.name,
                        max=f"{part.max:g}",
                        value=f"{value:g}",
                    )
                )
    if (
        table == "finding"
        and isinstance(row.get("resolved_on"), date)
        and isinstance(row.get("noted_on"), date)
        and row["resolved_on"] < row["noted_on"]
    ):
        found.append(
            "resolved_on: " + _("a weakness cannot be resolved before it was noted ({day})", day=row["noted_on"])
        )
    if table == "finding" and row.get("kind") == FindingKind.STRENGTH and row.get("resolved_on") is not None:
        found.append(_("resolved_on: a strength is not resolved, only a weakness"))
    if (
        table == "meeting"
        and isinstance(row.get("starts_on"), date)
        and isinstance(row.get("ends_on"), date)
        and row["ends_on"] < row["starts_on"]
    ):
        found.append(_("ends_on: the meeting cannot end before it starts ({day})", day=row["starts_on"]))
    if table == "kbo_setting" and row.get("key") == "province" and row.get("value") not in places.provinces():
        found.append(_("value: '{value}' is not a province's code", value=str(row.get("value"))[:40]))
    return found


# --- rules between records -----------------------------------------------------------------------------


class Across(NamedTuple):
    """A rule broken between records: the table and column it shows in, what is wrong (with an example), and
    whether kbo cannot work with it (`breaks`); the others are inconsistencies a person corrects."""

    table: str
    column: str
    message: str
    breaks: bool = False

    @property
    def text(self) -> str:
        """`table.column: message`, as db check and a restore's warnings show it."""
        return f"{self.table}.{self.column}: {self.message}"


def across(session: Session) -> list[Across]:
    """The rules between records that the commands keep and a row alone cannot show: a group's district in the
    network's province, its sub-district in its district; a checklist entry's standard one that applies to its
    product's category, its certificate number one its standard reads; a plan action's finding a weakness of
    the same product; a judge's score of the round its member sits on. Read a distinct value at a time."""
    conn = session.connection()
    found: list[Across] = []
    group, product, entry = (table_of(m) for m in (ProducerGroup, Product, ChecklistEntry))
    setting = table_of(Setting)
    province = conn.execute(select(setting.c.value).where(setting.c.key == "province")).scalar()
    if province is not None:
        stored = select(group.c.district, group.c.subdistrict, func.min(group.c.code)).group_by(
            group.c.district, group.c.subdistrict
        )
        for district, subdistrict, code in conn.execute(stored):
            if wrong := places.misplaced(province, district, subdistrict):
                found.append(Across("producer_group", wrong[0], _("{why} (group {code})", why=wrong[1], code=code)))
    standards = catalog.standards()
    pairs = select(product.c.category, entry.c.standard, func.count()).join(product, product.c.id == entry.c.product_id)
    for category, standard, count in conn.execute(pairs.group_by(product.c.category, entry.c.standard)):
        std = standards.get(standard)
        if std is not None and not std.applies_to(category):
            found.append(
                Across(
                    "checklist_entry",
                    "standard",
                    _(
                        "{standard} does not apply to {category} products, yet they have entries of it (entries: {count})",
                        count=count,
                        standard=standard,
                        category=category,
                    ),
                )
            )
    numbers = (
        select(product.c.category, entry.c.standard, entry.c.certificate_no, func.min(product.c.code))
        .join(product, product.c.id == entry.c.product_id)
        .where(entry.c.certificate_no.is_not(None))
        .group_by(product.c.category, entry.c.standard, entry.c.certificate_no)
    )
    for category, standard, number, code in conn.execute(numbers):
        std = standards.get(standard)
        if std is None or not std.numbered(category):
            continue
        try:
            normalize_cert(std.cert_format(category), number)
        except KboError as exc:
            found.append(
                Across("checklist_entry", "certificate_no", _("{why} (product {code})", why=exc.message, code=code))
            )
    finding, action = table_of(Finding), table_of(PlanAction)
    score, member = table_of(JudgeScore), table_of(CommitteeMember)
    counted = (  # (table, column, the rows breaking the rule, what to say), each counted with its first id
        (
            "plan_action",
            "finding_id",
            select(func.count(), func.min(action.c.id))
            .join(finding, finding.c.id == action.c.finding_id)
            .where(or_(finding.c.kind != FindingKind.WEAKNESS.value, finding.c.product_id != action.c.product_id)),
            N_(
                "an action answers a finding that is not a weakness of its product, e.g. action {id} (actions: {count})"
            ),
        ),
        (
            "judge_score",
            "member_id",
            select(func.count(), func.min(score.c.id))
            .join(member, member.c.id == score.c.member_id)
            .where(member.c.year != score.c.year),
            N_("a score is by a member of another round, e.g. score {id} (scores: {count})"),
        ),
    )
    for table, column, query, said in counted:
        count, example = conn.execute(query).one()
        if count:  # a judge of another round: the committee's tables cannot be made (kbo would stop)
            found.append(Across(table, column, _(said, count=count, id=example), breaks=table == "judge_score"))
    return found
