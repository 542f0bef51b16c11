"""The GraphQL documents the benchmark sends: what a CSR's screen, Saleor's
Dashboard and a storefront send for the same steps."""

from saleor_cart_takeover.graphql.operations import operation

SALEOR_API = "/graphql/"

# --- The plugin's endpoint (the CSR's screen) -------------------------------
# What the screen sends (saleor_cart_takeover/graphql/operations/plugin/).
TAKEOVER_START = operation("plugin/Start")
TAKEOVER_LINES_ADD = operation("plugin/LinesAdd")
TAKEOVER_LINES_UPDATE = operation("plugin/LinesUpdate")
# The CSR's cart view: the session with its cart and every line.
CART_VIEW = operation("plugin/Session")
CUSTOMER_CARTS = operation("plugin/CustomerCarts")
# The copy itself with a small answer, so the comparison with orderLinesCreate
# (also asked for a small answer) measures the work, not the serialisation.
TAKEOVER_COPY = """
mutation Copy($session: ID!, $handBack: Boolean) {
  takeoverCopyToDraft(sessionId: $session, handBack: $handBack) {
    session { id status lastCopiedAt }
    result { added updated removed unchanged }
    errors { field code message }
  }
}"""

# --- Hostile documents, refused by the plugin's endpoint (item 5) ----------
# The smallest authenticated request: what a refusal is compared with.
VIEWER = "{ viewer { email } }"
# 20 fragments that each spread the next twice: 2^20 `viewer` fields once
# expanded, in under 1 kB (tests/reliability/test_hostile_input.py).
FRAGMENT_FAN_OUT = (
    "{ ...F0 } "
    + " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(20)
    )
    + " fragment F20 on Query { viewer { email } }"
)
# 250 code lookups (each a rate-limited, audited resolver call) hidden in 25
# fragments of 10, to slip past the root-field limit (tests/reliability/
# test_hardening.py::test_fragments_do_not_get_around_the_root_field_limit).
HIDDEN_CODE_LOOKUPS = (
    "query { "
    + " ".join(f"...F{i}" for i in range(25))
    + " } "
    + " ".join(
        f"fragment F{i} on Query {{ "
        + " ".join(
            f'a{i}_{j}: cartByCode(code: "{i:04d}{j:04d}") {{ code }}'
            for j in range(10)
        )
        + " }"
        for i in range(25)
    )
)


def nested(levels: int) -> str:
    return "{ viewer " + "{ email " * levels + "}" * levels + " }"


# Past the depth limit, and deep enough to exhaust graphql-core's recursive parser.
DEEP_NESTING = nested(50)
PARSER_EXHAUSTING_NESTING = nested(700)

# --- Saleor's own API (Dashboard and storefront) ----------------------------
DRAFT_ORDER_CREATE = """
mutation DraftCreate($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) { order { id } errors { field code message } }
}"""
ORDER_LINES_CREATE = """
mutation LinesCreate($id: ID!, $input: [OrderLineCreateInput!]!) {
  orderLinesCreate(id: $id, input: $input) {
    order { id }
    errors { field code message }
  }
}"""
CHECKOUT_CREATE = """
mutation CheckoutCreate($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token lines { id quantity variant { id } } }
    errors { field code message }
  }
}"""
# What a storefront's cart page asks after a change: lines and the total.
CHECKOUT_LINES_ADD = """
mutation LinesAdd($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) {
    checkout { id totalPrice { gross { amount } } lines { id quantity variant { id } } }
    errors { field code message }
  }
}"""
CHECKOUT_LINES_UPDATE = """
mutation LinesUpdate($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {
  checkoutLinesUpdate(id: $id, lines: $lines) {
    checkout { id totalPrice { gross { amount } } lines { id quantity variant { id } } }
    errors { field code message }
  }
}"""
CHECKOUT_SHIPPING_ADDRESS = """
mutation Shipping($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    errors { field code message }
  }
}"""
CHECKOUT_BILLING_ADDRESS = """
mutation Billing($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    errors { field code message }
  }
}"""
CHECKOUT_DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    errors { field code message }
  }
}"""
CHECKOUT_COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number }
    errors { field code message }
  }
}"""
# The storefront's, as the kit sends them: the pickup contacts (no token) and
# the shopper's answer to a takeover request (the shopper's own token).
PICKUP_CONTACTS_UPDATE = operation("plugin/PickupContactsUpdate")
TAKEOVER_CONSENT_ANSWER = operation("plugin/TakeoverConsentAnswer")
