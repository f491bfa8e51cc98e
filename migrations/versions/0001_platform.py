"""platform tables

Revision ID: 0001_platform
Revises:
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import models.base
from sqlalchemy.dialects import postgresql

revision = '0001_platform'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('citizens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('is_following', sa.Boolean(), nullable=False),
    sa.Column('followed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unfollowed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('district', sa.String(length=32), nullable=True),
    sa.Column('age_group', sa.String(length=16), nullable=True),
    sa.Column('interests', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('privacy_notice_version', sa.String(length=16), nullable=True),
    sa.Column('privacy_notice_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizens')),
    sa.UniqueConstraint('line_user_id', name=op.f('uq_citizens_line_user_id'))
    )
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizens_district'), ['district'], unique=False)

    op.create_table('conversations',
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('flow', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('started_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('line_user_id', name=op.f('pk_conversations'))
    )
    op.create_table('inbound_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_event_id', sa.String(length=64), nullable=False),
    sa.Column('source_key', sa.String(length=80), nullable=False),
    sa.Column('event_type', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('available_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=36), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('processed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_events')),
    sa.UniqueConstraint('webhook_event_id', name=op.f('uq_inbound_events_webhook_event_id'))
    )
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_events_due', ['status', 'available_at'], unique=False)
        batch_op.create_index('ix_inbound_events_source_order', ['source_key', 'id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('retry_key', sa.String(length=36), nullable=False),
    sa.Column('reply_token', sa.String(length=255), nullable=True),
    sa.Column('recipients', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('messages', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('options', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('available_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=36), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('line_request_id', sa.String(length=64), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['outbox_messages.id'], name=op.f('fk_outbox_messages_replaced_by_id_outbox_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('retry_key', name=op.f('uq_outbox_messages_retry_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_due', ['status', 'available_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_source'), ['source'], unique=False)

    op.create_table('staff_login_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_login_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_login_tokens_token_hash'))
    )
    with op.batch_alter_table('staff_login_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_login_tokens_line_user_id'), ['line_user_id'], unique=False)

    op.create_table('staff_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('granted_by', sa.String(length=64), nullable=True),
    sa.Column('granted_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members')),
    sa.UniqueConstraint('line_user_id', name=op.f('uq_staff_members_line_user_id'))
    )



def downgrade() -> None:

    op.drop_table('staff_members')
    with op.batch_alter_table('staff_login_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_login_tokens_line_user_id'))

    op.drop_table('staff_login_tokens')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_source'))
        batch_op.drop_index('ix_outbox_messages_due')

    op.drop_table('outbox_messages')
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_source_order')
        batch_op.drop_index('ix_inbound_events_due')

    op.drop_table('inbound_events')
    op.drop_table('conversations')
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizens_district'))

    op.drop_table('citizens')

