"""registry and reference tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 17:25:29.960318
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('industry',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=1), nullable=False),
    sa.Column('parent_code', sa.String(length=4), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['industry.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('key_chain',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('region',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('parent_code', sa.String(length=6), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('city_code', sa.String(length=4), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_city_code'), ['city_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_region_parent_code'), ['parent_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_region_province_code'), ['province_code'], unique=False)

    op.create_table('region_group',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('normalized_name', sa.String(length=200), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('city_code', sa.String(length=4), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('industry_code', sa.String(length=4), nullable=False),
    sa.Column('size', sa.Enum('large', 'medium', 'small', 'micro', name='sizeclass', native_enum=False, length=16), nullable=False),
    sa.Column('chain_code', sa.String(length=32), nullable=True),
    sa.Column('chain_set_by_hand', sa.Boolean(), nullable=False),
    sa.Column('contact_person', sa.String(length=64), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chain_code'], ['key_chain.code'], ),
    sa.ForeignKeyConstraint(['county_code'], ['region.code'], ),
    sa.ForeignKeyConstraint(['industry_code'], ['industry.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uscc')
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_chain_code'), ['chain_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_city_code'), ['city_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_industry_code'), ['industry_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_normalized_name'), ['normalized_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_province_code'), ['province_code'], unique=False)

    op.create_table('key_chain_industry',
    sa.Column('chain_code', sa.String(length=32), nullable=False),
    sa.Column('industry_code', sa.String(length=4), nullable=False),
    sa.ForeignKeyConstraint(['chain_code'], ['key_chain.code'], ),
    sa.ForeignKeyConstraint(['industry_code'], ['industry.code'], ),
    sa.PrimaryKeyConstraint('chain_code', 'industry_code')
    )
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('industry_code', sa.String(length=4), nullable=True),
    sa.ForeignKeyConstraint(['industry_code'], ['industry.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('region_group_member',
    sa.Column('group_code', sa.String(length=32), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['group_code'], ['region_group.code'], ),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('group_code', 'region_code')
    )
    op.create_table('enterprise_label',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.Enum('leading', 'key_node', 'specialized', 'little_giant', 'single_champion', 'foreign_invested', name='label', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enterprise_id', 'label')
    )
    op.create_table('supply_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('annual_value', sa.Float(), nullable=False),
    sa.Column('lead_time_days', sa.Float(), nullable=True),
    sa.Column('inventory_days', sa.Float(), nullable=True),
    sa.Column('essential', sa.Boolean(), nullable=False),
    sa.CheckConstraint('annual_value >= 0', name='ck_supply_link_value'),
    sa.CheckConstraint('inventory_days >= 0', name='ck_supply_link_inventory'),
    sa.CheckConstraint('lead_time_days >= 0', name='ck_supply_link_lead_time'),
    sa.CheckConstraint('supplier_id <> customer_id', name='ck_supply_link_not_self'),
    sa.ForeignKeyConstraint(['customer_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supply_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supply_link_customer_id'), ['customer_id'], unique=False)
    # one link per (supplier, customer, product); a link without a product counts as product 0
    op.create_index(
        'uq_supply_link_key',
        'supply_link',
        ['supplier_id', 'customer_id', sa.text('coalesce(product_id, 0)')],
        unique=True,
    )




def downgrade() -> None:
    op.drop_index('uq_supply_link_key', table_name='supply_link')
    with op.batch_alter_table('supply_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supply_link_customer_id'))

    op.drop_table('supply_link')
    op.drop_table('enterprise_label')
    op.drop_table('region_group_member')
    op.drop_table('product')
    op.drop_table('key_chain_industry')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_province_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_normalized_name'))
        batch_op.drop_index(batch_op.f('ix_enterprise_industry_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_county_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_city_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_chain_code'))

    op.drop_table('enterprise')
    op.drop_table('region_group')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_province_code'))
        batch_op.drop_index(batch_op.f('ix_region_parent_code'))
        batch_op.drop_index(batch_op.f('ix_region_city_code'))

    op.drop_table('region')
    op.drop_table('key_chain')
    op.drop_table('industry')

