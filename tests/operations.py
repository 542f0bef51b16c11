"""GraphQL documents and helpers shared by the tests: what a CSR's UI sends."""

from .builders import create_draft, line_input, metadata
from .ids import pk_of

__all__ = ["cart_token", "create_draft", "line_input", "metadata", "pk_of"]

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


def cart_token(session: dict) -> str:
    """The checkout token behind a session: the API never shows it to a rep."""
    from saleor_cart_takeover.models import TakeoverSession

    return str(TakeoverSession.objects.get(pk=pk_of(session["id"])).checkout_token)
