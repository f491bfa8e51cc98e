"""Every feature's router, found by scanning this package: a module with a `router` is a feature.

Matching order is by `Router.order` (lower first; first match wins). The platform router has the highest order:
its help and cancel answers are the catch-alls.
"""

from __future__ import annotations

import importlib
import pkgutil

from bot.router import Router


def all_routers() -> list[Router]:
    routers = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, Router):
            routers.append(router)
    return sorted(routers, key=lambda r: (r.order, r.name))


def help_handlers():
    from handlers import platform

    return platform.help_handler, platform.stale_handler


def before_batch():  # noqa: ANN201 - a callable for bot.router.Bot
    """What the worker calls before handling a batch: reads the batch's citizens in one query."""
    from services import citizens

    return citizens.preload
