"""market vendors: the shop's LINE link, where buyers chat with the shop

Revision ID: 0010_vendor_line_link
Revises: 0005_market
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_vendor_line_link'
down_revision = '0005_market'  # adds a column to market_vendors, which 0005_market creates
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('market_vendors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_url', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('market_vendors', schema=None) as batch_op:
        batch_op.drop_column('line_url')
