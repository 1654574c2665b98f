"""Committee rounds: the members (judges) of a round's scoring committee, each judge's score of a product, and
a round's own quorum, spread limit and closing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "committee_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_committee_member"),
        sa.UniqueConstraint("year", "name_key", name="uq_committee_member_year_name_key"),
    )
    op.create_table(
        "committee_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Float(), nullable=True),
        sa.Column("spread_limit", sa.Float(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.CheckConstraint(
            "(closed_at IS NULL AND closed_by IS NULL) OR (closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name="ck_committee_round_closed",
        ),
        sa.CheckConstraint("quorum IS NULL OR (quorum > 0 AND quorum <= 1)", name="ck_committee_round_quorum"),
        sa.CheckConstraint("spread_limit IS NULL OR spread_limit >= 0", name="ck_committee_round_spread_limit"),
        sa.PrimaryKeyConstraint("id", name="pk_committee_round"),
        sa.UniqueConstraint("year", name="uq_committee_round_year"),
    )
    op.create_table(
        "judge_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("part1", sa.Float(), nullable=False),
        sa.Column("part2", sa.Float(), nullable=False),
        sa.Column("part3", sa.Float(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["committee_member.id"], name="fk_judge_score_member_id_committee_member", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name="fk_judge_score_product_id_product", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_judge_score"),
        sa.UniqueConstraint("year", "product_id", "member_id", name="uq_judge_score_year_product_id_member_id"),
    )
    op.create_index("ix_judge_score_member_id", "judge_score", ["member_id"], unique=False)
    op.create_index("ix_judge_score_product_id", "judge_score", ["product_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_judge_score_product_id", table_name="judge_score")
    op.drop_index("ix_judge_score_member_id", table_name="judge_score")
    op.drop_table("judge_score")
    op.drop_table("committee_round")
    op.drop_table("committee_member")
