"""The query and time budgets of issue 6: one home for the tests and the benchmarks.

`tests/test_query_counts.py` asserts them on every test run; `python -m benchmarks`
checks them against the numbers it measures.
"""

# "Add Items to Order" (the domain function), whatever the number of lines:
# the HTTP request's 18 (below) less its 4 authenticating and 1 channel
# check, plus the SAVEPOINT pair the suite's transaction adds (it was 25).
COPY_MAX_QUERIES = 15
# The fork beats Saleor's `orderLinesCreate` at least this much at 50 lines.
COPY_MIN_SPEEDUP_AT_50 = 2.0
# Issue 21, over the plugin's HTTP endpoint as the benchmark sends them
# (benchmarks/documents.py): SQL statements of the whole request, after-commit
# events included, from 2 cart lines to 50 (the test suite leaves out the
# SAVEPOINTs its own transaction adds).
# `takeoverStart` answering with the session and its cart: the goal, 18.
START_MAX_QUERIES = 18
# The CSR's cart view (`takeoverSession { cart { lines ... } }`): the goal, 8.
CART_VIEW_MAX_QUERIES = 8
# `takeoverCopyToDraft` ("Add Items to Order"): issue 21's goal, 18 (it took
# 28, then 25): 4 authenticating, 1 the rep's groups for the channel check
# (made on the session row the copy locks, not on one read before it), 1
# locking the session with its draft and what Saleor's order search vector
# reads besides lines (payments, discounts, transactions, invoices, notes:
# takeover/draft_search.py; only a refused step pays for closing), 1 the
# cart, 4 reading cart lines, listings and the draft's lines once with this
# cart's earlier copies, 3 writing lines, copies and Saleor's order events, 1
# the draft's UPDATE (as `orderLinesCreate` pays it), 1 the draft's channel's
# and the global plugin configurations in one read (Saleor's plugin manager
# for `draft_order_updated`, given the channel locked with the draft), 1
# Saleor's webhook lookup, 2 the session's activity and history.
COPY_HTTP_MAX_QUERIES = 18
# ... copying again and handing the cart back (the Dashboard's button): the
# closing reuses the session and cart the unit locked, and the cart's
# `checkout_metadata_updated` goes through the request's plugin manager,
# which already loaded the channel (it took 34, then 27).
COPY_HAND_BACK_MAX_QUERIES = 20
# What the plugin's two hooks may add to the shopper's `checkoutComplete`.
COMPLETE_MAX_EXTRA_QUERIES = 2
# Storefront requests with the plugin active, relative to without it.
STOREFRONT_MAX_TIME_RATIO = 1.05
# Refusing a hostile document (item 5; issue 14). The plugin judges the document
# before it checks the token, so a refusal costs no authentication (the viewer
# baseline's 3 queries: user, grant, permissions) and nothing of the plugin's
# own; the 1 query left is Saleor loading the plugins' configuration to route
# `/plugins/global/…/graphql/` to the plugin, which every request pays before
# the plugin sees it. Measured: 1 for each document.
REFUSAL_MAX_QUERIES = 1
# ... and costs at most this multiple of the smallest real request,
# `{ viewer { email } }` with the same token. Measured 2026-12-01 in two runs on
# 2 shared cores (load average 5.5-6.9), median of 30 per-round ratios:
# 0.29-0.33x (2^20 fragment fan-out), 0.30-0.32x (50 levels), 0.38-0.49x (700
# levels) and 1.09-1.12x (250 `cartByCode` lookups in 25 fragments: 12 kB that
# graphql-core must parse before anything can be counted). 2x leaves room for a
# busy machine's noise above the worst of them; a refusal that resolved the
# fan-out or ran the lookups would cost orders of magnitude more, not a little.
REFUSAL_MAX_TIME_RATIO = 2.0
# Item 6: a list, or a month's report, at 10^6 sessions takes at most this
# multiple of its time at 10^4 (what each holds is the same; only history
# grows). Indexed, the ratio is ~1; a scan of history would be ~100.
LIST_MAX_TIME_RATIO = 2.0
