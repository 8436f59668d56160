"""indexes for the registry's sorted, paginated lists

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the registry list is ordered by name (then id); without this, every page sorts the whole table
    op.create_index("ix_enterprise_name_id", "enterprise", ["name", "id"])


def downgrade() -> None:
    op.drop_index("ix_enterprise_name_id", table_name="enterprise")
