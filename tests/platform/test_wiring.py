"""The wiring lists are complete: every router, web module, API router, jobs module and personal-data module of the
code base is in its one explicit list (handlers.all_routers, web.modules, scheduler.jobs.all_jobs,
services.privacy.feature_modules), once, in an order that holds what matters."""

from __future__ import annotations

import importlib
import pkgutil

import handlers
import scheduler
import services
import web
from bot.router import Router
from scheduler.jobs import all_jobs
from services import privacy
from web.api import all_routers as api_routers
from web.openapi import ApiRouter


def _modules(package):
    return [importlib.import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]


def test_every_chat_router_is_listed_once_support_first_platform_last():
    listed = handlers.all_routers()
    defined = [m.router for m in _modules(handlers) if isinstance(getattr(m, "router", None), Router)]
    assert sorted(r.name for r in listed) == sorted(r.name for r in defined)
    assert len({id(r) for r in listed}) == len(listed)
    assert listed[0].name == "support" and listed[-1].name == "platform"
    names = [r.name for r in listed]
    assert names.index("market") < names.index("market_vendor") < names.index("market_review")


def test_every_web_module_that_serves_something_is_registered():
    listed = web.modules()
    serving = [m for m in _modules(web) if callable(getattr(m, "register", None))]
    assert {m.__name__ for m in listed} == {m.__name__ for m in serving}
    assert listed[0].__name__ == "web.console"  # the shared console furniture and error pages first
    served = api_routers()
    for module in _modules(web):
        for value in vars(module).values():
            if isinstance(value, ApiRouter):
                assert any(value is r for r in served), f"{module.__name__} defines an ApiRouter nobody serves"


def test_every_jobs_module_is_scheduled():
    names = {job.name for job in all_jobs()}
    for module in _modules(scheduler):
        if module.__name__.rsplit(".", 1)[-1].startswith("jobs_"):
            assert {job.name for job in module.JOBS} <= names, module.__name__


def test_every_module_that_keeps_personal_data_is_exported_and_erased():
    listed = privacy.feature_modules()
    keeping = [m for m in _modules(services) if m is not privacy
               and callable(getattr(m, "export_personal_data", None)) and callable(getattr(m, "erase_personal_data", None))]
    assert {m.__name__ for m in listed} == {m.__name__ for m in keeping}
    names = [m.__name__ for m in listed]
    assert names.index("services.listings") < names.index("services.vendors")  # products go before their shop
    # commissions find the sharer by LINE id, which referrals' erasure forgets
    assert names.index("services.commissions") < names.index("services.referrals")
