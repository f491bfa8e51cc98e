"""Report tests share the console's signed-in client and the real-browser fixtures."""

from __future__ import annotations

from tests.web.conftest import admin_client  # noqa: F401  (a fixture, used by name)
