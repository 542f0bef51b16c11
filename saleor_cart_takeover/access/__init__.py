"""Who may take over carts: authentication, grants and rate limits."""
