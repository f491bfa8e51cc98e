"""Citizen tests reuse the project helpers (following a project is personal data too)."""

from tests.projects.conftest import make_project  # noqa: F401
