"""Keys only the plugin writes are stripped when a storefront writes them.

Regression test from the hardening issue (#15), item 11: it failed before its
fix.
"""

from saleor.checkout.models import Checkout
from saleor.order.models import Order

from ..ids import gid
from ..operations import pk_of
from ..storefront import Shopper

LINES_ADD_WITH_METADATA = """
mutation($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { errors { field code message } }
}"""


def test_keys_only_the_plugin_writes_are_stripped_when_a_storefront_writes_them(
    takeover_plugin, shop, channel_USD, shipping_method
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    contacts = (
        '{"primary": {"firstName": "Ann", "lastName": "Lee", "email": "a@example.com"}}'
    )
    for key, value in (
        ("cart_takeover.active", "true"),
        ("cart_takeover.consent_requested", "42"),
        ("cart_takeover.source", "customer_service"),
        ("cart_takeover.pickup_contacts", contacts),
        ("cart_takeover.consent", "42"),
    ):
        assert shopper.set_metadata(cart["id"], key, value)["errors"] == []
    # A line that claims a rep added it.
    added = shopper.call(
        LINES_ADD_WITH_METADATA,
        {
            "id": cart["id"],
            "lines": [
                {
                    "variantId": gid("ProductVariant", shop[1].pk),
                    "quantity": 1,
                    "metadata": [
                        {"key": "cart_takeover.source", "value": "customer_service"}
                    ],
                }
            ],
        },
    )
    assert added["checkoutLinesAdd"]["errors"] == []

    stored = Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata
    # `cart_takeover.consent` is reserved too: no longer read, so dropped.
    assert stored == {"cart_takeover.pickup_contacts": contacts}

    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert set(order.metadata) == {"cart_takeover.pickup_contacts"}
    assert all(
        "cart_takeover.source" not in line.metadata for line in order.lines.all()
    )
