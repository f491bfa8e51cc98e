"""Chat simulator: a LINE-like chat page at /simulator for trying every bot flow without a LINE channel.

The page acts as a LINE user. Whatever the user does becomes a real webhook event, signed with the channel
secret and POSTed over HTTP to the bot's `/callback` (so signature checking and the whole async pipeline run
exactly as in production). The bot's answers reach the emulator store as deliveries; the page polls a merged
timeline of "what this user sent" (kept here, bounded) and "what the bot delivered" (the store). With an archive
(line_emulator.archive.ChatArchive, the embedded default) both sides survive a restart.

App wiring may hand in `make_admin` and `staff_roles`: the simulator never imports the app's services, it only
calls what it was given ("ทำให้เป็นผู้ดูแล" makes a simulated user an admin of the app in emulator mode).
"""

from line_emulator.simulator.routes import MakeAdmin, SimulatorStore, StaffRoles, create_simulator_blueprint
from line_emulator.simulator.sent_log import SentLog
from line_emulator.simulator.texts import OA_NAME, PLACES, TEXTS

__all__ = [
    "OA_NAME",
    "PLACES",
    "TEXTS",
    "MakeAdmin",
    "SentLog",
    "SimulatorStore",
    "StaffRoles",
    "create_simulator_blueprint",
]
