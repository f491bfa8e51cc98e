"""Report tests share the console's signed-in client and the real-browser fixtures."""

from __future__ import annotations

from tests.browser.conftest import browser, page_errors, served_test_app  # noqa: F401  (fixtures, used by name)
from tests.web.conftest import admin_client  # noqa: F401  (a fixture, used by name)
