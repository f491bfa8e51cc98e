"""All tables. Importing this package imports every module in it, so each model is on Base.metadata
(Alembic and the tests rely on that). A feature adds `models/<feature>.py`; nothing here needs editing."""

import importlib
import pkgutil

from models.base import Base, utcnow
from models.platform import Citizen, Conversation, InboundEvent, OutboxMessage, StaffLoginToken, StaffMember

for _info in pkgutil.iter_modules(__path__):
    if _info.name not in ("db", "migrate"):
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = [
    "Base", "utcnow", "Citizen", "Conversation", "InboundEvent", "OutboxMessage", "StaffLoginToken", "StaffMember",
]
