"""whitelist: key-enterprise white lists, applications, entries, pool, mutual-recognition agreements

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATES = ("draft", "submitted", "nominated", "locally_reviewed", "approved", "published", "rejected", "withdrawn")
STATUSES = ("active", "suspended", "removed")
RESUMPTIONS = ("none", "partly", "fully")
CATEGORIES = (  # code, Chinese, English, position
    ("medical", "防疫和医疗物资", "Epidemic-prevention and medical supplies", 1),
    ("necessities", "生活必需品", "Daily necessities", 2),
    ("agri_inputs", "农业生产资料", "Agricultural inputs", 3),
    ("strategic", "战略性产业重点物资", "Key materials for strategic industries", 4),
    ("operation", "运行保障类", "Operation support", 5),
    ("strategic_function", "战略功能类", "Strategic function", 6),
    ("economic", "经济支撑类", "Economic support", 7),
    ("basic", "基础产业类", "Basic industry", 8),
)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _enum(name: str, values: tuple) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=24)


def _lists() -> None:
    category = op.create_table(
        "wl_category",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name_zh", sa.String(64), nullable=False),
        sa.Column("name_en", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.bulk_insert(category, [dict(code=c, name_zh=zh, name_en=en, position=p) for c, zh, en, p in CATEGORIES])
    op.create_table(
        "wl_list",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scope_code", sa.String(6), nullable=False, index=True),
        _when("created_at"),
    )
    op.create_table(
        "wl_list_category",
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("wl_list.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("category_code", sa.String(32), sa.ForeignKey("wl_category.code"), primary_key=True),
    )
    op.create_table(
        "wl_batch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("wl_list.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("list_id", "number", name="uq_wl_batch_number"),
    )


def _applications() -> None:
    op.create_table(
        "wl_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        _when("created_at"),
    )
    op.create_table(
        "wl_application",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("wl_list.id"), nullable=False, index=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False, index=True),
        sa.Column("category", sa.String(32), sa.ForeignKey("wl_category.code"), nullable=False),
        sa.Column("chain_code", sa.String(32), sa.ForeignKey("key_chain.code"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("on_site_staff", sa.Integer(), nullable=False),
        sa.Column("staff_list", sa.Text(), nullable=False),
        sa.Column("pledge_accepted", sa.Boolean(), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("wl_attachment.id"), nullable=True),
        sa.Column("state", _enum("wl_app_state", STATES), nullable=False, index=True),
        sa.Column("nominated_by", sa.String(64), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
    )


def _entries() -> None:
    op.create_table(
        "wl_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("wl_list.id"), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("wl_batch.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False, index=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("wl_application.id"), nullable=True),
        sa.Column("scope_code", sa.String(6), nullable=False),
        sa.Column("category", sa.String(32), sa.ForeignKey("wl_category.code"), nullable=False),
        sa.Column("chain_code", sa.String(32), sa.ForeignKey("key_chain.code"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("nominated_by", sa.String(64), nullable=False),
        sa.Column("on_site_staff", sa.Integer(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("status", _enum("wl_entry_status", STATUSES), nullable=False),
        sa.Column("resumption", _enum("wl_resumption", RESUMPTIONS), nullable=False),
        sa.Column("resumption_on", sa.Date(), nullable=True),
        sa.Column("credential_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_wl_entry_list_category", "wl_entry", ["list_id", "category"])
    op.create_table(
        "wl_entry_period",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("wl_entry.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", _enum("wl_entry_status", STATUSES), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        _when("recorded_at"),
    )
    op.create_index("ix_wl_entry_period_entry", "wl_entry_period", ["entry_id", "valid_from"])
    op.create_table(
        "wl_pool_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("wl_entry.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_wl_pool_member_enterprise", "wl_pool_member", ["enterprise_id", "entry_id"])


def _agreements() -> None:
    op.create_table(
        "wl_agreement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        _when("created_at"),
    )
    op.create_table(
        "wl_agreement_region",
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("wl_agreement.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("region_code", sa.String(6), sa.ForeignKey("region.code"), primary_key=True),
    )
    op.create_index("ix_wl_agreement_region_code", "wl_agreement_region", ["region_code"])
    op.create_table(
        "wl_agreement_category",
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("wl_agreement.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("category_code", sa.String(32), sa.ForeignKey("wl_category.code"), primary_key=True),
    )
    op.create_table(
        "wl_notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False, index=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("wl_application.id"), nullable=True),
        sa.Column("message", sa.String(200), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        _when("created_at"),
        _when("read_at", nullable=True),
    )


def upgrade() -> None:
    _lists()
    _applications()
    _entries()
    _agreements()


def downgrade() -> None:
    for table in ("wl_notification", "wl_agreement_category", "wl_agreement_region", "wl_agreement",
                  "wl_pool_member", "wl_entry_period", "wl_entry", "wl_application", "wl_attachment", "wl_batch",
                  "wl_list_category", "wl_list", "wl_category"):
        op.drop_table(table)
