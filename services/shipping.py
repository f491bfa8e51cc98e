"""Carriers: one table of names, tracking number formats and tracking page addresses."""

from __future__ import annotations
