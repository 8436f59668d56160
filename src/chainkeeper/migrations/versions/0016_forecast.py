"""stoppage forecasts: forecast_run, forecast_line, forecast_backtest

Revision ID: 0016_forecast
Revises: 0017_indicators
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_forecast"
down_revision = "0017_indicators"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecast_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("n_reports", sa.Integer(), nullable=False),
        sa.Column("n_key", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
    )
    op.create_index("ix_forecast_run_made_on", "forecast_run", ["made_on", "id"])
    op.create_table(
        "forecast_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("forecast_run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False),
        sa.Column("province_code", sa.String(2), nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("day_below_90", sa.Integer(), nullable=False),
        sa.Column("day_below_50", sa.Integer(), nullable=True),
        sa.Column("min_level", sa.Float(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("capacity", sa.Float(), nullable=False),
        sa.Column("binding_industry", sa.String(8), nullable=False),
        sa.Column("chain", sa.JSON(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_forecast_line_run_id", "forecast_line", ["run_id"])
    op.create_index("ix_forecast_line_run_province", "forecast_line", ["run_id", "province_code"])
    op.create_table(
        "forecast_backtest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("forecast_backtest")
    op.drop_index("ix_forecast_line_run_province", table_name="forecast_line")
    op.drop_index("ix_forecast_line_run_id", table_name="forecast_line")
    op.drop_table("forecast_line")
    op.drop_index("ix_forecast_run_made_on", table_name="forecast_run")
    op.drop_table("forecast_run")
