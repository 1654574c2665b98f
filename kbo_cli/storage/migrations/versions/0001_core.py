"""Core: producer groups, products, checklist entries, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kbo_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kbo_setting"),
    )
    op.create_table(
        "producer_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(), nullable=False),
        sa.Column("subdistrict", sa.String(), nullable=True),
        sa.Column("village", sa.String(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_producer_group"),
        sa.UniqueConstraint("code", name="uq_producer_group_code"),
        sa.UniqueConstraint("district", "name_key", name="uq_producer_group_district_name_key"),
    )
    op.create_index("ix_producer_group_district", "producer_group", ["district"])
    op.create_index("ix_producer_group_name_key", "producer_group", ["name_key"])
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["producer_group.id"], name="fk_product_group_id_producer_group"),
        sa.PrimaryKeyConstraint("id", name="pk_product"),
        sa.UniqueConstraint("code", name="uq_product_code"),
        sa.UniqueConstraint("group_id", "name_key", name="uq_product_group_id_name_key"),
    )
    op.create_index("ix_product_group_id", "product", ["group_id"])
    op.create_index("ix_product_category", "product", ["category"])
    op.create_index("ix_product_name_key", "product", ["name_key"])
    op.create_table(
        "checklist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("certificate_no", sa.String(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name="fk_checklist_entry_product_id_product",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_entry"),
        sa.UniqueConstraint("product_id", "standard", name="uq_checklist_entry_product_id_standard"),
    )
    op.create_index("ix_checklist_entry_standard_status", "checklist_entry", ["standard", "status"])


def downgrade() -> None:
    op.drop_table("checklist_entry")
    op.drop_table("product")
    op.drop_table("producer_group")
    op.drop_table("kbo_setting")
