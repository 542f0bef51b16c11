"""The query and time budgets of issue 6: one home for the tests and the benchmarks.

`tests/test_query_counts.py` asserts them on every test run; `python -m benchmarks`
checks them against the numbers it measures.
"""

# "Add Items to Order" (the domain function), whatever the number of lines.
COPY_MAX_QUERIES = 25
# The fork beats Saleor's `orderLinesCreate` at least this much at 50 lines.
COPY_MIN_SPEEDUP_AT_50 = 2.0
# The CSR's cart view (`takeoverSession { cart { lines ... } }`).
CART_VIEW_MAX_QUERIES = 15
# What the plugin's two hooks may add to the shopper's `checkoutComplete`.
COMPLETE_MAX_EXTRA_QUERIES = 2
# Storefront requests with the plugin active, relative to without it.
STOREFRONT_MAX_TIME_RATIO = 1.05
