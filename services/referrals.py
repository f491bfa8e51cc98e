"""Share-and-earn rules: members and their payout ID, personal links, counting clicks, codes brought into chat,
attribution of an order to the last one, and flags for clicks no orders explain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.platform import Citizen


def export_personal_data(session: Session, citizen: Citizen) -> dict:
    return {}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    return None
