"""`python -m saleor_cart_takeover demo`: a local Saleor with the plugin, its
dashboard app and sample data, on an embedded PostgreSQL unless DATABASE_URL is set."""
