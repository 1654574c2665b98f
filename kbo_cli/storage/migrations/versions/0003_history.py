"""History: one change set per command, and each record it inserted, updated or deleted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from kbo_cli.storage.migrations.helpers import create_table, index, reference, timestamp

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    create_table(
        "change_set",
        timestamp("at"),
        sa.Column("user", sa.String(length=128), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        reference("change_set", "undoes", "change_set"),
        reference("change_set", "undone_by", "change_set"),
    )
    create_table(
        "change",
        sa.Column("change_set_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("old", sa.String(), nullable=True),
        sa.Column("new", sa.String(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        reference("change", "change_set_id", "change_set", ondelete="CASCADE"),
    )
    index("change", "change_set_id")
    index("change", "group_id")
    index("change", "product_id")
    index("change", "table_name", "row_id")


def downgrade() -> None:
    op.drop_index("ix_change_table_name_row_id", table_name="change")
    op.drop_index("ix_change_product_id", table_name="change")
    op.drop_index("ix_change_group_id", table_name="change")
    op.drop_index("ix_change_change_set_id", table_name="change")
    op.drop_table("change")
    op.drop_table("change_set")
