"""docking: critical goods catalogue, requisitions, needs posts, daily allocation plans and lines

Revision ID: 0020_docking
Revises: 0015_scheduling
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_docking"
down_revision = "0019_briefings"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "docking_category",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("docking_category.id"), nullable=True),
        sa.Column("name_zh", sa.String(120), nullable=False),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
    )
    _index("docking_category", "parent_id")
    op.create_table(
        "docking_good",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("docking_category.id"), nullable=False),
        sa.Column("name_zh", sa.String(120), nullable=False),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.Column("unit_zh", sa.String(20), nullable=False),
        sa.Column("unit_en", sa.String(20), nullable=False),
        sa.Column("product_code", sa.String(64), nullable=True),
        sa.Column("authority_region", sa.String(6), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )
    _index("docking_good", "category_id")
    op.create_table(
        "docking_requisition",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("good_id", sa.Integer(), sa.ForeignKey("docking_good.id"), nullable=False),
        sa.Column("authority_region", sa.String(6), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("directions", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
    )
    _index("docking_requisition", "enterprise_id", "good_id")
    op.create_table(
        "docking_need",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("good_id", sa.Integer(), sa.ForeignKey("docking_good.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=True),
        sa.Column("demander_name", sa.String(200), nullable=False),
        sa.Column("on_behalf_region", sa.String(6), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("min_lot", sa.Float(), nullable=False),
        sa.Column("date_needed", sa.Date(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=False),
        sa.Column("contact_phone", sa.String(40), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("posted_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("posted_at", _utc(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("reviewed_at", _utc(), nullable=True),
        sa.Column("review_note", sa.String(500), nullable=False),
    )
    _index("docking_need", "good_id", "enterprise_id", "county_code", "state")
    op.create_table(
        "docking_plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("good_id", sa.Integer(), sa.ForeignKey("docking_good.id"), nullable=False),
        sa.Column("scope_region", sa.String(6), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("published_at", _utc(), nullable=True),
        sa.UniqueConstraint("day", "good_id", "scope_region", name="uq_docking_plan_day"),
    )
    _index("docking_plan", "day")
    op.create_table(
        "docking_plan_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("docking_plan.id"), nullable=False),
        sa.Column("producer_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("need_id", sa.Integer(), sa.ForeignKey("docking_need.id"), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("fixed", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("shipped_quantity", sa.Float(), nullable=True),
        sa.Column("shipped_at", _utc(), nullable=True),
        sa.Column("received_quantity", sa.Float(), nullable=True),
        sa.Column("received_at", _utc(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    _index("docking_plan_line", "plan_id", "producer_id", "need_id")


def downgrade() -> None:
    for table in ("docking_plan_line", "docking_plan", "docking_need", "docking_requisition", "docking_good",
                  "docking_category"):
        op.drop_table(table)
