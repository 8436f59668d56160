"""board: the matching board (供需对接) — listings, board needs, their bigram index, threads and messages,
matchmaking events with participants and matches

Revision ID: 0021_board
Revises: 0020_docking
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_board"
down_revision = "0020_docking"
branch_labels = None
depends_on = None

TABLES = ("board_match", "board_participant", "board_event", "board_message", "board_thread", "board_gram",
          "board_need", "board_listing")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def _post(table: str, *extra: sa.Column) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("good_id", sa.Integer(), sa.ForeignKey("docking_good.id"), nullable=True),
        sa.Column("product_code", sa.String(64), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("visibility", sa.String(12), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        *extra,
    )
    _index(table, "enterprise_id", "good_id", "product_code", "county_code")


def upgrade() -> None:
    _post("board_listing", sa.Column("capacity_per_day", sa.Float(), nullable=False),
          sa.Column("lead_time_days", sa.Integer(), nullable=False))
    _post("board_need", sa.Column("quantity", sa.Float(), nullable=False),
          sa.Column("date_needed", sa.Date(), nullable=False))
    op.create_table(
        "board_gram",
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("gram", sa.String(2), primary_key=True),
        sa.Column("post_id", sa.Integer(), primary_key=True),
    )
    op.create_table(
        "board_thread",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("supplier_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("last_at", _utc(), nullable=False),
        sa.UniqueConstraint("kind", "post_id", "buyer_id", "supplier_id", name="uq_board_thread"),
    )
    _index("board_thread", "buyer_id", "supplier_id")
    op.create_table(
        "board_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("thread_id", sa.Integer(), sa.ForeignKey("board_thread.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
    )
    _index("board_message", "thread_id")
    op.create_table(
        "board_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("organised_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
    )
    _index("board_event", "region_code")
    op.create_table(
        "board_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("board_event.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("joined_at", _utc(), nullable=False),
        sa.UniqueConstraint("event_id", "enterprise_id", name="uq_board_participant"),
    )
    _index("board_participant", "event_id", "enterprise_id")
    op.create_table(
        "board_match",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("board_event.id"), nullable=False),
        sa.Column("buyer_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("supplier_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("deal_value_wan", sa.Float(), nullable=True),
        sa.Column("deal_note", sa.String(500), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("reported_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("reported_at", _utc(), nullable=True),
    )
    _index("board_match", "event_id", "buyer_id", "supplier_id")


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
