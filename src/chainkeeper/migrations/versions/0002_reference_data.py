"""reference data: regions, region groups, industries, key chains

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from chainkeeper.reference import loader

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = {
    "region": ("code", "name", "level", "parent_code", "province_code", "city_code"),
    "industry": ("code", "name", "level", "section", "parent_code"),
    "region_group": ("code", "name_zh", "name_en"),
    "region_group_member": ("group_code", "region_code"),
    "key_chain": ("code", "name_zh", "name_en", "position"),
    "key_chain_industry": ("chain_code", "industry_code"),
}


def _table(name: str) -> sa.Table:
    return sa.table(name, *(sa.column(c) for c in _TABLES[name]))


def upgrade() -> None:
    groups, group_members = loader.region_group_rows()
    chains, chain_members = loader.key_chain_rows()
    op.bulk_insert(_table("region"), list(loader.region_rows()))
    op.bulk_insert(_table("industry"), list(loader.industry_rows()))
    op.bulk_insert(_table("region_group"), groups)
    op.bulk_insert(_table("region_group_member"), group_members)
    op.bulk_insert(_table("key_chain"), chains)
    op.bulk_insert(_table("key_chain_industry"), chain_members)


def downgrade() -> None:
    for name in reversed(list(_TABLES)):
        op.execute(sa.delete(_table(name)))
