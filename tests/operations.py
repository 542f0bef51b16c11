"""GraphQL documents and helpers shared by the tests: what a CSR's UI sends."""

import graphene
from saleor.graphql.tests.fixtures import ApiClient

from .fixtures import gid

SESSION_FIELDS = """
  id status draftOrderId customerEmail startedByEmail expiresAt lastCopiedAt orderId
  cart { id code channel customerId takenOver
         lines { id variantId sku productName variantName quantity metadata { key value } } }
"""
START = f"""
mutation($draft: ID!, $checkout: ID, $code: String) {{
  takeoverStart(draftOrderId: $draft, checkoutId: $checkout, cartCode: $code) {{
    session {{ {SESSION_FIELDS} }}
    errors {{ field code message }}
  }}
}}"""
ADD = f"""
mutation($session: ID!, $lines: [TakeoverLineInput!]!) {{
  takeoverLinesAdd(sessionId: $session, lines: $lines) {{
    session {{ {SESSION_FIELDS} }} errors {{ field code message }}
  }}
}}"""
UPDATE = f"""
mutation($session: ID!, $lines: [TakeoverLineUpdateInput!]!) {{
  takeoverLinesUpdate(sessionId: $session, lines: $lines) {{
    session {{ {SESSION_FIELDS} }} errors {{ field code message }}
  }}
}}"""
DELETE = f"""
mutation($session: ID!, $ids: [ID!]!) {{
  takeoverLinesDelete(sessionId: $session, lineIds: $ids) {{
    session {{ {SESSION_FIELDS} }} errors {{ field code message }}
  }}
}}"""
COPY = f"""
mutation($session: ID!, $handBack: Boolean) {{
  takeoverCopyToDraft(sessionId: $session, handBack: $handBack) {{
    session {{ {SESSION_FIELDS} }} result {{ added updated removed unchanged }}
    errors {{ field code message }}
  }}
}}"""
END = f"""
mutation($session: ID!) {{
  takeoverEnd(sessionId: $session) {{ session {{ {SESSION_FIELDS} }} errors {{ field code message }} }}
}}"""
DRAFT_CREATE = """
mutation($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) { order { id } errors { field code message } }
}"""


def create_draft(csr, channel, user=None, email=None) -> str:
    """The CSR's "Orders → Create order", through Saleor's own API."""
    payload = {"channelId": gid("Channel", channel.pk)}
    if user is not None:
        payload["user"] = gid("User", user.pk)
    if email is not None:
        payload["userEmail"] = email
    response = ApiClient(user=csr).post_graphql(DRAFT_CREATE, {"input": payload})
    data = response.json()["data"]["draftOrderCreate"]
    assert data["errors"] == []
    return data["order"]["id"]


def metadata(items: list[dict]) -> dict[str, str]:
    return {item["key"]: item["value"] for item in items}


def pk_of(global_id: str) -> str:
    return graphene.Node.from_global_id(global_id)[1]


def line_input(variant, quantity: int, **configuration: str) -> dict:
    return {
        "variantId": gid("ProductVariant", variant.pk),
        "quantity": quantity,
        "metadata": [{"key": k, "value": v} for k, v in configuration.items()],
    }


def cart_token(session: dict) -> str:
    """The checkout token behind a session: the API never shows it to a rep."""
    from saleor_cart_takeover.models import TakeoverSession

    return str(TakeoverSession.objects.get(pk=pk_of(session["id"])).checkout_token)
