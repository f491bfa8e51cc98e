"""The web layer (console, public pages, REST API) in two explicit lists.

`web.modules()` is what app wiring registers (each module's `register(app)`), in order, and where the console finds
its menu (`CONSOLE_NAV`) and its overview's counts (`CONSOLE_WAITING`). `web.api_modules()` holds the features'
REST resources (module-level `ApiRouter`s), served by web/api.py in that order. A new web module adds itself to one
of them (tests/platform/test_wiring.py fails for one that is left out).
"""

from __future__ import annotations

from types import ModuleType


def modules() -> list[ModuleType]:
    """Every web module with a `register(app)`, in registration order: first what all pages share (the console's
    furniture, Jinja filters and error pages, the header policy), then the API, then the features' pages."""
    from web import (
        api,
        checkin,
        console,
        console_announcements,
        console_audit,
        console_channels,
        console_commissions,
        console_inbox,
        console_limits,
        console_market,
        console_orders,
        console_projects,
        console_reports,
        console_sales,
        console_surveys,
        console_trainings,
        headers,
        media,
        og,
        public_feeds,
        public_market,
        public_orders,
        public_projects,
        public_referrals,
        public_results,
        public_trainings,
        report_pdfs,
    )

    return [console, headers, api, media, checkin, console_inbox, console_projects, console_announcements,
            console_trainings, console_surveys, console_market, console_orders, console_commissions, console_sales,
            console_limits, console_audit, console_reports, console_channels, public_projects, public_trainings,
            public_market, public_referrals, public_orders, public_results, og, report_pdfs, public_feeds]


def api_modules() -> list[ModuleType]:
    """The features' REST API modules, in the order their resources appear in the OpenAPI document (by name, as
    integrators have seen it)."""
    from web import (
        api_market,
        api_orders,
        api_projects,
        api_referrals,
        api_reports,
        api_sales,
        api_support,
        api_surveys,
        api_trainings,
    )

    return [api_market, api_orders, api_projects, api_referrals, api_reports, api_sales, api_support, api_surveys,
            api_trainings]
