"""The one home of the plugin's names, metadata keys and limits.

`dashboard_extension/src/const.generated.ts` is generated from `EXTENSION_CONSTANTS`,
and `storefront_kit/src/keys.generated.ts` from `STOREFRONT_CONSTANTS`, by
`scripts/generate-const-ts`; a test fails when either is out of date.
"""

import json
from collections.abc import Mapping
from datetime import timedelta

# Ids.
PLUGIN_ID = "saleor.cart_takeover"
PLUGIN_NAME = "Cart takeover"
# `id` of the dashboard app's manifest; Saleor stores it as `App.identifier`.
APP_IDENTIFIER = "saleor.cart_takeover.dashboard"
# The dotted path Saleor's `PLUGINS` setting lists.
PLUGIN_CLASS_PATH = "saleor_cart_takeover.plugin.CartTakeoverPlugin"
# The URL path Saleor routes to the plugin's `webhook` (its HTTP endpoints).
PLUGIN_URL_PATH = f"/plugins/global/{PLUGIN_ID}"
# Saleor releases this plugin is built and tested against: [min, max).
SUPPORTED_SALEOR = ((3, 22), (3, 24))

# Metadata keys.
# Public checkout metadata: a CSR holds the cart (for storefronts).
CHECKOUT_TAKEN_OVER_KEY = "cart_takeover.active"
# Public checkout metadata: a takeover request waiting for the shopper's
# consent (setting "Require shopper consent"), the session's global id. The
# shopper answers with `takeoverConsentAnswer`, never through metadata.
CONSENT_REQUESTED_KEY = "cart_takeover.consent_requested"
# Where an earlier release read the answer from; reserved now (and ignored).
CONSENT_KEY = "cart_takeover.consent"
# How long a consent request waits for the shopper's answer.
CONSENT_WINDOW = timedelta(minutes=10)
# Public checkout (and order) metadata: the pickup contacts document.
PICKUP_CONTACTS_KEY = "cart_takeover.pickup_contacts"
# Private order metadata written when a taken-over cart becomes an order.
ORDER_SESSION_KEY = "cart_takeover.session_id"
ORDER_PREPARED_BY_KEY = "cart_takeover.prepared_by"
ORDER_DRAFT_KEY = "cart_takeover.draft_order_number"
# Public product type metadata: the configured line options (JSON list).
LINE_OPTIONS_KEY = "cart_takeover.line_options"
# Checkout (and draft/order) line metadata of lines a rep added or changed:
# public `source`, private `staff` (User id) and `session` (TakeoverSession id).
LINE_SOURCE_KEY = "cart_takeover.source"
LINE_SOURCE_CUSTOMER_SERVICE = "customer_service"
LINE_STAFF_KEY = "cart_takeover.staff"
LINE_SESSION_KEY = "cart_takeover.session"
# Line metadata keys starting with it are the plugin's; reps cannot set them.
RESERVED_KEY_PREFIX = "cart_takeover."
# The public checkout keys storefronts read about an open takeover: cleared
# when it ends, and taken off the order a held cart becomes.
STOREFRONT_KEYS = (CHECKOUT_TAKEN_OVER_KEY, CONSENT_REQUESTED_KEY, CONSENT_KEY)
# The private order keys naming the takeover an order came from.
ORDER_KEYS = (ORDER_SESSION_KEY, ORDER_PREPARED_BY_KEY, ORDER_DRAFT_KEY)
# The line keys marking what a rep added or changed.
LINE_KEYS = (LINE_SOURCE_KEY, LINE_STAFF_KEY, LINE_SESSION_KEY)

# The takeover report covers at most this many days.
REPORT_MAX_DAYS = 366

# Limits of the API's input.
MAX_QUANTITY = 10_000
MAX_LINE_METADATA_ITEMS = 20
MAX_LINE_METADATA_KEY_LENGTH = 256
MAX_LINE_METADATA_VALUE_LENGTH = 2_000
MAX_CONTACT_NAME_LENGTH = 256
MAX_CONTACTS_DOCUMENT_LENGTH = 8_000
CART_CODE_LENGTH = 8
# Configured line options: the declaration's limits.
MAX_LINE_OPTIONS = 20
MAX_LINE_OPTION_KEY_LENGTH = 100
MAX_LINE_OPTION_CHOICES = 100
SESSIONS_PAGE_SIZE = 20
SESSIONS_MAX_PAGE_SIZE = 100

# Limits of the GraphQL endpoint.
MAX_BODY_BYTES = 100_000
MAX_QUERY_DEPTH = 10
MAX_ROOT_FIELDS = 10
# Fields per request, aliases and fragment spreads expanded.
MAX_QUERY_FIELDS = 500

# Dashboard sessions (`dashboardSessionCreate`).
DASHBOARD_SESSION_PREFIX = "ctds."
DASHBOARD_SESSION_SALT = "saleor_cart_takeover.dashboard_session"
DASHBOARD_SESSION_TTL = timedelta(hours=1)
DASHBOARD_SESSION_MAX_AGE = timedelta(hours=12)

# What the dashboard extension needs, exported to TypeScript.
EXTENSION_CONSTANTS = {
    "PLUGIN_ID": PLUGIN_ID,
    "ORDER_PREPARED_BY_KEY": ORDER_PREPARED_BY_KEY,
    "ORDER_DRAFT_KEY": ORDER_DRAFT_KEY,
    "PICKUP_CONTACTS_KEY": PICKUP_CONTACTS_KEY,
    "LINE_OPTIONS_KEY": LINE_OPTIONS_KEY,
    "RESERVED_KEY_PREFIX": RESERVED_KEY_PREFIX,
}


# What storefronts need (storefront_kit/), exported to TypeScript. The kit's
# validation mirrors pickup/validation.py and lines/options.py with these
# limits; `CONSENT_KEY` is left out: the answer is `takeoverConsentAnswer`.
STOREFRONT_CONSTANTS: dict[str, str | int] = {
    "PLUGIN_ID": PLUGIN_ID,
    "PLUGIN_URL_PATH": PLUGIN_URL_PATH,
    "CHECKOUT_TAKEN_OVER_KEY": CHECKOUT_TAKEN_OVER_KEY,
    "CONSENT_REQUESTED_KEY": CONSENT_REQUESTED_KEY,
    "CONSENT_WINDOW_SECONDS": int(CONSENT_WINDOW.total_seconds()),
    "PICKUP_CONTACTS_KEY": PICKUP_CONTACTS_KEY,
    "LINE_OPTIONS_KEY": LINE_OPTIONS_KEY,
    "LINE_SOURCE_KEY": LINE_SOURCE_KEY,
    "LINE_SOURCE_CUSTOMER_SERVICE": LINE_SOURCE_CUSTOMER_SERVICE,
    "RESERVED_KEY_PREFIX": RESERVED_KEY_PREFIX,
    "CART_CODE_LENGTH": CART_CODE_LENGTH,
    "MAX_CONTACT_NAME_LENGTH": MAX_CONTACT_NAME_LENGTH,
    "MAX_CONTACTS_DOCUMENT_LENGTH": MAX_CONTACTS_DOCUMENT_LENGTH,
    "MAX_LINE_METADATA_VALUE_LENGTH": MAX_LINE_METADATA_VALUE_LENGTH,
    "MAX_LINE_OPTIONS": MAX_LINE_OPTIONS,
    "MAX_LINE_OPTION_KEY_LENGTH": MAX_LINE_OPTION_KEY_LENGTH,
    "MAX_LINE_OPTION_CHOICES": MAX_LINE_OPTION_CHOICES,
}


def typescript_module(constants: Mapping[str, str | int] | None = None) -> str:
    """The text of a generated TypeScript module (the extension's by default)."""
    lines = [
        "// Generated from saleor_cart_takeover/const.py by scripts/generate-const-ts;",
        "// do not edit.",
    ]
    lines += [
        # A JSON literal is a TypeScript literal: strings come out quoted and
        # escaped, numbers bare.
        f"export const {name} = {json.dumps(value)};"
        for name, value in (
            EXTENSION_CONSTANTS if constants is None else constants
        ).items()
    ]
    return "\n".join(lines) + "\n"
