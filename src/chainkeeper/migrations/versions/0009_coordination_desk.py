"""the coordination desk: cases, their timeline, comments and attachments, letters, routing rules

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

import chainkeeper.db


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("desk_routing",
    sa.Column("province_code", sa.String(length=2), nullable=False),
    sa.Column("level", sa.Enum("county", "city", "province", "ministry", name="level", native_enum=False, length=24), nullable=False),
    sa.PrimaryKeyConstraint("province_code")
    )
    op.create_table("desk_letter",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("number", sa.String(length=64), nullable=False),
    sa.Column("from_region_code", sa.String(length=2), nullable=False),
    sa.Column("to_region_code", sa.String(length=2), nullable=False),
    sa.Column("subject", sa.String(length=200), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("state", sa.Enum("draft", "sent", "replied", "closed", name="letterstate", native_enum=False, length=24), nullable=False),
    sa.Column("reply", sa.Text(), nullable=False),
    sa.Column("created_by", sa.Integer(), nullable=True),
    sa.Column("created_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("sent_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("replied_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("desk_letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_letter_from_region_code"), ["from_region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_letter_to_region_code"), ["to_region_code"], unique=False)

    op.create_table("desk_case",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("requester_id", sa.Integer(), nullable=False),
    sa.Column("requester_region_code", sa.String(length=6), nullable=False),
    sa.Column("filed_by", sa.Integer(), nullable=True),
    sa.Column("chain_code", sa.String(length=32), nullable=True),
    sa.Column("category", sa.Enum("staff_return", "parts_supply", "logistics", "raw_materials", "energy", "funding", "policy", "other", name="casecategory", native_enum=False, length=24), nullable=False),
    sa.Column("urgency", sa.Enum("normal", "urgent", "critical", name="urgency", native_enum=False, length=24), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("blocked", sa.Text(), nullable=False),
    sa.Column("help_wanted", sa.Text(), nullable=False),
    sa.Column("products", sa.String(length=500), nullable=False),
    sa.Column("blocking_enterprise_id", sa.Integer(), nullable=True),
    sa.Column("blocking_name", sa.String(length=200), nullable=False),
    sa.Column("blocking_key", sa.String(length=200), nullable=False),
    sa.Column("blocking_region_code", sa.String(length=6), nullable=False),
    sa.Column("handling_region_code", sa.String(length=6), nullable=False),
    sa.Column("level", sa.Enum("county", "city", "province", "ministry", name="level", native_enum=False, length=24), nullable=False),
    sa.Column("state", sa.Enum("submitted", "accepted", "rejected", "assigned", "feedback", "resolved", "closed", name="casestate", native_enum=False, length=24), nullable=False),
    sa.Column("liaison_id", sa.Integer(), nullable=True),
    sa.Column("letter_id", sa.Integer(), nullable=True),
    sa.Column("merged_into_id", sa.Integer(), nullable=True),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("measures", sa.Text(), nullable=False),
    sa.Column("submitted_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("accept_due_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("accepted_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("resolve_due_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("feedback_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("resolved_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("closed_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("reminded_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("overdue", sa.Boolean(), nullable=False),
    sa.Column("impact_priority", sa.Float(), nullable=True),
    sa.Column("impact", sa.Text(), nullable=True),
    sa.Column("impact_at", chainkeeper.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["blocking_enterprise_id"], ["enterprise.id"], ),
    sa.ForeignKeyConstraint(["filed_by"], ["app_user.id"], ),
    sa.ForeignKeyConstraint(["letter_id"], ["desk_letter.id"], ),
    sa.ForeignKeyConstraint(["liaison_id"], ["app_user.id"], ),
    sa.ForeignKeyConstraint(["merged_into_id"], ["desk_case.id"], ),
    sa.ForeignKeyConstraint(["requester_id"], ["enterprise.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("desk_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_case_blocking_enterprise_id"), ["blocking_enterprise_id"], unique=False)
        batch_op.create_index("ix_desk_case_blocking_region", ["blocking_region_code"], unique=False)
        batch_op.create_index("ix_desk_case_blocking_key", ["blocking_key", "category"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_case_letter_id"), ["letter_id"], unique=False)
        batch_op.create_index("ix_desk_case_queue", ["state", "handling_region_code", "impact_priority"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_case_requester_id"), ["requester_id"], unique=False)
        batch_op.create_index("ix_desk_case_requester_region", ["requester_region_code"], unique=False)
        batch_op.create_index("ix_desk_case_submitted", ["submitted_at"], unique=False)

    op.create_table("desk_case_attachment",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("attachment_id", sa.Integer(), nullable=False),
    sa.Column("uploaded_by", sa.Integer(), nullable=True),
    sa.Column("at", chainkeeper.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["attachment_id"], ["wl_attachment.id"], ),
    sa.ForeignKeyConstraint(["case_id"], ["desk_case.id"], ),
    sa.ForeignKeyConstraint(["uploaded_by"], ["app_user.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("desk_case_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_case_attachment_case_id"), ["case_id"], unique=False)

    op.create_table("desk_case_comment",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("author_id", sa.Integer(), nullable=True),
    sa.Column("author_name", sa.String(length=100), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("internal", sa.Boolean(), nullable=False),
    sa.Column("at", chainkeeper.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["author_id"], ["app_user.id"], ),
    sa.ForeignKeyConstraint(["case_id"], ["desk_case.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("desk_case_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_case_comment_case_id"), ["case_id"], unique=False)

    op.create_table("desk_case_event",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("at", chainkeeper.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("actor_id", sa.Integer(), nullable=True),
    sa.Column("actor_name", sa.String(length=100), nullable=False),
    sa.Column("action", sa.String(length=32), nullable=False),
    sa.Column("from_state", sa.String(length=24), nullable=True),
    sa.Column("to_state", sa.String(length=24), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], ),
    sa.ForeignKeyConstraint(["case_id"], ["desk_case.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("desk_case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_case_event_case_id"), ["case_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("desk_case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_case_event_case_id"))

    op.drop_table("desk_case_event")
    with op.batch_alter_table("desk_case_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_case_comment_case_id"))

    op.drop_table("desk_case_comment")
    with op.batch_alter_table("desk_case_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_case_attachment_case_id"))

    op.drop_table("desk_case_attachment")
    with op.batch_alter_table("desk_case", schema=None) as batch_op:
        batch_op.drop_index("ix_desk_case_submitted")
        batch_op.drop_index("ix_desk_case_requester_region")
        batch_op.drop_index("ix_desk_case_blocking_key")
        batch_op.drop_index(batch_op.f("ix_desk_case_requester_id"))
        batch_op.drop_index("ix_desk_case_queue")
        batch_op.drop_index(batch_op.f("ix_desk_case_letter_id"))
        batch_op.drop_index("ix_desk_case_blocking_region")
        batch_op.drop_index(batch_op.f("ix_desk_case_blocking_enterprise_id"))

    op.drop_table("desk_case")
    with op.batch_alter_table("desk_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_letter_to_region_code"))
        batch_op.drop_index(batch_op.f("ix_desk_letter_from_region_code"))

    op.drop_table("desk_letter")
    op.drop_table("desk_routing")
