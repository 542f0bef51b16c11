"""Lines a rep adds or changes say so, and the marks follow them into the
draft and into the shopper's order."""

from saleor.checkout.models import CheckoutLine
from saleor.order.models import Order

from ..ids import gid
from ..operations import ADD, COPY, START, UPDATE, create_draft, line_input, pk_of
from ..storefront import Shopper

SOURCE = {"cart_takeover.source": "customer_service"}

UPDATE_PRIVATE_METADATA = """
mutation($id: ID!, $input: [MetadataInput!]!) {
  updatePrivateMetadata(id: $id, input: $input) { errors { field code message } }
}"""

CART_LINES_VIEW = """
query($id: ID!) {
  takeoverSession(id: $id) { cart { lines { id addedByCustomerService } } }
}"""


def attribution(item) -> tuple[dict, dict]:
    public = {k: v for k, v in item.metadata.items() if k.startswith("cart_takeover.")}
    private = {
        k: v for k, v in item.private_metadata.items() if k.startswith("cart_takeover.")
    }
    return public, private


def test_rep_lines_carry_who_and_which_session_into_draft_and_order(
    csr_client, csr, customer_user, channel_USD, shop, shipping_method
):
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1), (shop[1], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    by_variant = {line["variantId"]: line for line in session["cart"]["lines"]}
    changed_id = by_variant[gid("ProductVariant", shop[0].pk)]["id"]
    untouched_id = by_variant[gid("ProductVariant", shop[1].pk)]["id"]

    csr_client.post(
        ADD,
        {"session": session["id"], "lines": [line_input(shop[2], 2, engraving="Ada")]},
    ).payload("takeoverLinesAdd")
    csr_client.post(
        UPDATE,
        {"session": session["id"], "lines": [{"lineId": changed_id, "quantity": 3}]},
    ).payload("takeoverLinesUpdate")

    marks = {
        "cart_takeover.staff": gid("User", csr.pk),
        "cart_takeover.session": session["id"],
    }
    lines = {line.variant_id: line for line in CheckoutLine.objects.all()}
    assert attribution(lines[shop[2].pk]) == (SOURCE, marks)
    assert attribution(lines[shop[0].pk]) == (SOURCE, marks)
    assert attribution(lines[shop[1].pk]) == ({}, {})
    view = csr_client.post(CART_LINES_VIEW, {"id": session["id"]}).data
    assert {
        line["id"]: line["addedByCustomerService"]
        for line in view["takeoverSession"]["cart"]["lines"]
    } == {
        changed_id: True,
        untouched_id: False,
        gid("CheckoutLine", lines[shop[2].pk].pk): True,
    }

    csr_client.post(COPY, {"session": session["id"], "handBack": True}).payload(
        "takeoverCopyToDraft"
    )
    draft_lines = {
        line.variant_id: line
        for line in Order.objects.get(pk=pk_of(draft_id)).lines.all()
    }
    assert attribution(draft_lines[shop[2].pk]) == (SOURCE, marks)
    assert attribution(draft_lines[shop[0].pk]) == (SOURCE, marks)
    assert attribution(draft_lines[shop[1].pk]) == ({}, {})

    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == []
    order_lines = {
        line.variant_id: line
        for line in Order.objects.get(pk=pk_of(placed["order"]["id"])).lines.all()
    }
    assert attribution(order_lines[shop[2].pk]) == (SOURCE, marks)
    assert order_lines[shop[2].pk].metadata["engraving"] == "Ada"
    assert attribution(order_lines[shop[0].pk]) == (SOURCE, marks)
    assert attribution(order_lines[shop[1].pk]) == ({}, {})


def test_the_storefront_cannot_forge_the_private_marks(
    customer_user, channel_USD, shop, takeover_plugin
):
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    line_id = cart["lines"][0]["id"]

    response = shopper.api.post(
        UPDATE_PRIVATE_METADATA,
        {"id": line_id, "input": [{"key": "cart_takeover.staff", "value": "User:1"}]},
    )

    assert response.error_codes == ["PermissionDenied"]
    assert CheckoutLine.objects.get().private_metadata == {}


UPDATE_METADATA = """
mutation($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) { errors { field code message } }
}"""


def test_marks_a_storefront_wrote_on_its_own_line_never_reach_the_draft(
    csr_client, csr, customer_user, channel_USD, shop, takeover_plugin
):
    """A storefront claims its own line was added by customer service; the
    rep's copy makes a draft (the phone order) without the claim, and keeps
    the shopper's own configuration."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    forged = shopper.api.call(
        UPDATE_METADATA,
        {
            "id": cart["lines"][0]["id"],
            "input": [
                {"key": "cart_takeover.source", "value": "customer_service"},
                {"key": "cart_takeover.staff", "value": gid("User", csr.pk)},
                {"key": "engraving", "value": "Ada"},
            ],
        },
    )["updateMetadata"]
    assert forged["errors"] == []
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]

    csr_client.post(COPY, {"session": session["id"], "handBack": True}).payload(
        "takeoverCopyToDraft"
    )

    line = Order.objects.get(pk=pk_of(draft_id)).lines.get()
    assert line.metadata == {"engraving": "Ada"}
    assert attribution(line) == ({}, {})
