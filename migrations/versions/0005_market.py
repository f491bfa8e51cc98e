"""community market: vendors, products, certifications

Revision ID: 0005_market
Revises: 0002_media
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import models.base


revision = '0005_market'
down_revision = '0002_media'
branch_labels = None
depends_on = None


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def _when(name, nullable=True):
    return sa.Column(name, models.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('market_vendors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=True),
    sa.Column('shop_name', sa.String(length=80), nullable=False),
    sa.Column('owner_name', sa.String(length=120), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('district', sa.String(length=32), nullable=False),
    sa.Column('promptpay_id', sa.String(length=20), nullable=True),
    sa.Column('pickup_address', sa.String(length=400), nullable=True),
    sa.Column('facebook_url', sa.String(length=300), nullable=True),
    sa.Column('sales_channels', _json(), nullable=False),
    sa.Column('delivery_options', _json(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decision_reason', sa.String(length=300), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    _when('decided_at'),
    _when('erased_at'),
    _when('created_at', nullable=False),
    _when('updated_at', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_vendors')),
    sa.UniqueConstraint('line_user_id', name=op.f('uq_market_vendors_line_user_id'))
    )
    with op.batch_alter_table('market_vendors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_vendors_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_vendors_status'), ['status'], unique=False)

    op.create_table('market_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('price_satang', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('selling_points', _json(), nullable=False),
    sa.Column('photos', _json(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('cert_status', sa.String(length=16), nullable=False),
    _when('certified_until'),
    _when('deleted_at'),
    _when('created_at', nullable=False),
    _when('updated_at', nullable=False),
    sa.ForeignKeyConstraint(['vendor_id'], ['market_vendors.id'],
                            name=op.f('fk_market_products_vendor_id_market_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_products'))
    )
    with op.batch_alter_table('market_products', schema=None) as batch_op:
        batch_op.create_index('ix_market_products_catalog', ['cert_status', 'hidden', 'id', 'category', 'stock',
                                                             'certified_until', 'deleted_at', 'vendor_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_market_products_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('market_certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=True),
    _when('submitted_at', nullable=False),
    _when('decided_at'),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    _when('valid_from'),
    _when('valid_until'),
    sa.Column('reason', sa.String(length=300), nullable=True),
    _when('reminder_sent_at'),
    _when('ended_at'),
    sa.Column('ended_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['market_products.id'],
                            name=op.f('fk_market_certifications_product_id_market_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_certifications')),
    sa.UniqueConstraint('number', name=op.f('uq_market_certifications_number'))
    )
    with op.batch_alter_table('market_certifications', schema=None) as batch_op:
        batch_op.create_index('ix_market_certifications_due', ['status', 'valid_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_certifications_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_certifications_status'), ['status'], unique=False)

    op.create_table('market_certificate_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_market_certificate_counters'))
    )


def downgrade() -> None:
    op.drop_table('market_certificate_counters')
    with op.batch_alter_table('market_certifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_certifications_status'))
        batch_op.drop_index(batch_op.f('ix_market_certifications_product_id'))
        batch_op.drop_index('ix_market_certifications_due')
    op.drop_table('market_certifications')
    with op.batch_alter_table('market_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_products_vendor_id'))
        batch_op.drop_index('ix_market_products_catalog')
    op.drop_table('market_products')
    with op.batch_alter_table('market_vendors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_vendors_status'))
        batch_op.drop_index(batch_op.f('ix_market_vendors_district'))
    op.drop_table('market_vendors')
