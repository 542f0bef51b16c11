"""Saleor's own GraphQL API over HTTP, as a storefront and the Dashboard use it."""

from typing import Any

import requests


class SaleorApi:
    def __init__(self, api_url: str, token: str | None = None):
        self.api_url = api_url
        self.token = token

    def call(self, query: str, variables: dict[str, Any] | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = requests.post(
            self.api_url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def mutate(self, query: str, field: str, variables: dict[str, Any]) -> dict:
        payload = self.call(query, variables)[field]
        assert payload["errors"] == [], payload["errors"]
        return payload

    @classmethod
    def login(cls, api_url: str, email: str, password: str) -> "SaleorApi":
        data = cls(api_url).mutate(
            "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p)"
            " { token errors { field code message } } }",
            "tokenCreate",
            {"e": email, "p": password},
        )
        return cls(api_url, data["token"])

    def extension_token(self, app_global_id: str, identifier: str) -> tuple[str, str]:
        """What the Dashboard fetches to mount an extension: its id and token."""
        data = self.call(
            "{ appExtensions(first: 50) {"
            " edges { node { id identifier accessToken app { id } } } } }",
        )
        for edge in data["appExtensions"]["edges"]:
            node = edge["node"]
            if node["app"]["id"] == app_global_id and node["identifier"] == identifier:
                return node["id"], node["accessToken"]
        raise AssertionError(f"no extension {identifier}")


ADDRESS = {
    "firstName": "Wade",
    "lastName": "Wilson",
    "streetAddress1": "Tęczowa 7",
    "city": "Wrocław",
    "postalCode": "53-601",
    "country": "PL",
    "phone": "+48713988102",
}
CHECKOUT_CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) { checkout { id token } errors { field code message } }
}"""
SHIPPING = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) { errors { field code message } }
}"""
BILLING = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) { errors { field code message } }
}"""
DELIVERY = """
mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { errors { field code message } }
}"""
COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) { order { id number } errors { field code message } }
}"""
DRAFT_CREATE = """
mutation($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) { order { id number } errors { field code message } }
}"""
