"""National scale: a covering index of each product's checklist, so that progress and the candidates ranking
count a product's entries from the index alone (212,000 products: progress's count 0.63 -> 0.44 s, the
ranking's 1.85 -> 1.62 s; the index adds about 8% to the file).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from alembic import op

revision = "0007"
down_revision = "0006"

NAME = "ix_checklist_entry_product_id_standard_status_expires_on"


def upgrade() -> None:
    op.create_index(NAME, "checklist_entry", ["product_id", "standard", "status", "expires_on"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="checklist_entry")
