"""A shopper on the storefront: Saleor's own GraphQL API, and the plugin's
endpoint for the one thing only the shopper does there (answering a takeover
request)."""

from typing import Any

# The demo's walkthrough sends these same documents: one home, the package's.
from saleor_cart_takeover.demo.documents import (
    BILLING_ADDRESS_UPDATE as BILLING_ADDRESS,
)
from saleor_cart_takeover.demo.documents import (
    DELIVERY_METHOD_UPDATE as DELIVERY,
)

from .builders import ADDRESS
from .clients import SaleorClient, TakeoverClient
from .ids import gid

CHECKOUT_CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token metadata { key value } lines { id quantity variant { id } } }
    errors { field code message }
  }
}"""

CHECKOUT = """
query($id: ID!) {
  checkout(id: $id) {
    id token metadata { key value }
    lines { id quantity variant { id } metadata { key value } }
  }
}"""

LINES_ADD = """
mutation($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) {
    checkout { lines { id quantity variant { id } } }
    errors { field code message }
  }
}"""

LINES_UPDATE = """
mutation($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {
  checkoutLinesUpdate(id: $id, lines: $lines) {
    checkout { lines { id quantity variant { id } } }
    errors { field code message }
  }
}"""

SHIPPING_ADDRESS = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    errors { field code message }
  }
}"""

UPDATE_METADATA = """
mutation($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) { errors { field code message } }
}"""

COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number metadata { key value } }
    errors { field code message }
  }
}"""


# The storefront's consent answer, on the plugin's endpoint (docs/api-notes.md,
# "Shopper consent"): with the signed-in shopper's token, or none for an
# anonymous cart.
CONSENT_ANSWER = """
mutation($checkout: ID!, $session: ID!, $accept: Boolean!) {
  takeoverConsentAnswer(checkoutId: $checkout, sessionId: $session, accept: $accept) {
    status
    errors { field code message }
  }
}"""


class Shopper:
    def __init__(self, user=None):
        self.api = SaleorClient(user)

    def call(self, query: str, variables: dict[str, Any]) -> dict:
        return self.api.call(query, variables)

    def create_cart(self, channel_slug: str, lines: list[tuple[Any, int]], email=None):
        data = self.call(
            CHECKOUT_CREATE,
            {
                "input": {
                    "channel": channel_slug,
                    "email": email,
                    "lines": [
                        {"variantId": gid("ProductVariant", v.pk), "quantity": q}
                        for v, q in lines
                    ],
                }
            },
        )["checkoutCreate"]
        assert data["errors"] == []
        return data["checkout"]

    def cart(self, checkout_id: str) -> dict:
        return self.call(CHECKOUT, {"id": checkout_id})["checkout"]

    def add(self, checkout_id: str, variant, quantity: int) -> dict:
        return self.call(
            LINES_ADD,
            {
                "id": checkout_id,
                "lines": [
                    {
                        "variantId": gid("ProductVariant", variant.pk),
                        "quantity": quantity,
                    }
                ],
            },
        )["checkoutLinesAdd"]

    def prepare_delivery(self, checkout_id: str, delivery_method_id: str) -> None:
        for query, name, extra in (
            (SHIPPING_ADDRESS, "checkoutShippingAddressUpdate", {"address": ADDRESS}),
            (BILLING_ADDRESS, "checkoutBillingAddressUpdate", {"address": ADDRESS}),
            (DELIVERY, "checkoutDeliveryMethodUpdate", {"method": delivery_method_id}),
        ):
            result = self.call(query, {"id": checkout_id, **extra})[name]
            assert result["errors"] == [], result["errors"]

    def set_metadata(self, checkout_id: str, key: str, value: str) -> dict:
        return self.call(
            UPDATE_METADATA,
            {"id": checkout_id, "input": [{"key": key, "value": value}]},
        )["updateMetadata"]

    def answer_consent(self, checkout_id: str, session_id: str, accept: bool):
        """The storefront's answer, with this shopper's own token (if any)."""
        return TakeoverClient(token=self.api.token).post(
            CONSENT_ANSWER,
            {"checkout": checkout_id, "session": session_id, "accept": accept},
        )

    def complete(self, checkout_id: str) -> dict:
        return self.call(COMPLETE, {"id": checkout_id})["checkoutComplete"]
