"""All tables. Importing this package registers every model on Base.metadata (Alembic relies on it)."""

from models.base import Base, utcnow
from models.platform import Citizen, Conversation, InboundEvent, OutboxMessage, StaffLoginToken, StaffMember

__all__ = [
    "Base", "utcnow", "Citizen", "Conversation", "InboundEvent", "OutboxMessage", "StaffLoginToken", "StaffMember",
]
