"""Writes outbox rows. Callers do it inside the transaction of the change that causes the message."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, insert, text
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
    return message_body(row.kind, row.messages, reply_token=row.reply_token, recipients=row.recipients,
                        options=row.options)


def message_body(kind: str, messages: list, *, reply_token: str | None = None, recipients: Sequence[str] = (),
                 options: dict | None = None) -> dict:
    """The JSON body LINE expects for a send of `kind` (the outbox row's fields, whether or not it is loaded)."""
    body: dict = {"messages": messages}
    options = options or {}
    if kind == "reply":
        body["replyToken"] = reply_token
    elif kind == "push":
        body["to"] = recipients[0]
    elif kind == "multicast":
        body["to"] = list(recipients)
    elif kind == "narrowcast":
        for key in ("recipient", "filter", "limit"):
            if key in options:
                body[key] = options[key]
    if options.get("notificationDisabled"):
        body["notificationDisabled"] = True
    return body


# PostgreSQL: the whole batch as one JSON document, so the statement text is the same for any batch size and
# the client encodes it in one call. As a multi-row VALUES list (16 answers × 14 columns) psycopg re-parsed the
# statement on every batch (it caches only statements of at most 50 parameters): a tenth of a worker's CPU.
_BATCH_INSERT = text(
    "INSERT INTO outbox_messages (kind, retry_key, reply_token, recipients, recipient_count, messages, options, "
    "source, status, attempts, available_at, created_at, claim_token, locked_until) "
    "SELECT t.kind, t.retry_key, t.reply_token, t.recipients, 1, t.messages, CAST('{}' AS JSONB), t.source, "
    "'sending', 0, :now, :now, :token, :until "
    "FROM jsonb_to_recordset(CAST(:rows AS JSONB)) "
    "AS t(kind TEXT, retry_key TEXT, reply_token TEXT, recipients JSONB, messages JSONB, source TEXT) "
    "RETURNING id, retry_key"
).bindparams(bindparam("now", type_=OutboxMessage.__table__.c.created_at.type),
             bindparam("until", type_=OutboxMessage.__table__.c.locked_until.type))


def insert_claimed(session: Session, rows: list[dict], now: datetime, token: str, until: datetime) -> list[int]:
    """Writes one-recipient rows (replies and pushes) already claimed for sending by `token` until `until`.

    Each row gives kind, retry_key, reply_token, recipients, messages and source. Returns their ids, in order.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        result = session.execute(_BATCH_INSERT, {"now": now, "token": token, "until": until,
                                                 "rows": json.dumps(rows, ensure_ascii=False)})
        found = {retry_key: row_id for row_id, retry_key in result}
        return [found[r["retry_key"]] for r in rows]
    table = OutboxMessage.__table__
    values = [{**r, "recipient_count": len(r["recipients"]), "options": {}, "status": "sending", "attempts": 0,
               "available_at": now, "created_at": now, "claim_token": token, "locked_until": until} for r in rows]
    return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).scalars())
