"""escalated: a desk case remembers that it was escalated, so a county can no longer take it back from its city

Existing cases are marked from their timelines (any ``escalate`` or ``time_escalate`` event).

Revision ID: 0027_escalated
Revises: 0026_perfapi
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_escalated"
down_revision = "0026_perfapi"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("desk_case") as batch:
        batch.add_column(sa.Column("escalated", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE desk_case SET escalated = TRUE WHERE id IN (SELECT case_id FROM desk_case_event "
               "WHERE action IN ('escalate', 'time_escalate'))")


def downgrade() -> None:
    with op.batch_alter_table("desk_case") as batch:
        batch.drop_column("escalated")
