"""Meetings of the network: when and where, who attended, minutes; findings, plan actions, visits and picks
name the meeting they came from.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from kbo_cli.storage.migrations.helpers import create_table, index, recorded, reference

revision = "0005"
down_revision = "0004"

LINKED = ("finding", "plan_action", "visit", "selection")


def upgrade() -> None:
    create_table(
        "meeting",
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("minutes", sa.String(), nullable=True),
        *recorded(),
    )
    index("meeting", "starts_on")
    create_table(
        "attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("agency", sa.String(length=32), nullable=True),
        sa.Column("person", sa.String(), nullable=True),
        sa.CheckConstraint(
            "group_id IS NOT NULL OR agency IS NOT NULL OR person IS NOT NULL", name="ck_attendance_who"
        ),
        reference("attendance", "group_id", "producer_group", ondelete="CASCADE"),
        reference("attendance", "meeting_id", "meeting", ondelete="CASCADE"),
    )
    index("attendance", "meeting_id")
    for table in LINKED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
            batch.create_index(f"ix_{table}_meeting_id", ["meeting_id"], unique=False)
            batch.create_foreign_key(
                f"fk_{table}_meeting_id_meeting", "meeting", ["meeting_id"], ["id"], ondelete="SET NULL"
            )


def downgrade() -> None:
    for table in LINKED:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_meeting_id_meeting", type_="foreignkey")
            batch.drop_index(f"ix_{table}_meeting_id")
            batch.drop_column("meeting_id")
    op.drop_index("ix_attendance_meeting_id", table_name="attendance")
    op.drop_table("attendance")
    op.drop_index("ix_meeting_starts_on", table_name="meeting")
    op.drop_table("meeting")
