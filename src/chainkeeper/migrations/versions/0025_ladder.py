"""ladder: the 专精特新 cultivation ladder's applications and recognitions

Revision ID: 0025_ladder
Revises: 0021_board
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_ladder"
down_revision = "0024_policies"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sme_ladder_application",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("size", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("submitted_at", _utc(), nullable=False),
        sa.Column("decided_at", _utc(), nullable=True),
    )
    op.create_index("ix_sme_ladder_application_enterprise_id", "sme_ladder_application", ["enterprise_id"])
    op.create_index("ix_sme_ladder_application_state_county", "sme_ladder_application", ["state", "county_code"])
    op.create_table(
        "sme_ladder_recognition",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("sme_ladder_application.id"), nullable=True),
        sa.Column("recognised_by", sa.String(8), nullable=False),
        sa.Column("recognised_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("re_reviewed_on", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_reason", sa.String(500), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_index("ix_sme_ladder_recognition_enterprise_id", "sme_ladder_recognition", ["enterprise_id"])
    op.create_index("ix_sme_ladder_recognition_tier_until", "sme_ladder_recognition", ["tier", "valid_until"])


def downgrade() -> None:
    op.drop_table("sme_ladder_recognition")
    op.drop_table("sme_ladder_application")
