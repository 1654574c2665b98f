"""Follow-up and selection: findings, development plans, field visits, OPC scores, selections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from kbo_cli.storage.migrations.helpers import create_table, index, recorded, reference, timestamp

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    create_table(
        "visit",
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.String(), nullable=False),
        sa.Column("found", sa.String(), nullable=True),
        sa.Column("next_steps", sa.String(), nullable=True),
        *recorded(),
        reference("visit", "group_id", "producer_group", ondelete="CASCADE"),
    )
    index("visit", "group_id")
    index("visit", "visited_on")
    create_table(
        "finding",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        timestamp("created_at"),
        reference("finding", "product_id", "product", ondelete="CASCADE"),
    )
    index("finding", "product_id")
    create_table(
        "opc_score",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("part1", sa.Float(), nullable=False),
        sa.Column("part2", sa.Float(), nullable=False),
        sa.Column("part3", sa.Float(), nullable=False),
        *recorded(),
        reference("opc_score", "product_id", "product", ondelete="CASCADE"),
        sa.UniqueConstraint("product_id", "year", name="uq_opc_score_product_id_year"),
    )
    create_table(
        "selection",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        timestamp("created_at"),
        reference("selection", "product_id", "product"),
        sa.UniqueConstraint("year", "scope", name="uq_selection_year_scope"),
    )
    index("selection", "product_id")
    op.create_table(
        "visit_product",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        reference("visit_product", "product_id", "product", ondelete="CASCADE"),
        reference("visit_product", "visit_id", "visit", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", "product_id", name="pk_visit_product"),
    )
    index("visit_product", "product_id")
    create_table(
        "plan_action",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("standard", sa.String(length=32), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        *recorded(),
        reference("plan_action", "finding_id", "finding", ondelete="SET NULL"),
        reference("plan_action", "product_id", "product", ondelete="CASCADE"),
    )
    index("plan_action", "product_id")


def downgrade() -> None:
    op.drop_index("ix_plan_action_product_id", table_name="plan_action")
    op.drop_table("plan_action")
    op.drop_index("ix_visit_product_product_id", table_name="visit_product")
    op.drop_table("visit_product")
    op.drop_index("ix_selection_product_id", table_name="selection")
    op.drop_table("selection")
    op.drop_table("opc_score")
    op.drop_index("ix_finding_product_id", table_name="finding")
    op.drop_table("finding")
    op.drop_index("ix_visit_visited_on", table_name="visit")
    op.drop_index("ix_visit_group_id", table_name="visit")
    op.drop_table("visit")
