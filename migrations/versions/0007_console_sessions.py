"""console sessions kept on the server; index for counting sent messages

Revision ID: 0007_console_sessions
Revises: 0001_platform
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0007_console_sessions'
down_revision = '0001_platform'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_console_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_console_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_console_sessions_token_hash'))
    )
    with op.batch_alter_table('staff_console_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_console_sessions_line_user_id'), ['line_user_id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_sent', ['status', 'sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_sent')

    with op.batch_alter_table('staff_console_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_console_sessions_line_user_id'))

    op.drop_table('staff_console_sessions')
