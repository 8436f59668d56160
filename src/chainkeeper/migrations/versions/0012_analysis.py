"""analysis: simulation runs of the analyst's workspace (job state and compact result) and their hit firms

Revision ID: 0012_analysis
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_analysis"
down_revision = "0011"
branch_labels = None
depends_on = None

STATES = ("queued", "running", "done", "failed")


def upgrade() -> None:
    op.create_table(
        "analysis_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("owner_region", sa.String(6), nullable=False),
        sa.Column("state", sa.Enum(*STATES, name="runstate", native_enum=False, length=16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("worker", sa.String(120), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("error_params", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("series", sa.JSON(), nullable=True),
    )
    op.create_index("ix_analysis_run_state", "analysis_run", ["state"])
    op.create_index("ix_analysis_run_created_at", "analysis_run", ["created_at"])
    op.create_index("ix_analysis_run_owner_id", "analysis_run", ["owner_id"])
    op.create_table(
        "analysis_hit",
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("analysis_run.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), primary_key=True),
        sa.Column("province_code", sa.String(2), nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("shocked", sa.Boolean(), nullable=False),
        sa.Column("first_below_90", sa.Integer(), nullable=False),
        sa.Column("first_below_50", sa.Integer(), nullable=True),
        sa.Column("min_level", sa.Float(), nullable=False),
        sa.Column("limiting_industry", sa.String(4), nullable=True),
        sa.Column("lost_output", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analysis_hit")
    op.drop_index("ix_analysis_run_owner_id", table_name="analysis_run")
    op.drop_index("ix_analysis_run_created_at", table_name="analysis_run")
    op.drop_index("ix_analysis_run_state", table_name="analysis_run")
    op.drop_table("analysis_run")
