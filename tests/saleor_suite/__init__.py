"""Saleor's own test suite, run with the cart-takeover plugin installed and active.

Used by `scripts/saleor-suite` (docs/saleor-suite.md); nothing here is collected
by the project's own suite.
"""
