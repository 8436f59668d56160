"""perfapi: indexes for the desk queue's scope at 200k cases (region prefixes and liaisons, PostgreSQL)

An authority's scope is ``requester/blocking/handling_region_code LIKE '<region>%' OR liaison in its region``. On
PostgreSQL a prefix LIKE uses a btree only with the pattern operator class (the database's collation is not "C"),
and the liaison test needs an index on ``liaison_id``: with these four, the scope is a BitmapOr of index scans
instead of a filter over every case (or a walk of the priority index far past one page).

Revision ID: 0026_perfapi
Revises: 0025_ladder
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_perfapi"
down_revision = "0025_ladder"
branch_labels = None
depends_on = None

PREFIX_COLUMNS = ("requester_region_code", "blocking_region_code", "handling_region_code")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in PREFIX_COLUMNS:
            op.create_index(f"ix_desk_case_{column}_prefix", "desk_case", [sa.text(f"{column} varchar_pattern_ops")])
    op.create_index("ix_desk_case_liaison", "desk_case", ["liaison_id"])


def downgrade() -> None:
    op.drop_index("ix_desk_case_liaison", table_name="desk_case")
    if op.get_bind().dialect.name == "postgresql":
        for column in PREFIX_COLUMNS:
            op.drop_index(f"ix_desk_case_{column}_prefix", table_name="desk_case")
