"""event lanes: claiming that stays cheap whatever the backlog

Revision ID: 0006_event_lanes
Revises: 0001_platform
Create Date: 2026-12-04

Every unfinished event belongs to a lane (its source). A trigger adds the lane in the same statement that stores
the event, so no insert path (the webhook, a test, a console retry) can leave an event nobody will claim. On
PostgreSQL an existing lane is locked by that insert, which is what lets a worker decide safely that a lane is
empty (see bot/event_store.py `release_lanes`).
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0006_event_lanes'
down_revision = '0001_platform'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'processing')")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION inbound_events_lane() RETURNS trigger AS $$
BEGIN
    IF NEW.status IN ('pending', 'processing') THEN
        -- DO UPDATE with a false condition: nothing changes, but an existing lane is locked until we commit.
        INSERT INTO event_lanes (source_key, ready_at) VALUES (NEW.source_key, NEW.available_at)
        ON CONFLICT (source_key) DO UPDATE SET ready_at = event_lanes.ready_at WHERE false;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER inbound_events_lane AFTER INSERT ON inbound_events
FOR EACH ROW EXECUTE FUNCTION inbound_events_lane()
"""
SQLITE_TRIGGER = """
CREATE TRIGGER inbound_events_lane AFTER INSERT ON inbound_events
WHEN NEW.status IN ('pending', 'processing')
BEGIN
    INSERT OR IGNORE INTO event_lanes (source_key, ready_at) VALUES (NEW.source_key, NEW.available_at);
END
"""


def upgrade() -> None:
    op.create_table('event_lanes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=80), nullable=False),
    sa.Column('ready_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_lanes')),
    sa.UniqueConstraint('source_key', name=op.f('uq_event_lanes_source_key'))
    )
    with op.batch_alter_table('event_lanes', schema=None) as batch_op:
        batch_op.create_index('ix_event_lanes_ready', ['ready_at', 'id'], unique=False)
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_due')
        batch_op.create_index('ix_inbound_events_open', ['source_key', 'id'], unique=False,
                              sqlite_where=OPEN, postgresql_where=OPEN)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        op.execute(SQLITE_TRIGGER)
    # Events already waiting get their lanes.
    op.execute("INSERT INTO event_lanes (source_key, ready_at) SELECT source_key, MIN(available_at) "
               "FROM inbound_events WHERE status IN ('pending', 'processing') GROUP BY source_key "
               "ORDER BY MIN(id)")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS inbound_events_lane" +
               (" ON inbound_events" if op.get_bind().dialect.name == 'postgresql' else ""))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS inbound_events_lane()")
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_open', sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('ix_inbound_events_due', ['status', 'available_at'], unique=False)
    with op.batch_alter_table('event_lanes', schema=None) as batch_op:
        batch_op.drop_index('ix_event_lanes_ready')
    op.drop_table('event_lanes')
