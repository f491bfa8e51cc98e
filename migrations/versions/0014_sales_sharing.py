"""sales sharing and orders: sharers, referral links, clicks, touches, flags, orders, commissions and their
ledger, payouts, sales; a product's commission rate and a shop's delivery fees

Revision ID: 0014_sales_sharing
Revises: 0012_catalog_search
Create Date: 2026-12-04 23:30:02.917534
"""

from alembic import op
import sqlalchemy as sa
import models.base
from sqlalchemy.dialects import postgresql

revision = '0014_sales_sharing'
down_revision = '0012_catalog_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('referral_sharers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=True),
    sa.Column('promptpay_id', sa.String(length=20), nullable=True),
    sa.Column('joined_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('erased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_sharers')),
    sa.UniqueConstraint('line_user_id', name=op.f('uq_referral_sharers_line_user_id'))
    )
    op.create_table('referral_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sharer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['sharer_id'], ['referral_sharers.id'], name=op.f('fk_referral_flags_sharer_id_referral_sharers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_flags'))
    )
    with op.batch_alter_table('referral_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_flags_sharer_id'), ['sharer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_flags_status'), ['status'], unique=False)

    op.create_table('referral_payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('sharer_id', sa.Integer(), nullable=False),
    sa.Column('amount_satang', sa.Integer(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('paid_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sharer_id'], ['referral_sharers.id'], name=op.f('fk_referral_payouts_sharer_id_referral_sharers')),
    sa.ForeignKeyConstraint(['vendor_id'], ['market_vendors.id'], name=op.f('fk_referral_payouts_vendor_id_market_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_payouts'))
    )
    with op.batch_alter_table('referral_payouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_payouts_sharer_id'), ['sharer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_payouts_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('referral_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('sharer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disabled_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['market_products.id'], name=op.f('fk_referral_links_product_id_market_products')),
    sa.ForeignKeyConstraint(['sharer_id'], ['referral_sharers.id'], name=op.f('fk_referral_links_sharer_id_referral_sharers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_links')),
    sa.UniqueConstraint('code', name=op.f('uq_referral_links_code')),
    sa.UniqueConstraint('sharer_id', 'product_id', name='uq_referral_links_sharer_product')
    )
    with op.batch_alter_table('referral_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_links_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_links_sharer_id'), ['sharer_id'], unique=False)

    op.create_table('market_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=False),
    sa.Column('buyer_line_user_id', sa.String(length=64), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('product_name', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_satang', sa.Integer(), nullable=False),
    sa.Column('delivery_option', sa.String(length=24), nullable=False),
    sa.Column('delivery_fee_satang', sa.Integer(), nullable=False),
    sa.Column('total_satang', sa.Integer(), nullable=False),
    sa.Column('payment_method', sa.String(length=16), nullable=False),
    sa.Column('buyer_name', sa.String(length=120), nullable=True),
    sa.Column('buyer_phone', sa.String(length=20), nullable=True),
    sa.Column('buyer_address', sa.String(length=400), nullable=True),
    sa.Column('buyer_district', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('referral_link_id', sa.Integer(), nullable=True),
    sa.Column('slip_image_id', sa.Integer(), nullable=True),
    sa.Column('carrier', sa.String(length=24), nullable=True),
    sa.Column('tracking_number', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('refund_satang', sa.Integer(), nullable=True),
    sa.Column('placed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('slip_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.String(length=16), nullable=True),
    sa.Column('cancelled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=16), nullable=True),
    sa.Column('rejected_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refunded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('erased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['market_products.id'], name=op.f('fk_market_orders_product_id_market_products')),
    sa.ForeignKeyConstraint(['referral_link_id'], ['referral_links.id'], name=op.f('fk_market_orders_referral_link_id_referral_links')),
    sa.ForeignKeyConstraint(['slip_image_id'], ['media_images.id'], name=op.f('fk_market_orders_slip_image_id_media_images'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['market_vendors.id'], name=op.f('fk_market_orders_vendor_id_market_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_orders')),
    sa.UniqueConstraint('request_key', name=op.f('uq_market_orders_request_key'))
    )
    with op.batch_alter_table('market_orders', schema=None) as batch_op:
        batch_op.create_index('ix_market_orders_buyer_placed', ['buyer_line_user_id', 'placed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_orders_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_orders_referral_link_id'), ['referral_link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_orders_status'), ['status'], unique=False)
        batch_op.create_index('ix_market_orders_status_shipped', ['status', 'shipped_at'], unique=False)
        batch_op.create_index('ix_market_orders_vendor_placed', ['vendor_id', 'placed_at'], unique=False)

    op.create_table('referral_clicks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('visitor', sa.String(length=64), nullable=False),
    sa.Column('clicked_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['referral_links.id'], name=op.f('fk_referral_clicks_link_id_referral_links')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_clicks'))
    )
    with op.batch_alter_table('referral_clicks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_clicks_clicked_at'), ['clicked_at'], unique=False)
        batch_op.create_index('ix_referral_clicks_link_visitor_at', ['link_id', 'visitor', 'clicked_at'], unique=False)

    op.create_table('referral_touches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('buyer_line_user_id', sa.String(length=64), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('touched_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['referral_links.id'], name=op.f('fk_referral_touches_link_id_referral_links')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_touches')),
    sa.UniqueConstraint('order_id', name=op.f('uq_referral_touches_order_id'))
    )
    with op.batch_alter_table('referral_touches', schema=None) as batch_op:
        batch_op.create_index('ix_referral_touches_buyer_product_at', ['buyer_line_user_id', 'product_id', 'touched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_touches_link_id'), ['link_id'], unique=False)

    op.create_table('market_sales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('product_name', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_satang', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('sold_on', sa.Date(), nullable=False),
    sa.Column('district', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['market_orders.id'], name=op.f('fk_market_sales_order_id_market_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['market_products.id'], name=op.f('fk_market_sales_product_id_market_products')),
    sa.ForeignKeyConstraint(['vendor_id'], ['market_vendors.id'], name=op.f('fk_market_sales_vendor_id_market_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_sales'))
    )
    with op.batch_alter_table('market_sales', schema=None) as batch_op:
        batch_op.create_index('ix_market_sales_channel_sold', ['channel', 'sold_on'], unique=False)
        batch_op.create_index('ix_market_sales_district_sold', ['district', 'sold_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_sales_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_sales_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_market_sales_vendor_sold', ['vendor_id', 'sold_on'], unique=False)

    op.create_table('referral_commissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('sharer_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('rate_percent', sa.Integer(), nullable=False),
    sa.Column('amount_satang', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('hold_reason', sa.String(length=200), nullable=True),
    sa.Column('approve_after', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['referral_links.id'], name=op.f('fk_referral_commissions_link_id_referral_links')),
    sa.ForeignKeyConstraint(['order_id'], ['market_orders.id'], name=op.f('fk_referral_commissions_order_id_market_orders')),
    sa.ForeignKeyConstraint(['sharer_id'], ['referral_sharers.id'], name=op.f('fk_referral_commissions_sharer_id_referral_sharers')),
    sa.ForeignKeyConstraint(['vendor_id'], ['market_vendors.id'], name=op.f('fk_referral_commissions_vendor_id_market_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_commissions')),
    sa.UniqueConstraint('order_id', name=op.f('uq_referral_commissions_order_id'))
    )
    with op.batch_alter_table('referral_commissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_commissions_sharer_id'), ['sharer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_commissions_status'), ['status'], unique=False)
        batch_op.create_index('ix_referral_commissions_status_due', ['status', 'approve_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_commissions_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('referral_commission_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commission_id', sa.Integer(), nullable=False),
    sa.Column('sharer_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount_satang', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payout_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['referral_commissions.id'], name=op.f('fk_referral_commission_entries_commission_id_referral_commissions')),
    sa.ForeignKeyConstraint(['payout_id'], ['referral_payouts.id'], name=op.f('fk_referral_commission_entries_payout_id_referral_payouts')),
    sa.ForeignKeyConstraint(['sharer_id'], ['referral_sharers.id'], name=op.f('fk_referral_commission_entries_sharer_id_referral_sharers')),
    sa.ForeignKeyConstraint(['vendor_id'], ['market_vendors.id'], name=op.f('fk_referral_commission_entries_vendor_id_market_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_commission_entries'))
    )
    with op.batch_alter_table('referral_commission_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_commission_entries_commission_id'), ['commission_id'], unique=False)
        batch_op.create_index('ix_referral_commission_entries_sharer_status', ['sharer_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_commission_entries_vendor_id'), ['vendor_id'], unique=False)

    with op.batch_alter_table('market_products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commission_percent', sa.Integer(), nullable=True))

    with op.batch_alter_table('market_vendors', schema=None) as batch_op:
        # Existing shops charge no delivery fee until they set one.
        batch_op.add_column(sa.Column('delivery_fees', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                                      nullable=False, server_default=sa.text("'{}'")))



def downgrade() -> None:
    with op.batch_alter_table('market_vendors', schema=None) as batch_op:
        batch_op.drop_column('delivery_fees')

    with op.batch_alter_table('market_products', schema=None) as batch_op:
        batch_op.drop_column('commission_percent')

    with op.batch_alter_table('referral_commission_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_commission_entries_vendor_id'))
        batch_op.drop_index('ix_referral_commission_entries_sharer_status')
        batch_op.drop_index(batch_op.f('ix_referral_commission_entries_commission_id'))

    op.drop_table('referral_commission_entries')
    with op.batch_alter_table('referral_commissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_commissions_vendor_id'))
        batch_op.drop_index('ix_referral_commissions_status_due')
        batch_op.drop_index(batch_op.f('ix_referral_commissions_status'))
        batch_op.drop_index(batch_op.f('ix_referral_commissions_sharer_id'))

    op.drop_table('referral_commissions')
    with op.batch_alter_table('market_sales', schema=None) as batch_op:
        batch_op.drop_index('ix_market_sales_vendor_sold')
        batch_op.drop_index(batch_op.f('ix_market_sales_product_id'))
        batch_op.drop_index(batch_op.f('ix_market_sales_order_id'))
        batch_op.drop_index('ix_market_sales_district_sold')
        batch_op.drop_index('ix_market_sales_channel_sold')

    op.drop_table('market_sales')
    with op.batch_alter_table('referral_touches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_touches_link_id'))
        batch_op.drop_index('ix_referral_touches_buyer_product_at')

    op.drop_table('referral_touches')
    with op.batch_alter_table('referral_clicks', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_clicks_link_visitor_at')
        batch_op.drop_index(batch_op.f('ix_referral_clicks_clicked_at'))

    op.drop_table('referral_clicks')
    with op.batch_alter_table('market_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_market_orders_vendor_placed')
        batch_op.drop_index('ix_market_orders_status_shipped')
        batch_op.drop_index(batch_op.f('ix_market_orders_status'))
        batch_op.drop_index(batch_op.f('ix_market_orders_referral_link_id'))
        batch_op.drop_index(batch_op.f('ix_market_orders_product_id'))
        batch_op.drop_index('ix_market_orders_buyer_placed')

    op.drop_table('market_orders')
    with op.batch_alter_table('referral_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_links_sharer_id'))
        batch_op.drop_index(batch_op.f('ix_referral_links_product_id'))

    op.drop_table('referral_links')
    with op.batch_alter_table('referral_payouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_payouts_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_referral_payouts_sharer_id'))

    op.drop_table('referral_payouts')
    with op.batch_alter_table('referral_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_flags_status'))
        batch_op.drop_index(batch_op.f('ix_referral_flags_sharer_id'))

    op.drop_table('referral_flags')
    op.drop_table('referral_sharers')
