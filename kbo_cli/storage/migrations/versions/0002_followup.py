"""Follow-up and selection: findings, development plans, field visits, OPC scores, selections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.String(), nullable=False),
        sa.Column("found", sa.String(), nullable=True),
        sa.Column("next_steps", sa.String(), nullable=True),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["producer_group.id"], name="fk_visit_group_id_producer_group", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_visit"),
    )
    op.create_index("ix_visit_group_id", "visit", ["group_id"], unique=False)
    op.create_index("ix_visit_visited_on", "visit", ["visited_on"], unique=False)
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name="fk_finding_product_id_product", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finding"),
    )
    op.create_index("ix_finding_product_id", "finding", ["product_id"], unique=False)
    op.create_table(
        "opc_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("part1", sa.Float(), nullable=False),
        sa.Column("part2", sa.Float(), nullable=False),
        sa.Column("part3", sa.Float(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name="fk_opc_score_product_id_product", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_opc_score"),
        sa.UniqueConstraint("product_id", "year", name="uq_opc_score_product_id_year"),
    )
    op.create_table(
        "selection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], name="fk_selection_product_id_product"),
        sa.PrimaryKeyConstraint("id", name="pk_selection"),
        sa.UniqueConstraint("year", "scope", name="uq_selection_year_scope"),
    )
    op.create_index("ix_selection_product_id", "selection", ["product_id"], unique=False)
    op.create_table(
        "visit_product",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name="fk_visit_product_product_id_product", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name="fk_visit_product_visit_id_visit", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", "product_id", name="pk_visit_product"),
    )
    op.create_index("ix_visit_product_product_id", "visit_product", ["product_id"], unique=False)
    op.create_table(
        "plan_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("standard", sa.String(length=32), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["finding.id"], name="fk_plan_action_finding_id_finding", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name="fk_plan_action_product_id_product", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plan_action"),
    )
    op.create_index("ix_plan_action_product_id", "plan_action", ["product_id"], unique=False)


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
