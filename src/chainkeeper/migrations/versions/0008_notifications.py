"""notifications: the outbox of e-mails and webhooks

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CHANNELS = ("email", "webhook")
STATUSES = ("pending", "sent", "failed")


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.Enum(*CHANNELS, name="channel", native_enum=False, length=16), nullable=False),
        sa.Column("recipient", sa.String(2000), nullable=False),
        sa.Column("subject", sa.String(500), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=True),
        sa.Column("object_id", sa.String(64), nullable=True),
        sa.Column("status", sa.Enum(*STATUSES, name="notificationstatus", native_enum=False, length=16),
                  nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notification_status_next_attempt_at", "notification", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_status_next_attempt_at", table_name="notification")
    op.drop_table("notification")
