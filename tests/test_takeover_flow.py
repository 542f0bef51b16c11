"""The seed's workflow end to end: shopper cart → CSR draft → takeover → edit →
Add Items to Order → hand back → the shopper checks out the order the CSR prepared."""

from saleor.order import OrderStatus
from saleor.order.models import Order, OrderEvent

from saleor_cart_takeover.models import TakeoverSession

from .builders import create_draft, metadata
from .ids import gid, pk_of
from .operations import ADD, COPY, START, UPDATE, cart_token
from .storefront import Shopper


def test_registered_shopper_gets_the_order_the_csr_prepared(
    csr_client, csr, customer_user, channel_USD, shop, shipping_method
):
    variant, other = shop[0], shop[1]
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(variant, 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    # The CSR opens "View user's cart" on the draft: it finds the shopper's own cart.
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    assert session["status"] == "ACTIVE"
    assert cart_token(session) == cart["token"]
    assert session["cart"]["customerId"] == gid("User", customer_user.pk)
    assert session["cart"]["takenOver"] is True
    assert (
        session["cart"]["code"]
        == cart["token"][:4].upper() + "-" + cart["token"][4:8].upper()
    )
    assert (
        metadata(shopper.cart(cart["id"])["metadata"])["cart_takeover.active"] == "true"
    )

    # Adds an item with its configuration, changes a quantity, removes a line.
    lines = [
        {
            "variantId": gid("ProductVariant", other.pk),
            "quantity": 2,
            "metadata": [{"key": "engraving", "value": "For Ada"}],
        },
    ]
    session = csr_client.post(ADD, {"session": session["id"], "lines": lines}).payload(
        "takeoverLinesAdd"
    )["session"]
    by_variant = {line["variantId"]: line for line in session["cart"]["lines"]}
    engraved = by_variant[gid("ProductVariant", other.pk)]
    assert engraved["quantity"] == 2
    assert metadata(engraved["metadata"]) == {
        "engraving": "For Ada",
        "cart_takeover.source": "customer_service",
    }

    original = by_variant[gid("ProductVariant", variant.pk)]
    session = csr_client.post(
        UPDATE,
        {
            "session": session["id"],
            "lines": [{"lineId": original["id"], "quantity": 3}],
        },
    ).payload("takeoverLinesUpdate")["session"]
    assert {line["id"]: line["quantity"] for line in session["cart"]["lines"]}[
        original["id"]
    ] == 3

    # The shopper cannot check out while the CSR holds the cart.
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    refused = shopper.complete(cart["id"])
    assert refused["order"] is None
    assert "customer-service representative" in refused["errors"][0]["message"]

    # "Add Items to Order" copies the cart into the draft and hands the cart back.
    copied = csr_client.post(
        COPY, {"session": session["id"], "handBack": True}
    ).payload("takeoverCopyToDraft")
    assert copied["result"] == {"added": 2, "updated": 0, "removed": 0, "unchanged": 0}
    assert copied["session"]["status"] == "ENDED"
    assert copied["session"]["lastCopiedAt"] is not None
    draft = Order.objects.get(pk=pk_of(draft_id))
    draft_lines = {line.variant_id: line for line in draft.lines.all()}
    assert draft_lines[variant.pk].quantity == 3
    assert draft_lines[other.pk].quantity == 2
    assert draft_lines[other.pk].metadata == {
        "engraving": "For Ada",
        "cart_takeover.source": "customer_service",
    }
    assert "cart_takeover.active" not in metadata(shopper.cart(cart["id"])["metadata"])

    # The shopper checks out: the order is theirs, tied to the CSR's work; no duplicate.
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert {(line.variant_id, line.quantity) for line in order.lines.all()} == {
        (variant.pk, 3),
        (other.pk, 2),
    }
    assert order.private_metadata["cart_takeover.prepared_by"] == csr.email
    assert not Order.objects.filter(status=OrderStatus.DRAFT).exists()
    session_row = TakeoverSession.objects.get()
    assert session_row.status == "completed"
    assert session_row.order_id == order.pk
    assert OrderEvent.objects.filter(order=order, type="note_added").exists()
