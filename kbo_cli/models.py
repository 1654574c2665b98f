"""The database tables, as SQLModel classes.

Codes (`code` columns) are the stable identifiers people type; `id`s are internal. Names are stored as
typed (cleaned, see `textnorm.clean_text`) next to a `name_key` used for matching, so that two ways of
typing the same Thai name find the same record. Dates are ISO dates; timestamps are UTC.

The schema is created and changed only by the Alembic migrations in `kbo_cli/migrations`; a test checks
that these classes and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

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


def _timestamp() -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=False)


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
    kind: str = Field(default="community", max_length=32)
    district: str = Field(index=True)
    subdistrict: str | None = None
    village: str | None = None
    contact: str | None = None
    phone: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


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
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class ChecklistEntry(SQLModel, table=True):
    """Where one product stands against one standard of the catalogue."""

    __tablename__ = "checklist_entry"
    __table_args__ = (UniqueConstraint("product_id", "standard"), Index(None, "standard", "status"))

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    )
    standard: str = Field(max_length=32)
    status: str = Field(default="not_started", max_length=16)
    certificate_no: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    note: str | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
