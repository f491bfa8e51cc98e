"""PromptPay QR payloads (EMVCo merchant-presented, Thai QR Payment) and their images."""

from __future__ import annotations
