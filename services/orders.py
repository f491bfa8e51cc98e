"""Order rules: placing (stock, delivery fee, total), the life of an order and who may move it, and the notices
each change sends the other party."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.platform import Citizen


def export_personal_data(session: Session, citizen: Citizen) -> dict:
    return {}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    return None
