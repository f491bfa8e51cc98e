"""Thai copy for share-and-earn."""
