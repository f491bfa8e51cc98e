"""Every feature's chat router, in one explicit list: the order of ROUTERS is the order of matching (first match
wins), read here rather than from numbers scattered across modules.

- support first: while a person has an open case, their unmatched messages go to staff before anything else guesses;
- features by how specific their words and patterns are; orders before the market, whose catalog search (a
  fallback for free text) would otherwise take the product page's pre-filled order text;
- platform last: its help and cancel answers are the catch-alls.
A new feature adds its module here (tests/platform/test_wiring.py fails for a router that is not listed).
"""

from __future__ import annotations

from bot.router import Router


def all_routers() -> list[Router]:
    from handlers import (
        announce,
        buyer_feedback,
        citizens,
        earnings,
        market,
        market_review,
        market_vendor,
        orders,
        orders_vendor,
        platform,
        projects,
        referrals,
        sales,
        staff_invite,
        support,
        surveys,
        trainings,
    )

    return [support.router, trainings.router, staff_invite.router, citizens.router, surveys.router, announce.router,
            referrals.router, orders.router, orders_vendor.router, earnings.router, sales.router,
            projects.router, market.router, market_vendor.router, market_review.router,
            buyer_feedback.router, platform.router]


def help_handlers():
    from handlers import platform

    return platform.help_handler, platform.stale_handler


def before_batch():  # noqa: ANN201 - a callable for bot.router.Bot
    """What the worker calls before handling a batch: reads the batch's citizens in one query."""
    from services import citizens

    return citizens.preload
