"""Core: producer groups, products, checklist entries, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from kbo_cli.storage.migrations.helpers import create_table, index, reference, timestamp

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "kbo_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kbo_setting"),
    )
    create_table(
        "producer_group",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(), nullable=False),
        sa.Column("subdistrict", sa.String(), nullable=True),
        sa.Column("village", sa.String(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.UniqueConstraint("code", name="uq_producer_group_code"),
        sa.UniqueConstraint("district", "name_key", name="uq_producer_group_district_name_key"),
    )
    index("producer_group", "district")
    index("producer_group", "name_key")
    create_table(
        "product",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        reference("product", "group_id", "producer_group"),
        sa.UniqueConstraint("code", name="uq_product_code"),
        sa.UniqueConstraint("group_id", "name_key", name="uq_product_group_id_name_key"),
    )
    index("product", "group_id")
    index("product", "category")
    index("product", "name_key")
    create_table(
        "checklist_entry",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("certificate_no", sa.String(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        timestamp("updated_at"),
        reference("checklist_entry", "product_id", "product", ondelete="CASCADE"),
        sa.UniqueConstraint("product_id", "standard", name="uq_checklist_entry_product_id_standard"),
    )
    index("checklist_entry", "standard", "status")


def downgrade() -> None:
    op.drop_table("checklist_entry")
    op.drop_table("product")
    op.drop_table("producer_group")
    op.drop_table("kbo_setting")
