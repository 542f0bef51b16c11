"""Cart takeover for Saleor.

Customer-service reps open a shopper's cart (a Saleor checkout) from a draft
order, edit it on the shopper's behalf and copy its items into the draft.
"""

__version__ = "0.1.0"

PLUGIN_ID = "saleor.cart_takeover"
PLUGIN_NAME = "Cart takeover"
# `id` of the dashboard app's manifest; Saleor stores it as `App.identifier`.
APP_IDENTIFIER = "saleor.cart_takeover.dashboard"

# Saleor releases this plugin is built and tested against: [min, max).
SUPPORTED_SALEOR = ((3, 22), (3, 24))
