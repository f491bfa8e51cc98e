"""Flex builders for share-and-earn: the share card of a product link. Pure: values in, JSON out."""

from __future__ import annotations
