"""password history: the previous password hashes of each user, so recent ones are not chosen again

Revision ID: 0013_password_history
Revises: 0012_analysis
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_password_history"
down_revision = "0012_analysis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "password_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_password_history_user_id", "password_history", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_password_history_user_id", table_name="password_history")
    op.drop_table("password_history")
