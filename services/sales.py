"""The sales ledger: online orders at receipt, traditional sales recorded by vendors and staff (one validation for
chat, console, CSV and API), and the figures reports compare."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.platform import Citizen


def export_personal_data(session: Session, citizen: Citizen) -> dict:
    return {}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    return None
