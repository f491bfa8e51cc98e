"""Commission rules: created when an attributed order is accepted, held for staff when the buyer looks like the
sharer, approved after the hold period, paid when the vendor records a payout, reversed on cancellation or refund
(clawed back from the next payout if already paid). The ledger is append-only; balances are derived from it."""

from __future__ import annotations
