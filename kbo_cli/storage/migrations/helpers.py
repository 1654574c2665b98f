"""What the migrations share: the shape of kbo's tables (an integer `id` key, UTC timestamps, who recorded a
row) and the names of their keys, as `models.py`'s naming convention gives them.

Migrations are history: whatever a migration made must stay what it makes, so a helper here never changes what
it emits once a migration calls it (a new shape gets a new helper).
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem


def create_table(name: str, *items: SchemaItem) -> None:
    """`op.create_table` of a table keyed by an integer `id`: the first column, primary key `pk_<name>`."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *items,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )


def timestamp(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """A moment, stored with its time zone (kbo writes UTC): `created_at`, `updated_at`, `closed_at`."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def recorded() -> tuple[sa.Column[Any], sa.Column[Any]]:
    """Who recorded a row (`author`) and when (`created_at`)."""
    return sa.Column("author", sa.String(), nullable=False), timestamp("created_at")


def reference(table: str, column: str, referred: str, *, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `referred.id`: the key is named `fk_<table>_<column>_<referred>`."""
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}", ondelete=ondelete
    )


def index(table: str, *columns: str) -> None:
    """A plain index on `columns`, named `ix_<table>_<columns>`."""
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns), unique=False)
