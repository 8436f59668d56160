"""reporting: report types defined as data, assignments, reports with every version kept, reminders sent

Revision ID: 0014_reporting
Revises: 0013_password_history
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_reporting"
down_revision = "0013_password_history"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "report_type",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("cutoff_local", sa.Time(), nullable=False),
        sa.Column("remind_before_minutes", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("owner_region", sa.String(6), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id")),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )
    op.create_table(
        "report_assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_type_id", sa.Integer(), sa.ForeignKey("report_type.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("group_name", sa.String(200), nullable=False),
        sa.Column("assigned_by_region", sa.String(6), nullable=False),
        sa.Column("assigned_by", sa.Integer(), sa.ForeignKey("app_user.id")),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date()),
    )
    op.create_index("ix_report_assignment_report_type_id", "report_assignment", ["report_type_id"])
    op.create_index("ix_report_assignment_enterprise_id", "report_assignment", ["enterprise_id"])
    op.create_index("uq_report_assignment_active", "report_assignment", ["report_type_id", "enterprise_id"],
                    unique=True, postgresql_where=sa.text("until IS NULL"), sqlite_where=sa.text("until IS NULL"))
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_type_id", sa.Integer(), sa.ForeignKey("report_type.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type_version", sa.Integer(), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("app_user.id")),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("first_submitted_at", _utc(), nullable=False),
        sa.UniqueConstraint("report_type_id", "enterprise_id", "report_date", name="uq_report_type_enterprise_date"),
    )
    op.create_index("ix_report_type_date", "report", ["report_type_id", "report_date"])
    op.create_index("ix_report_enterprise_id", "report", ["enterprise_id"])
    op.create_table(
        "report_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("app_user.id")),
        sa.Column("submitted_by_name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.UniqueConstraint("report_id", "version", name="uq_report_revision_version"),
    )
    op.create_index("ix_report_revision_report_id", "report_revision", ["report_id"])
    op.create_table(
        "report_reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_type_id", sa.Integer(), sa.ForeignKey("report_type.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("sent_at", _utc(), nullable=False),
        sa.Column("sent_by", sa.Integer(), sa.ForeignKey("app_user.id")),
        sa.UniqueConstraint("report_type_id", "enterprise_id", "report_date", "manual", name="uq_report_reminder_once"),
    )
    op.create_index("ix_report_reminder_enterprise_id", "report_reminder", ["enterprise_id"])


def downgrade() -> None:
    for table in ("report_reminder", "report_revision", "report", "report_assignment", "report_type"):
        op.drop_table(table)
