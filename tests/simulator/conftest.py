"""Fixtures for the chat simulator's backend tests (the rig itself is in rig.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.simulator.rig import SimulatorRig, build_rig


@pytest.fixture
def sim() -> Iterator[SimulatorRig]:
    """The simulator posting to a live fake /callback; the test client drives the simulator's API."""
    yield from build_rig()
