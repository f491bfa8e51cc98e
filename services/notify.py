"""Outgoing messages from services: written to the outbox in the caller's transaction, sent after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from models.outbox import enqueue
from models.platform import OutboxMessage
from services.citizens import following_ids


def push(session: Session, line_user_id: str, messages: Sequence[dict], now: datetime,
         source: str | None = None) -> OutboxMessage | None:
    """Pushes up to 5 messages to one user, unless they have unfollowed."""
    if not following_ids(session, [line_user_id]):
        return None
    return enqueue(session, "push", messages, now=now, recipients=[line_user_id], source=source)[0]


def multicast(session: Session, line_user_ids: Sequence[str], messages: Sequence[dict], now: datetime,
              source: str | None = None, *, already_filtered: bool = False) -> list[OutboxMessage]:
    """Sends to many users in batches of 500. Pass already_filtered=True when the query excluded unfollowers."""
    ids = list(dict.fromkeys(line_user_ids))
    if not already_filtered:
        ids = following_ids(session, ids)
    if not ids:
        return []
    return enqueue(session, "multicast", messages, now=now, recipients=ids, source=source)


def broadcast(session: Session, messages: Sequence[dict], now: datetime, source: str | None = None,
              recipient_count: int = 0) -> OutboxMessage:
    """Sends to every follower of the account (LINE knows who they are)."""
    return enqueue(session, "broadcast", messages, now=now, source=source, recipient_count=recipient_count)[0]
