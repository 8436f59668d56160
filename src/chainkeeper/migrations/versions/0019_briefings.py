"""briefings: the monthly briefing of a region, every generated version with its content, PDF and XLSX annex

Revision ID: 0019_briefings
Revises: 0015_scheduling
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_briefings"
down_revision = "0018_warnings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("generated_by_name", sa.String(100), nullable=False),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("xlsx", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("month", "region_code", "version", name="uq_briefing_version"),
    )
    op.create_index("ix_briefing_region_month", "briefing", ["region_code", "month"])


def downgrade() -> None:
    op.drop_index("ix_briefing_region_month", table_name="briefing")
    op.drop_table("briefing")
