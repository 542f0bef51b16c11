"""The CSR's API holds only what a CSR needs, and its limits hold however a
query is written.

Regression tests from the hardening issue (#15), item 1: each failed before
its fix.
"""

import json

from saleor.graphql.tests.fixtures import ApiClient

from .ids import gid
from .operations import create_draft, operation
from .storefront import Shopper

# What the CSR's screen sends: every field of a cart it can see.
CUSTOMER_CARTS = operation("plugin/CustomerCarts")
CART_BY_CODE = operation("plugin/CartByCode")
START_BY_CART_ID = """
mutation($draft: ID!, $cart: ID!) {
  takeoverStart(draftOrderId: $draft, cartId: $cart) {
    session { id cart { id code } } errors { field code message }
  }
}"""


def _leaks(text: str, token: str) -> bool:
    import base64
    import re

    decoded = []
    for candidate in re.findall(r"[A-Za-z0-9+/=]{12,}", text):
        try:
            decoded.append(base64.b64decode(candidate).decode(errors="ignore"))
        except ValueError:
            continue
    everything = text + " ".join(decoded)
    return token in everything or token.replace("-", "") in everything


def test_no_checkout_token_or_checkout_id_reaches_a_csr(
    csr_client, csr, customer_user, channel_USD, shop
):
    from saleor_cart_takeover.takeover.carts import cart_code

    cart = Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    token = cart["token"]
    by_customer = csr_client.post(
        CUSTOMER_CARTS, {"customer": gid("User", customer_user.pk)}
    )
    by_code = csr_client.post(CART_BY_CODE, {"code": cart_code(token)})
    cart_id = by_code.data["cartByCode"]["id"]
    assert by_customer.data["customerCarts"][0]["id"] == cart_id
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    started = csr_client.post(START_BY_CART_ID, {"draft": draft_id, "cart": cart_id})
    session = started.payload("takeoverStart")["session"]
    assert session["cart"]["id"] == cart_id
    listed = csr_client.post(
        "query($cart: ID) { takeoverSessions(cartId: $cart) { id cart { id } } }",
        {"cart": cart_id},
    )
    assert [s["id"] for s in listed.data["takeoverSessions"]] == [session["id"]]

    for answer in (by_customer, by_code, started, listed):
        text = json.dumps(answer.body)
        assert not _leaks(text, token), text
        assert gid("Checkout", token) not in text
    # The opaque id is no credential for Saleor's checkout API.
    saleor = ApiClient().post_graphql(
        "query($id: ID!) { checkout(id: $id) { id } }", {"id": cart_id}
    )
    assert saleor.json()["data"]["checkout"] is None


def test_fragments_do_not_get_around_the_root_field_limit(csr_client):
    def lookups(i: int) -> str:
        return " ".join(
            f'a{i}_{j}: cartByCode(code: "0000000{j}") {{ code }}' for j in range(3)
        )

    fragments = "\n".join(
        f"fragment F{i} on Query {{ {lookups(i)} }}" for i in range(10)
    )
    spreads = " ".join(f"...F{i}" for i in range(10))
    answer = csr_client.post(f"query {{ {spreads} }}\n{fragments}")
    assert answer.status == 400
    assert answer.error_codes == ["QueryTooComplex"]

    inline = " ".join(f"... on Query {{ {lookups(i)} }}" for i in range(10))
    assert csr_client.post(f"query {{ {inline} }}").error_codes == ["QueryTooComplex"]
    # Ten root fields, however they are written, are still fine.
    ten = (
        " ".join(f"...F{i}" for i in range(3))
        + ' x: cartByCode(code: "00000009") { code }'
    )
    fine = csr_client.post(
        f"query {{ {ten} }}\n"
        + "\n".join(f"fragment F{i} on Query {{ {lookups(i)} }}" for i in range(3))
    )
    assert fine.status == 200, fine.body
