"""arrears: complaints about arrears owed to SMEs and reports of irregular charges, with their timeline

Revision ID: 0023_arrears
Revises: 0021_board
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_arrears"
down_revision = "0021_board"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _money() -> sa.Numeric:
    return sa.Numeric(16, 2)


def upgrade() -> None:
    op.create_table(
        "arrears_complaint",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("creditor_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("creditor_region_code", sa.String(6), nullable=False),
        sa.Column("creditor_size", sa.String(16), nullable=False),
        sa.Column("creditor_sector", sa.String(40), nullable=False),
        sa.Column("filed_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("debtor_name", sa.String(200), nullable=False),
        sa.Column("debtor_enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=True),
        sa.Column("debtor_type", sa.String(24), nullable=False),
        sa.Column("debtor_level", sa.String(24), nullable=False),
        sa.Column("debtor_region_code", sa.String(6), nullable=False),
        sa.Column("handling_region_code", sa.String(6), nullable=False),
        sa.Column("contract_no", sa.String(100), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("paid", _money(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("agreed_due_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("agreed_rate", sa.Numeric(6, 3), nullable=True),
        sa.Column("delivered_what", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("before_court", sa.Boolean(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("handler", sa.String(200), nullable=False),
        sa.Column("agreement", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("consent_publish", sa.Boolean(), nullable=False),
        sa.Column("published_summary", sa.Text(), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=False),
        sa.Column("accept_due_at", _utc(), nullable=True),
        sa.Column("accepted_at", _utc(), nullable=True),
        sa.Column("transfer_due_at", _utc(), nullable=True),
        sa.Column("transferred_at", _utc(), nullable=True),
        sa.Column("handle_due_at", _utc(), nullable=True),
        sa.Column("closed_at", _utc(), nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    for column in ("kind", "state", "creditor_id", "debtor_enterprise_id", "handling_region_code"):
        op.create_index(f"ix_arrears_complaint_{column}", "arrears_complaint", [column])
    op.create_table(
        "arrears_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("arrears_complaint.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("from_state", sa.String(24), nullable=False),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("amount", _money(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_arrears_event_complaint_id", "arrears_event", ["complaint_id"])


def downgrade() -> None:
    op.drop_table("arrears_event")
    op.drop_table("arrears_complaint")
