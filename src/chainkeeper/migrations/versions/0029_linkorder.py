"""linkorder: an index in the links lists' order, largest annual value first (issue 15)

The links API and the enterprise page list links ``ORDER BY annual_value DESC, id``. Without an index in that order
both databases sorted every link in scope for each page; with it a page is the first rows of an index walk.

Revision ID: 0029_linkorder
Revises: 0028_deskcounts
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_linkorder"
down_revision = "0028_deskcounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_supply_link_value_id", "supply_link", [sa.text("annual_value DESC"), "id"])


def downgrade() -> None:
    op.drop_index("ix_supply_link_value_id", table_name="supply_link")
