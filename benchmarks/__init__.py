"""Benchmarks of saleor-cart-takeover against Saleor's own paths (issue 6)."""
