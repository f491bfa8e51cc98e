"""Thai copy for orders (buyer and shop)."""
