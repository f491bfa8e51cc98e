"""media images

Revision ID: 0002_media
Revises: 0001_platform
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0002_media'
down_revision = '0001_platform'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('media_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('owner_key', sa.String(length=80), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('display_jpeg', sa.LargeBinary(), nullable=True),
    sa.Column('thumb_jpeg', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_images'))
    )
    with op.batch_alter_table('media_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_images_owner_key'), ['owner_key'], unique=False)


def downgrade() -> None:

    with op.batch_alter_table('media_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_images_owner_key'))

    op.drop_table('media_images')

