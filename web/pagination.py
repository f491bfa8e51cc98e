"""Keyset pagination on an integer id: stable under inserts (no row is skipped or shown twice).

    rows, next_cursor = keyset_page(session, select(Citizen).where(...), Citizen.id, limit=50, cursor=cursor)

Cursors are opaque to clients (base64 of a versioned id); `decode_cursor` raises ValueError on anything else.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

_PREFIX = "id1:"


def encode_cursor(last_id: int) -> str:
    """An opaque cursor meaning 'after the row with this id'."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{int(last_id)}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id inside a cursor made by encode_cursor; ValueError if it is not one."""
    if not cursor or len(cursor) > 64:
        raise ValueError("bad cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError("bad cursor") from exc
    if not raw.startswith(_PREFIX) or not raw[len(_PREFIX):].isdigit():
        raise ValueError("bad cursor")
    return int(raw[len(_PREFIX):])


def keyset_page(session: Session, stmt: Select, id_column: InstrumentedAttribute, *, limit: int,
                cursor: str | None = None, descending: bool = False) -> tuple[list[Any], str | None]:
    """Runs `stmt` (a select of ORM rows) for one page ordered by `id_column`; returns (rows, next_cursor).

    Ascending order (the API's default) means rows inserted while a client walks the list show up on a later
    page; `descending=True` (newest first, for screens) means they show up only when the walk starts again.
    """
    if cursor:
        after = decode_cursor(cursor)
        stmt = stmt.where(id_column < after if descending else id_column > after)
    order = id_column.desc() if descending else id_column.asc()
    rows = list(session.scalars(stmt.order_by(None).order_by(order).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(getattr(rows[-1], id_column.key))
