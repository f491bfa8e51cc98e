"""Thai copy for commissions and payouts."""
