"""Committee rounds: the members (judges) of a round's scoring committee, each judge's score of a product, and
a round's own quorum, spread limit and closing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from kbo_cli.storage.migrations.helpers import create_table, index, recorded, reference, timestamp

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    create_table(
        "committee_member",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        *recorded(),
        sa.UniqueConstraint("year", "name_key", name="uq_committee_member_year_name_key"),
    )
    create_table(
        "committee_round",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Float(), nullable=True),
        sa.Column("spread_limit", sa.Float(), nullable=True),
        timestamp("closed_at", nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.CheckConstraint(
            "(closed_at IS NULL AND closed_by IS NULL) OR (closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name="ck_committee_round_closed",
        ),
        sa.CheckConstraint("quorum IS NULL OR (quorum > 0 AND quorum <= 1)", name="ck_committee_round_quorum"),
        sa.CheckConstraint("spread_limit IS NULL OR spread_limit >= 0", name="ck_committee_round_spread_limit"),
        sa.UniqueConstraint("year", name="uq_committee_round_year"),
    )
    create_table(
        "judge_score",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("part1", sa.Float(), nullable=False),
        sa.Column("part2", sa.Float(), nullable=False),
        sa.Column("part3", sa.Float(), nullable=False),
        *recorded(),
        timestamp("updated_at"),
        reference("judge_score", "member_id", "committee_member", ondelete="CASCADE"),
        reference("judge_score", "product_id", "product", ondelete="CASCADE"),
        sa.UniqueConstraint("year", "product_id", "member_id", name="uq_judge_score_year_product_id_member_id"),
    )
    index("judge_score", "member_id")
    index("judge_score", "product_id")


def downgrade() -> None:
    op.drop_index("ix_judge_score_product_id", table_name="judge_score")
    op.drop_index("ix_judge_score_member_id", table_name="judge_score")
    op.drop_table("judge_score")
    op.drop_table("committee_round")
    op.drop_table("committee_member")
