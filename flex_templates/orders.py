"""Flex builders for orders: order summary, shop notice, status list. Pure: values in, JSON out."""

from __future__ import annotations
