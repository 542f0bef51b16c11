"""Cart takeover for Saleor.

Customer-service reps open a shopper's cart (a Saleor checkout) from a draft
order, edit it on the shopper's behalf and copy its items into the draft.
"""

__version__ = "0.1.0"

# The ids live in `const`; re-exported here for code that names the package.
from .const import (  # noqa: F401
    APP_IDENTIFIER,
    PLUGIN_ID,
    PLUGIN_NAME,
    SUPPORTED_SALEOR,
)
