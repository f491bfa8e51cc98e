"""support cases: a citizen's conversation with staff, its messages, and staff who want a notice of new cases

Revision ID: 0008_support_cases
Revises: 0002_media
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0008_support_cases'
down_revision = '0002_media'  # support_messages.image_id refers to media_images
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assignee', sa.String(length=64), nullable=True),
    sa.Column('display_name', sa.String(length=100), nullable=True),
    sa.Column('opened_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_answer_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_message_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=16), nullable=True),
    sa.Column('reply_token', sa.String(length=255), nullable=True),
    sa.Column('reply_token_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_cases'))
    )
    with op.batch_alter_table('support_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_cases_line_user_id'), ['line_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_cases_status'), ['status'], unique=False)
        batch_op.create_index('ix_support_cases_user_status', ['line_user_id', 'status'], unique=False)
        batch_op.create_index('ix_support_cases_status_last', ['status', 'last_message_at'], unique=False)

    op.create_table('support_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_staff', sa.Boolean(), nullable=False),
    sa.Column('staff_line_user_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('webhook_event_id', sa.String(length=64), nullable=True),
    sa.Column('sent_as', sa.String(length=16), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['support_cases.id'], name=op.f('fk_support_messages_case_id_support_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['image_id'], ['media_images.id'],
                            name=op.f('fk_support_messages_image_id_media_images'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_messages')),
    sa.UniqueConstraint('webhook_event_id', name=op.f('uq_support_messages_webhook_event_id'))
    )
    with op.batch_alter_table('support_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_messages_case_id'), ['case_id'], unique=False)

    op.create_table('support_case_notices',
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('line_user_id', name=op.f('pk_support_case_notices'))
    )


def downgrade() -> None:
    op.drop_table('support_case_notices')
    with op.batch_alter_table('support_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_messages_case_id'))
    op.drop_table('support_messages')
    with op.batch_alter_table('support_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_support_cases_status_last')
        batch_op.drop_index('ix_support_cases_user_status')
        batch_op.drop_index(batch_op.f('ix_support_cases_status'))
        batch_op.drop_index(batch_op.f('ix_support_cases_line_user_id'))
    op.drop_table('support_cases')
