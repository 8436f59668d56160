"""credentials: signed certificates and passes, revocations, vehicle passes and their counters

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KINDS = ("certificate", "vehicle_pass")
STATUSES = ("pending", "approved", "rejected", "revoked")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _credential() -> None:
    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(16), nullable=False, unique=True),
        sa.Column("kind", sa.Enum(*KINDS, name="credentialkind", native_enum=False, length=16), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=True, index=True),
        sa.Column("entry_ref", sa.String(64), nullable=True, index=True),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("list_name", sa.String(200), nullable=True),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        _when("issued_at"),
        sa.Column("issued_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "credential_revocation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("credential_id", sa.Integer(), sa.ForeignKey("credential.id"), nullable=False, unique=True),
        sa.Column("public_id", sa.String(16), nullable=False, unique=True),
        sa.Column("reason", sa.String(500), nullable=False),
        _when("revoked_at"),
        sa.Column("revoked_by", sa.String(200), nullable=False),
    )


def _vehicle_pass() -> None:
    op.create_table(
        "vehicle_pass",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False, index=True),
        sa.Column("goods_category", sa.String(64), nullable=False),
        sa.Column("origin_code", sa.String(6), sa.ForeignKey("region.code"), nullable=False, index=True),
        sa.Column("destination_code", sa.String(6), sa.ForeignKey("region.code"), nullable=False, index=True),
        sa.Column("route", sa.String(500), nullable=False),
        sa.Column("plate", sa.String(10), nullable=False, index=True),
        sa.Column("trailer_plate", sa.String(10), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("status", sa.Enum(*STATUSES, name="passstatus", native_enum=False, length=16), nullable=False,
                  index=True),
        sa.Column("pass_number", sa.String(12), nullable=True, unique=True),
        sa.Column("issuer_code", sa.String(6), nullable=True),
        sa.Column("credential_id", sa.Integer(), sa.ForeignKey("credential.id"), nullable=True, unique=True),
        _when("applied_at"),
        sa.Column("applied_by", sa.String(200), nullable=False),
        _when("reviewed_at", nullable=True),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        sa.Column("review_reason", sa.String(500), nullable=True),
    )
    op.create_table(
        "vehicle_pass_crew",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pass_id", sa.Integer(), sa.ForeignKey("vehicle_pass.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
    )
    op.create_table(
        "vehicle_pass_counter",
        sa.Column("issuer_code", sa.String(6), primary_key=True),
        sa.Column("last_serial", sa.Integer(), nullable=False),
    )


def upgrade() -> None:
    _credential()
    _vehicle_pass()


def downgrade() -> None:
    for table in ("vehicle_pass_counter", "vehicle_pass_crew", "vehicle_pass", "credential_revocation",
                  "credential"):
        op.drop_table(table)
