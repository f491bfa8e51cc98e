"""Every feature's chat router, in one explicit list: the order of ROUTERS is the order of matching (first match
wins), read here rather than from numbers scattered across modules.

- support first: while a person has an open case, their unmatched messages go to staff before anything else guesses;
- features by how specific their words and patterns are, the market's catalog search (a fallback) late;
- platform last: its help and cancel answers are the catch-alls.
A new feature adds its module here (tests/platform/test_wiring.py fails for a router that is not listed).
"""

from __future__ import annotations

from bot.router import Router


def all_routers() -> list[Router]:
    from handlers import (
        announce,
        citizens,
        market,
        market_review,
        market_vendor,
        platform,
        projects,
        staff_invite,
        support,
        surveys,
        trainings,
    )

    return [support.router, trainings.router, staff_invite.router, citizens.router, surveys.router, announce.router,
            projects.router, market.router, market_vendor.router, market_review.router, platform.router]


def help_handlers():
    from handlers import platform

    return platform.help_handler, platform.stale_handler


def before_batch():  # noqa: ANN201 - a callable for bot.router.Bot
    """What the worker calls before handling a batch: reads the batch's citizens in one query."""
    from services import citizens

    return citizens.preload
