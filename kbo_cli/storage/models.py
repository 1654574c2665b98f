"""The database tables, as SQLModel classes.

Codes (`code` columns) are the stable identifiers people type; `id`s are internal. Names are stored as
typed (cleaned, see `textnorm.clean_text`) next to a `name_key` used for matching, so that two ways of
typing the same Thai name find the same record. Dates are ISO dates; timestamps are UTC.

The schema is created and changed only by the Alembic migrations in `kbo_cli/storage/migrations`; a test checks
that these classes and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Protocol, cast

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped
from sqlmodel import Field, SQLModel, col

from kbo_cli.thai.textnorm import place_key
from kbo_cli.vocab import ActionStatus, ChangeAction, FindingKind, GroupKind, Status

# Named constraints, so that migrations can refer to them on every engine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Stored(Protocol):
    id: int | None


def id_of(row: Stored) -> int:
    """The id of a row that is in the database. SQLModel types `id` as `int | None` because a row made in Python
    has none until it is flushed; code that reads a stored (or flushed) row's id says so with this."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: it was not flushed")
    return row.id


def id_col(column: int | None) -> Mapped[int]:
    """A table's `id` column in a query, as `sqlmodel.col` gives it but typed `int`: a stored row's id is never
    NULL. `select(id_col(Product.id), col(Product.code))` reads rows of (int, str)."""
    return cast("Mapped[int]", col(column))


def table_of(model: type[SQLModel]) -> Table:
    """The table of a table class, for Core statements (`insert(table_of(model))`)."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # SQLAlchemy sets it; SQLModel's types omit it
    return table


def _stamped() -> Any:
    """A UTC timestamp, now when the row is made (`created_at`, `updated_at`, a change set's `at`)."""
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def _from_meeting() -> Any:
    """`meeting_id`: the meeting a record came from, if any; deleting the meeting keeps the record."""
    return Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="SET NULL"), nullable=True, index=True),
    )


def vocabulary(enum: type[StrEnum], name: str, length: int = 16) -> Enum:
    """A column holding one of a vocabulary's codes: VARCHAR with a named CHECK constraint, read back as the
    enum (`kbo_cli.vocab`), so that neither a hand-edited dump nor another client can store `"bogus"`."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


#: columns computed from others (`ProducerGroup.sort_key`): history and dumps leave them out, and whoever
#: writes rows without the ORM computes them (`place_key_values`)
DERIVED = frozenset({"sort_key"})
#: `producer_group.sort_key`'s type: compared by code point on both engines (SQLite's default BINARY)
SORT_KEY_TYPE = String().with_variant(String(collation="C"), "postgresql")


class Setting(SQLModel, table=True):
    """Database-wide settings: the province the network works in, the network's name."""

    __tablename__ = "kbo_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str


class ProducerGroup(SQLModel, table=True):
    """A community producer group (กลุ่มผู้ผลิต, วิสาหกิจชุมชน ...)."""

    __tablename__ = "producer_group"
    __table_args__ = (UniqueConstraint("district", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str
    name_key: str = Field(index=True)
    kind: GroupKind = Field(default=GroupKind.COMMUNITY, sa_type=vocabulary(GroupKind, "kind", 32))
    district: str = Field(index=True)
    subdistrict: str | None = None
    village: str | None = None
    contact: str | None = None
    phone: str | None = None
    created_at: datetime = _stamped()
    updated_at: datetime = _stamped()
    #: `textnorm.place_key(district, name, code)`: the group's place in Thai dictionary order, so that the
    #: database orders groups (ORDER BY sort_key). Derived, never typed: the ORM sets it on every insert and
    #: update (`_keep_place_key` below); the bulk paths compute it (importer, dump restore, undo: see
    #: `place_key_values`). History and dumps leave it out. "C" collation on PostgreSQL: code-point order.
    sort_key: str = Field(default="", sa_column=Column(SORT_KEY_TYPE, nullable=False, index=True))  # set on flush


def place_key_values(values: dict[str, Any]) -> dict[str, Any]:
    """A producer group's row (as for a Core insert or update) with its `sort_key` computed from its district,
    name and code, whatever key it came with."""
    values["sort_key"] = place_key(values["district"], values["name"], values["code"])
    return values


@event.listens_for(ProducerGroup, "before_insert")
@event.listens_for(ProducerGroup, "before_update")
def _keep_place_key(_mapper: Any, _connection: Any, group: ProducerGroup) -> None:
    """Every group the ORM writes gets the sort key of its district, name and code (the one place for it)."""
    key = place_key(group.district, group.name, group.code)
    if group.__dict__.get("sort_key") != key:
        group.sort_key = key


class Product(SQLModel, table=True):
    """An OTOP product of one producer group."""

    __tablename__ = "product"
    __table_args__ = (UniqueConstraint("group_id", "name_key"), Index(None, "category"))

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str
    name_key: str = Field(index=True)
    group_id: int = Field(sa_column=Column(Integer, ForeignKey("producer_group.id"), nullable=False, index=True))
    category: str = Field(max_length=16)
    description: str | None = None
    created_at: datetime = _stamped()
    updated_at: datetime = _stamped()


class ChecklistEntry(SQLModel, table=True):
    """Where one product stands against one standard of the catalogue."""

    __tablename__ = "checklist_entry"
    __table_args__ = (
        UniqueConstraint("product_id", "standard"),
        Index(None, "standard", "status"),
        Index(None, "product_id", "standard", "status", "expires_on"),
    )  # covers the counts

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False))
    standard: str = Field(max_length=32)
    status: Status = Field(default=Status.NOT_STARTED, sa_type=vocabulary(Status, "status"))
    certificate_no: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    note: str | None = None
    updated_at: datetime = _stamped()


class Finding(SQLModel, table=True):
    """A strength (ข้อดี/ข้อเด่น) or weakness (ข้อด้อย) the network named for a product."""

    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: FindingKind = Field(sa_type=vocabulary(FindingKind, "kind"))
    text: str
    noted_on: date
    author: str
    resolved_on: date | None = None
    meeting_id: int | None = _from_meeting()
    created_at: datetime = _stamped()


class PlanAction(SQLModel, table=True):
    """One step of a product's development plan, with the agency that helps."""

    __tablename__ = "plan_action"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    action: str
    agency: str = Field(max_length=32)
    due_on: date | None = None
    standard: str | None = Field(default=None, max_length=32)
    finding_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("finding.id", ondelete="SET NULL"), nullable=True)
    )
    status: ActionStatus = Field(default=ActionStatus.OPEN, sa_type=vocabulary(ActionStatus, "status"))
    done_on: date | None = None
    author: str
    meeting_id: int | None = _from_meeting()
    created_at: datetime = _stamped()


class Visit(SQLModel, table=True):
    """A field visit (ลงพื้นที่ติดตาม) to a producer group and some of its products."""

    __tablename__ = "visit"

    id: int | None = Field(default=None, primary_key=True)
    visited_on: date = Field(index=True)
    group_id: int = Field(
        sa_column=Column(Integer, ForeignKey("producer_group.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    visitors: str
    found: str | None = None
    next_steps: str | None = None
    author: str
    meeting_id: int | None = _from_meeting()
    created_at: datetime = _stamped()


class VisitProduct(SQLModel, table=True):
    """Which products a visit looked at."""

    __tablename__ = "visit_product"

    visit_id: int = Field(sa_column=Column(Integer, ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True))
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), primary_key=True, index=True)
    )


class OpcScore(SQLModel, table=True):
    """A product's OTOP Product Champion score in one round (Buddhist-Era year)."""

    __tablename__ = "opc_score"
    __table_args__ = (UniqueConstraint("product_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False))
    year: int
    part1: float
    part2: float
    part3: float
    author: str
    created_at: datetime = _stamped()


class Selection(SQLModel, table=True):
    """The product a round picked to represent the province (scope `province`, or a category code)."""

    __tablename__ = "selection"
    __table_args__ = (UniqueConstraint("year", "scope"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    scope: str = Field(default="province", max_length=16)
    product_id: int = Field(sa_column=Column(Integer, ForeignKey("product.id"), nullable=False, index=True))
    reason: str
    decided_by: str
    decided_on: date
    override: str | None = None  # why the network picked a product that is not eligible for the round
    previous_product_id: int | None = Field(  # the pick this one replaced
        default=None, sa_column=Column(Integer, ForeignKey("product.id"), nullable=True)
    )
    meeting_id: int | None = _from_meeting()
    created_at: datetime = _stamped()


class CommitteeMember(SQLModel, table=True):
    """A member of a round's scoring committee (a judge), from one of the network's agencies."""

    __tablename__ = "committee_member"
    __table_args__ = (UniqueConstraint("year", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    name: str
    name_key: str
    agency: str = Field(max_length=32)
    title: str | None = None  # the member's position, e.g. ผู้อำนวยการ
    author: str
    created_at: datetime = _stamped()


class JudgeScore(SQLModel, table=True):
    """One committee member's OPC score of a product in a round; a re-score replaces it (history keeps the old)."""

    __tablename__ = "judge_score"
    __table_args__ = (UniqueConstraint("year", "product_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    member_id: int = Field(
        sa_column=Column(Integer, ForeignKey("committee_member.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    part1: float
    part2: float
    part3: float
    author: str
    created_at: datetime = _stamped()
    updated_at: datetime = _stamped()


class CommitteeRound(SQLModel, table=True):
    """A committee round's own rules (overriding data/opc_rounds.toml) and whether it is closed."""

    __tablename__ = "committee_round"
    __table_args__ = (
        CheckConstraint("quorum IS NULL OR (quorum > 0 AND quorum <= 1)", name="quorum"),
        CheckConstraint("spread_limit IS NULL OR spread_limit >= 0", name="spread_limit"),
        CheckConstraint(
            "(closed_at IS NULL AND closed_by IS NULL) OR (closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name="closed",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    quorum: float | None = None  # the share of members who must score a product (0 < quorum <= 1)
    spread_limit: float | None = None  # the largest difference between two members' totals
    closed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    closed_by: str | None = None


class Meeting(SQLModel, table=True):
    """A meeting of the network: the workshop, a follow-up meeting, the meeting that picks the representative."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    starts_on: date = Field(index=True)
    ends_on: date | None = None
    place: str | None = None
    minutes: str | None = None
    author: str
    created_at: datetime = _stamped()


class Attendance(SQLModel, table=True):
    """Who took part in a meeting: a producer group, an agency, or a named person (of a group or agency)."""

    __tablename__ = "attendance"
    __table_args__ = (CheckConstraint("group_id IS NOT NULL OR agency IS NOT NULL OR person IS NOT NULL", name="who"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(
        sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    group_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("producer_group.id", ondelete="CASCADE"), nullable=True)
    )
    agency: str | None = Field(default=None, max_length=32)
    person: str | None = None


class ChangeSet(SQLModel, table=True):
    """One command's changes: when, who, what was typed. `kbo undo` reverts one as a unit."""

    __tablename__ = "change_set"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _stamped()
    user: str = Field(max_length=128)
    command: str
    undoes: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("change_set.id"), nullable=True))
    undone_by: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("change_set.id"), nullable=True))


class Change(SQLModel, table=True):
    """One record inserted, updated or deleted by a change set, with each field's old and new value.

    `old` and `new` are JSON objects of field -> value (dates as ISO text); `product_id` and `group_id`
    say which product and group the record belongs to, so that history can be filtered by them.
    """

    __tablename__ = "change"
    __table_args__ = (Index(None, "table_name", "row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    change_set_id: int = Field(
        sa_column=Column(Integer, ForeignKey("change_set.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    table_name: str = Field(max_length=64)
    row_id: str = Field(max_length=64)
    action: ChangeAction = Field(sa_type=vocabulary(ChangeAction, "action", 8))
    old: str | None = None
    new: str | None = None
    product_id: int | None = Field(default=None, index=True)
    group_id: int | None = Field(default=None, index=True)
