"""deskpages: the queue's page of cases by priority as an index-only walk (issue 15)

A page of the queue in priority order walked ``ix_desk_case_priority`` and fetched every case it passed to test the
viewer's scope and filters: a city's filtered page, a few pages deep, read thousands of cases. ``ix_desk_case_page``
has the same keys and carries the scope's and the filters' columns, so the page's ids come from the index alone.
It is partial (``id > 0``, true of every case) so that only a statement that says so may use it: the page's ids
step does (``queries.PAGE_WALK``); the counts do not, and keep their plans (sprint 7: when the plain priority index
carried these columns, a province's uncounted total chose a walk of the whole index, 59 → 107 ms). PostgreSQL only:
SQLite has no INCLUDE and sorts the scope.

Revision ID: 0030_deskpages
Revises: 0029_linkorder
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_deskpages"
down_revision = "0029_linkorder"
branch_labels = None
depends_on = None

INCLUDED = ("state", "category", "overdue", "requester_region_code", "blocking_region_code", "handling_region_code",
            "liaison_id", "requester_id")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_desk_case_page", "desk_case", [sa.text("impact_priority DESC NULLS LAST"),
                                                            sa.text("due_at ASC NULLS LAST"), "id"],
                        postgresql_include=list(INCLUDED), postgresql_where=sa.text("id > 0"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_desk_case_page", table_name="desk_case")
