"""indicators: the monthly indicators' catalogue, published figures and regions' targets

Revision ID: 0017_indicators
Revises: 0013_password_history
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_indicators"
down_revision = "0014_reporting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name_zh", sa.String(120), nullable=False),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cumulative", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id"), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("industry_code", sa.String(4), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("combined_months", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("indicator_id", "region_code", "industry_code", "period", name="uq_indicator_value_key"),
    )
    op.create_index("ix_indicator_value_indicator_id", "indicator_value", ["indicator_id"])
    op.create_index("ix_indicator_value_period", "indicator_value", ["period"])
    op.create_table(
        "indicator_target",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id"), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("industry_code", sa.String(4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("indicator_id", "region_code", "industry_code", "year", name="uq_indicator_target_key"),
    )
    op.create_index("ix_indicator_target_indicator_id", "indicator_target", ["indicator_id"])


def downgrade() -> None:
    op.drop_table("indicator_target")
    op.drop_table("indicator_value")
    op.drop_table("indicator")
