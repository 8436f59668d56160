"""the desk queue reads its first rows from an index: a stored due time and indexes for the queue's orders and counts

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

import chainkeeper.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SCOPE_COLUMNS = ["requester_region_code", "blocking_region_code", "handling_region_code", "category", "overdue"]


def upgrade() -> None:
    op.add_column("desk_case", sa.Column("due_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE desk_case SET due_at = CASE WHEN state = 'submitted' THEN accept_due_at "
               "WHEN state IN ('accepted', 'assigned') THEN resolve_due_at END")
    if op.get_bind().dialect.name == "postgresql":  # SQLite accepts no NULLS LAST in an index; it sorts instead
        op.create_index("ix_desk_case_priority", "desk_case",
                        [sa.text("impact_priority DESC NULLS LAST"), sa.text("due_at ASC NULLS LAST"), "id"])
        op.create_index("ix_desk_case_due", "desk_case", [sa.text("due_at ASC NULLS LAST"), "id"])
    op.create_index("ix_desk_case_state_scope", "desk_case", ["state"], postgresql_include=SCOPE_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_desk_case_state_scope", table_name="desk_case")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_desk_case_due", table_name="desk_case")
        op.drop_index("ix_desk_case_priority", table_name="desk_case")
    with op.batch_alter_table("desk_case") as batch:
        batch.drop_column("due_at")
