"""Support tests reuse the console sign-in fixtures of the web tests."""

from tests.web.conftest import admin_client  # noqa: F401 - a fixture
