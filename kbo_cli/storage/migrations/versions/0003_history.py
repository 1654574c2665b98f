"""History: one change set per command, and each record it inserted, updated or deleted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=128), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["undoes"], ["change_set.id"], name="fk_change_set_undoes_change_set"),
        sa.ForeignKeyConstraint(["undone_by"], ["change_set.id"], name="fk_change_set_undone_by_change_set"),
        sa.PrimaryKeyConstraint("id", name="pk_change_set"),
    )
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_set_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("old", sa.String(), nullable=True),
        sa.Column("new", sa.String(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_set_id"], ["change_set.id"], name="fk_change_change_set_id_change_set", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_change"),
    )
    op.create_index("ix_change_change_set_id", "change", ["change_set_id"], unique=False)
    op.create_index("ix_change_group_id", "change", ["group_id"], unique=False)
    op.create_index("ix_change_product_id", "change", ["product_id"], unique=False)
    op.create_index("ix_change_table_name_row_id", "change", ["table_name", "row_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_change_table_name_row_id", table_name="change")
    op.drop_index("ix_change_product_id", table_name="change")
    op.drop_index("ix_change_group_id", table_name="change")
    op.drop_index("ix_change_change_set_id", table_name="change")
    op.drop_table("change")
    op.drop_table("change_set")
