"""Writes outbox rows. Callers do it inside the transaction of the change that causes the message."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from models.platform import OutboxMessage

MAX_MESSAGES_PER_REQUEST = 5
MAX_MULTICAST_IDS = 500

KINDS = ("reply", "push", "multicast", "broadcast", "narrowcast")


def _mark_written(session: Session) -> None:
    # The dispatcher listens for commits that wrote outbox rows and wakes up at once.
    session.info["outbox_written"] = True


def enqueue(session: Session, kind: str, messages: Sequence[dict], *, now: datetime,
            recipients: Sequence[str] = (), reply_token: str | None = None, options: dict | None = None,
            source: str | None = None, recipient_count: int | None = None) -> list[OutboxMessage]:
    """Adds rows for one send: multicasts are split into batches of 500 ids. Each row gets its retry key now."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind}")
    if not messages:
        return []
    if len(messages) > MAX_MESSAGES_PER_REQUEST:
        raise ValueError(f"{len(messages)} messages: LINE takes at most {MAX_MESSAGES_PER_REQUEST} per request")
    if kind in ("push", "reply") and len(recipients) != 1:
        raise ValueError(f"{kind} needs exactly one recipient")
    batches: list[list[str]]
    if kind == "multicast":
        unique = list(dict.fromkeys(recipients))
        batches = [unique[i:i + MAX_MULTICAST_IDS] for i in range(0, len(unique), MAX_MULTICAST_IDS)]
    else:
        batches = [list(recipients)]
    rows = []
    for batch in batches:
        row = OutboxMessage(
            kind=kind, retry_key=str(uuid.uuid4()), reply_token=reply_token, recipients=batch,
            recipient_count=recipient_count if recipient_count is not None else len(batch),
            messages=list(messages), options=dict(options or {}), source=source, status="pending",
            attempts=0, available_at=now, created_at=now,
        )
        session.add(row)
        rows.append(row)
    _mark_written(session)
    return rows


def request_body(row: OutboxMessage) -> dict:
    """The JSON body LINE expects for this row."""
    body: dict = {"messages": row.messages}
    if row.kind == "reply":
        body["replyToken"] = row.reply_token
    elif row.kind == "push":
        body["to"] = row.recipients[0]
    elif row.kind == "multicast":
        body["to"] = row.recipients
    elif row.kind == "narrowcast":
        for key in ("recipient", "filter", "limit"):
            if key in row.options:
                body[key] = row.options[key]
    if row.options.get("notificationDisabled"):
        body["notificationDisabled"] = True
    return body
