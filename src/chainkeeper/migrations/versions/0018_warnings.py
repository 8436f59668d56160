"""early warning: the rules authorities set (warning_rule), the warnings raised (early_warning) and their links to
enterprises, stoppage-forecast lines and desk cases (early_warning_link)

Revision ID: 0018_warnings
Revises: 0015_scheduling
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_warnings"
down_revision = "0015_scheduling"
branch_labels = None
depends_on = None

LEVELS = ("red", "yellow", "blue")
SUBJECTS = ("region", "indicator", "enterprise", "input")
LINKS = ("enterprise", "forecast_line", "case")


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "warning_rule",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("industry_code", sa.String(8), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("subregions", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("level", _enum(LEVELS, "level"), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_warning_rule_indicator", "warning_rule", ["indicator"])
    op.create_index("ix_warning_rule_region_code", "warning_rule", ["region_code"])
    op.create_table(
        "early_warning",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rule_id", sa.Integer(), sa.ForeignKey("warning_rule.id", ondelete="SET NULL"), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject_kind", _enum(SUBJECTS, "subjectkind"), nullable=False),
        sa.Column("subject_key", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("industry_code", sa.String(8), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=True),
        sa.Column("input_industry", sa.String(8), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("level", _enum(LEVELS, "level"), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("acknowledged_by_name", sa.String(200), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("subject_key", "kind", "period", name="uq_early_warning_subject"),
    )
    op.create_index("ix_early_warning_rule_id", "early_warning", ["rule_id"])
    op.create_index("ix_early_warning_region_code", "early_warning", ["region_code"])
    op.create_index("ix_early_warning_enterprise_id", "early_warning", ["enterprise_id"])
    op.create_index("ix_early_warning_raised_at", "early_warning", ["raised_at"])
    op.create_index("ix_early_warning_open", "early_warning", ["acknowledged_at", "level"])
    op.create_table(
        "early_warning_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("warning_id", sa.Integer(), sa.ForeignKey("early_warning.id", ondelete="CASCADE"), nullable=False),
        sa.Column("target_kind", _enum(LINKS, "linkkind"), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.UniqueConstraint("warning_id", "target_kind", "target_id", name="uq_early_warning_link"),
    )
    op.create_index("ix_early_warning_link_warning_id", "early_warning_link", ["warning_id"])


def downgrade() -> None:
    op.drop_table("early_warning_link")
    op.drop_table("early_warning")
    op.drop_table("warning_rule")
