"""rate limits: counts per action, subject and window; who hit a limit

Revision ID: 0013_rate_limits
Revises: 0001_platform
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0013_rate_limits'
down_revision = '0001_platform'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=160), nullable=False),
    sa.Column('window_start', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_counts')),
    sa.UniqueConstraint('action', 'subject', 'window_start', name='uq_action_counts_window')
    )
    with op.batch_alter_table('action_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_counts_window_start'), ['window_start'], unique=False)

    op.create_table('limit_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=160), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=True),
    sa.Column('limit', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_hits'))
    )
    with op.batch_alter_table('limit_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_limit_hits_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_limit_hits_line_user_id'), ['line_user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('limit_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_limit_hits_line_user_id'))
        batch_op.drop_index(batch_op.f('ix_limit_hits_at'))
    op.drop_table('limit_hits')
    with op.batch_alter_table('action_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_counts_window_start'))
    op.drop_table('action_counts')
