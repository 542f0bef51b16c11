"""Every event the plugin fires reaches other apps as Saleor delivers it: a
`Webhook` row with a subscription query, a payload built by Saleor, an HTTP
POST to the app. The payloads must name the objects the rep worked on."""

import pytest
from saleor.webhook.event_types import WebhookEventAsyncType

from saleor_cart_takeover.const import LINE_SOURCE_CUSTOMER_SERVICE, LINE_SOURCE_KEY

from .builders import create_draft, line_input
from .clients import TakeoverClient
from .ids import gid
from .operations import ADD, COPY, START, cart_token
from .storefront import Shopper
from .webhooks import subscribe

CHECKOUT_CREATED = """
subscription { event { ... on CheckoutCreated {
  checkout { id channel { slug } email lines { quantity } }
} } }"""
CHECKOUT_UPDATED = """
subscription { event { ... on CheckoutUpdated {
  checkout { id lines { quantity variant { id } metadata { key value } } }
} } }"""
DRAFT_ORDER_UPDATED = """
subscription { event { ... on DraftOrderUpdated {
  order { id status lines { quantity variant { id } metadata { key value } } }
} } }"""
DRAFT_ORDER_DELETED = """
subscription { event { ... on DraftOrderDeleted { order { id number } } } }"""
ORDER_METADATA_UPDATED = """
subscription { event { ... on OrderMetadataUpdated { order { id } } } }"""


def test_a_cart_the_rep_creates_is_announced_as_checkout_created(
    receiver, takeover_plugin, csr, customer_user, channel_USD, shop
):
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    subscribe(receiver, CHECKOUT_CREATED, WebhookEventAsyncType.CHECKOUT_CREATED)

    session = TakeoverClient(csr).post(START, {"draft": draft_id})
    # The rep sees an opaque cart id; Saleor's payload names the checkout.
    cart_id = gid("Checkout", cart_token(session.payload("takeoverStart")["session"]))

    assert receiver.of("checkout_created") == [
        {
            "checkout": {
                "id": cart_id,
                "channel": {"slug": channel_USD.slug},
                "email": customer_user.email,
                "lines": [],
            }
        }
    ]


@pytest.fixture
def started(takeover_plugin, csr, customer_user, channel_USD, shop):
    """The rep holds the shopper's cart (2 of S) from a draft for the shopper."""
    cart = Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 2)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    rep = TakeoverClient(csr)
    session = rep.post(START, {"draft": draft_id}).payload("takeoverStart")["session"]
    return rep, cart, draft_id, session


def test_a_cart_edit_is_announced_as_checkout_updated(receiver, started, shop):
    rep, cart, _, session = started
    subscribe(receiver, CHECKOUT_UPDATED, WebhookEventAsyncType.CHECKOUT_UPDATED)

    lines = [line_input(shop[1], 1, engraving="Ada")]
    rep.post(ADD, {"session": session["id"], "lines": lines}).payload(
        "takeoverLinesAdd"
    )

    assert receiver.of("checkout_updated") == [
        {
            "checkout": {
                "id": cart["id"],
                "lines": [
                    {
                        "quantity": 2,
                        "variant": {"id": gid("ProductVariant", shop[0].pk)},
                        "metadata": [],
                    },
                    {
                        "quantity": 1,
                        "variant": {"id": gid("ProductVariant", shop[1].pk)},
                        # The rep's line is attributed to customer service.
                        "metadata": [
                            {
                                "key": LINE_SOURCE_KEY,
                                "value": LINE_SOURCE_CUSTOMER_SERVICE,
                            },
                            {"key": "engraving", "value": "Ada"},
                        ],
                    },
                ],
            }
        }
    ]


def test_the_copy_is_announced_as_draft_order_updated(receiver, started, shop):
    rep, _, draft_id, session = started
    subscribe(receiver, DRAFT_ORDER_UPDATED, WebhookEventAsyncType.DRAFT_ORDER_UPDATED)

    rep.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")

    assert receiver.of("draft_order_updated") == [
        {
            "order": {
                "id": draft_id,
                "status": "DRAFT",
                "lines": [
                    {
                        "quantity": 2,
                        "variant": {"id": gid("ProductVariant", shop[0].pk)},
                        "metadata": [],
                    }
                ],
            }
        }
    ]


def test_the_draft_removed_after_checkout_is_announced_as_draft_order_deleted(
    receiver, started, shipping_method
):
    rep, cart, draft_id, session = started
    rep.post(COPY, {"session": session["id"], "handBack": True}).payload(
        "takeoverCopyToDraft"
    )
    subscribe(receiver, DRAFT_ORDER_DELETED, WebhookEventAsyncType.DRAFT_ORDER_DELETED)
    shopper = Shopper()
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    deliveries = receiver.of("draft_order_deleted")
    assert [d["order"]["id"] for d in deliveries] == [draft_id]


def test_the_order_the_takeover_produced_is_announced_as_order_metadata_updated(
    receiver, started, shipping_method
):
    """The plugin writes who prepared the order into its private metadata, so
    apps that mirror order metadata hear of it as Saleor's own
    `updatePrivateMetadata` would tell them."""
    rep, cart, _, session = started
    rep.post(COPY, {"session": session["id"], "handBack": True}).payload(
        "takeoverCopyToDraft"
    )
    subscribe(
        receiver, ORDER_METADATA_UPDATED, WebhookEventAsyncType.ORDER_METADATA_UPDATED
    )
    shopper = Shopper()
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    deliveries = receiver.of("order_metadata_updated")
    assert [d["order"]["id"] for d in deliveries] == [placed["order"]["id"]]
