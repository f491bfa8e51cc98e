"""Thai copy for sales records."""
