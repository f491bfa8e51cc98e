"""catalog search: refold the stored search text of every product (Thai spaces and mark order)

Revision ID: 0012_catalog_search
Revises: 0005_market
Create Date: 2026-12-04

market_products.search_text used to be the lowercased name, description and shop name. Search now compares a
fold of both sides (services/thai_text.py: no spaces between Thai words, marks in spelling order, sara am whole,
…), so the rows stored before are refolded here; services/products.py keeps new rows folded. No column changes:
it branches from 0005_market, which made the table.
"""

from alembic import op
import sqlalchemy as sa

from services.thai_text import searchable


revision = '0012_catalog_search'
down_revision = '0005_market'
branch_labels = None
depends_on = None

BATCH = 500

products = sa.table('market_products', sa.column('id', sa.Integer), sa.column('vendor_id', sa.Integer),
                    sa.column('name', sa.String), sa.column('description', sa.Text),
                    sa.column('search_text', sa.Text))
vendors = sa.table('market_vendors', sa.column('id', sa.Integer), sa.column('shop_name', sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(products.c.id, products.c.name, products.c.description, products.c.search_text,
                      vendors.c.shop_name)
            .select_from(products.outerjoin(vendors, vendors.c.id == products.c.vendor_id))
            .where(products.c.id > last).order_by(products.c.id).limit(BATCH)).all()
        if not rows:
            break
        changed = []
        for row in rows:
            folded = searchable(row.name or "", row.description or "", row.shop_name or "")
            if folded != row.search_text:
                changed.append({"pid": row.id, "folded": folded})
        if changed:
            connection.execute(products.update().where(products.c.id == sa.bindparam('pid'))
                               .values(search_text=sa.bindparam('folded')), changed)
        last = rows[-1].id


def downgrade() -> None:
    # The lowercased form the earlier code wrote (its search still finds what it found before).
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(products.c.id, products.c.name, products.c.description, vendors.c.shop_name)
        .select_from(products.outerjoin(vendors, vendors.c.id == products.c.vendor_id))).all()
    for row in rows:
        connection.execute(products.update().where(products.c.id == row.id).values(
            search_text=f"{row.name}\n{row.description}\n{row.shop_name or ''}".lower()))
