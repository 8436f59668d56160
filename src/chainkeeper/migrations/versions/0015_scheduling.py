"""daily scheduling: key groups, their members' baselines, desk cases opened from a daily report's problem

Revision ID: 0015_scheduling
Revises: 0013_password_history
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_scheduling"
down_revision = "0016_forecast"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitored_group",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("chain_code", sa.String(32), sa.ForeignKey("key_chain.code"), nullable=True),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("region_code", "name", name="uq_monitored_group_name"),
    )
    op.create_index("ix_monitored_group_chain_code", "monitored_group", ["chain_code"])
    op.create_index("ix_monitored_group_region_code", "monitored_group", ["region_code"])
    op.create_table(
        "monitored_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("monitored_group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False),
        sa.Column("baseline_output_units", sa.Integer(), nullable=False),
        sa.Column("baseline_output_value", sa.Float(), nullable=False),
        sa.Column("baseline_staff", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("group_id", "enterprise_id", name="uq_monitored_member"),
        sa.CheckConstraint("baseline_output_units >= 0 AND baseline_output_value >= 0 AND baseline_staff >= 0",
                           name="ck_monitored_member_baseline"),
    )
    op.create_index("ix_monitored_member_group_id", "monitored_member", ["group_id"])
    op.create_index("ix_monitored_member_enterprise_id", "monitored_member", ["enterprise_id"])
    op.create_table(
        "scheduling_problem_case",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("desk_case.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scheduling_problem_case")
    op.drop_index("ix_monitored_member_enterprise_id", table_name="monitored_member")
    op.drop_index("ix_monitored_member_group_id", table_name="monitored_member")
    op.drop_table("monitored_member")
    op.drop_index("ix_monitored_group_region_code", table_name="monitored_group")
    op.drop_index("ix_monitored_group_chain_code", table_name="monitored_group")
    op.drop_table("monitored_group")
