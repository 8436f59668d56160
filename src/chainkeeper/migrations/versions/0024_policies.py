"""policies: SME support policies, enterprise profiles, policy subscriptions and their notices

Revision ID: 0024_policies
Revises: 0021_board
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_policies"
down_revision = "0023_arrears"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sme_policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("issuer", sa.String(200), nullable=False),
        sa.Column("document_number", sa.String(120), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("region_scope", sa.String(6), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("size_classes", sa.JSON(), nullable=False),
        sa.Column("labels_any", sa.JSON(), nullable=False),
        sa.Column("min_age_years", sa.Float(), nullable=True),
        sa.Column("max_age_years", sa.Float(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("benefit", sa.Text(), nullable=False),
        sa.Column("how_to_apply", sa.Text(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )
    op.create_index("ix_sme_policy_region_scope", "sme_policy", ["region_scope"])
    op.create_table(
        "sme_profile",
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("extra_labels", sa.JSON(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )
    op.create_table(
        "sme_policy_subscription",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_index("ix_sme_policy_subscription_enterprise_id", "sme_policy_subscription", ["enterprise_id"])
    op.create_table(
        "sme_policy_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subscription_id", sa.Integer(),
                  sa.ForeignKey("sme_policy_subscription.id", ondelete="CASCADE"), nullable=False),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("sme_policy.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("subscription_id", "policy_id", name="uq_sme_policy_notice"),
    )
    op.create_index("ix_sme_policy_notice_subscription_id", "sme_policy_notice", ["subscription_id"])
    op.create_index("ix_sme_policy_notice_policy_id", "sme_policy_notice", ["policy_id"])


def downgrade() -> None:
    op.drop_table("sme_policy_notice")
    op.drop_table("sme_policy_subscription")
    op.drop_table("sme_profile")
    op.drop_table("sme_policy")
