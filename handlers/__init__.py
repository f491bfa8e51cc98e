"""Every feature's router, in matching order (first match wins). Features add theirs here."""

from __future__ import annotations

from bot.router import Router


def all_routers() -> list[Router]:
    from handlers import platform

    # The platform router goes last: its help and cancel answers are the catch-alls.
    return [platform.router]


def help_handlers():
    from handlers import platform

    return platform.help_handler, platform.stale_handler
