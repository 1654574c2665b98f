"""The database enforces kbo's vocabularies; a pick records why it was made although not eligible, and
which pick it replaced.

CHECK constraints on every column that holds a vocabulary code (statuses, kinds, history actions), named by
the naming convention of `models.py`. On SQLite, batch mode copies each table (SQLite cannot add a
constraint in place).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"

CHECKS = {
    # table: (column, constraint name, allowed codes)
    "producer_group": ("kind", "kind", ("community", "enterprise", "individual", "sme")),
    "checklist_entry": (
        "status",
        "status",
        ("not_started", "in_progress", "submitted", "certified", "failed", "not_applicable"),
    ),
    "finding": ("kind", "kind", ("strength", "weakness")),
    "plan_action": ("status", "status", ("open", "done", "dropped")),
    "change": ("action", "action", ("insert", "update", "delete")),
}


def upgrade() -> None:
    for table, (column, name, codes) in CHECKS.items():
        listed = ", ".join(f"'{code}'" for code in codes)
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(name, f"{column} IN ({listed})")
    with op.batch_alter_table("selection") as batch:
        batch.add_column(sa.Column("override", sa.String(), nullable=True))
        batch.add_column(sa.Column("previous_product_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_selection_previous_product_id_product", "product", ["previous_product_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("selection") as batch:
        batch.drop_constraint("fk_selection_previous_product_id_product", type_="foreignkey")
        batch.drop_column("previous_product_id")
        batch.drop_column("override")
    for table, (_column, name, _codes) in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")  # the full name: no convention again
