"""Every event the plugin fires reaches other apps as Saleor delivers it: a
`Webhook` row with a subscription query, a payload built by Saleor, an HTTP
POST to the app. The payloads must name the objects the rep worked on."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from saleor.order.models import Order
from saleor.webhook.event_types import WebhookEventAsyncType

from saleor_cart_takeover.const import (
    CHECKOUT_TAKEN_OVER_KEY,
    CONSENT_REQUESTED_KEY,
    LINE_SOURCE_CUSTOMER_SERVICE,
    LINE_SOURCE_KEY,
    PICKUP_CONTACTS_KEY,
)
from saleor_cart_takeover.models import TakeoverSession

from .builders import create_draft, line_input, make_csr, metadata
from .clients import TakeoverClient
from .fixtures import set_config
from .ids import gid
from .operations import (
    ADD,
    COPY,
    END,
    PICKUP_CONTACTS_UPDATE,
    START,
    cart_token,
    pk_of,
)
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
CHECKOUT_METADATA_UPDATED = """
subscription { event { ... on CheckoutMetadataUpdated {
  checkout { id metadata { key value } }
} } }"""
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


def metadata_deliveries(receiver) -> list[tuple[str, dict[str, str]]]:
    return [
        (body["checkout"]["id"], metadata(body["checkout"]["metadata"]))
        for body in receiver.of("checkout_metadata_updated")
    ]


def test_pickup_contacts_saved_through_the_plugin_are_announced_once(
    receiver, takeover_plugin, shop, channel_USD
):
    """Apps mirroring checkout metadata hear of the contacts as they would of
    the storefront's own `updateMetadata`."""
    cart = Shopper().create_cart(channel_USD.slug, [(shop[0], 1)], email="a@b.com")
    subscribe(
        receiver,
        CHECKOUT_METADATA_UPDATED,
        WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED,
    )

    TakeoverClient().post(
        PICKUP_CONTACTS_UPDATE,
        {
            "checkoutId": cart["id"],
            "primary": {"firstName": "Ann", "lastName": "Lee", "email": "a@b.com"},
        },
    ).payload("pickupContactsUpdate")

    [(checkout_id, announced)] = metadata_deliveries(receiver)
    assert checkout_id == cart["id"]
    assert '"email": "a@b.com"' in announced[PICKUP_CONTACTS_KEY]


def test_a_consent_request_is_announced_once(
    receiver, takeover_plugin, csr, customer_user, channel_USD, shop
):
    set_config(takeover_plugin, require_shopper_consent=True)
    cart = Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    subscribe(
        receiver,
        CHECKOUT_METADATA_UPDATED,
        WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED,
    )

    session = (
        TakeoverClient(csr)
        .post(START, {"draft": draft_id})
        .payload("takeoverStart")["session"]
    )

    assert session["status"] == "PENDING"
    [(checkout_id, announced)] = metadata_deliveries(receiver)
    assert checkout_id == cart["id"]
    assert CONSENT_REQUESTED_KEY in announced


def test_the_shoppers_consent_answer_is_announced_once(
    receiver, takeover_plugin, csr, customer_user, channel_USD, shop
):
    set_config(takeover_plugin, require_shopper_consent=True)
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    session = (
        TakeoverClient(csr)
        .post(START, {"draft": create_draft(csr, channel_USD, user=customer_user)})
        .payload("takeoverStart")["session"]
    )
    subscribe(
        receiver,
        CHECKOUT_METADATA_UPDATED,
        WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED,
    )

    answered = shopper.answer_consent(cart["id"], session["id"], True)

    assert answered.data["takeoverConsentAnswer"]["status"] == "ACTIVE"
    assert metadata_deliveries(receiver) == [
        (cart["id"], {CHECKOUT_TAKEN_OVER_KEY: "true"})
    ]


def test_a_start_that_first_closes_a_timed_out_takeover_announces_the_cart_once(
    receiver, takeover_plugin, csr, manage_orders, customer_user, channel_USD, shop
):
    """Closing the old takeover clears the cart's flag and the new one sets it
    again, in one request: listeners hear of the cart once, flag set."""
    cart = Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    TakeoverClient(csr).post(
        START, {"draft": create_draft(csr, channel_USD, user=customer_user)}
    ).payload("takeoverStart")
    TakeoverSession.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    other = make_csr("other@example.com", manage_orders)
    subscribe(
        receiver,
        CHECKOUT_METADATA_UPDATED,
        WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED,
    )

    TakeoverClient(other).post(
        START,
        {
            "draft": create_draft(other, channel_USD, user=customer_user),
            "checkout": cart["id"],
        },
    ).payload("takeoverStart")

    assert metadata_deliveries(receiver) == [
        (cart["id"], {CHECKOUT_TAKEN_OVER_KEY: "true"})
    ]


# Hardening (issue 15), item 3: the "draft deleted" webhook carries the order id and goes out once.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

DRAFT_DELETED_SUBSCRIPTION = """
subscription { event { ... on DraftOrderDeleted { order { id number } } } }
"""


def test_the_draft_deleted_webhook_names_the_draft_once(
    settings,
    csr_client,
    csr,
    customer_user,
    channel_USD,
    shop,
    shipping_method,
    subscription_webhook,
):
    from unittest.mock import patch

    from saleor.core.models import EventDelivery
    from saleor.webhook.event_types import WebhookEventAsyncType

    from .operations import COPY

    settings.PLUGINS = [
        *settings.PLUGINS,
        "saleor.plugins.webhook.plugin.WebhookPlugin",
    ]
    webhook = subscription_webhook(
        DRAFT_DELETED_SUBSCRIPTION, WebhookEventAsyncType.DRAFT_ORDER_DELETED
    )
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    draft_number = Order.objects.get(pk=pk_of(draft_id)).number
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))

    # Only the network send is held back; Saleor builds and stores the delivery.
    with patch(
        "saleor.webhook.transport.asynchronous.transport."
        "send_webhook_request_async.apply_async"
    ):
        placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    assert not Order.objects.filter(pk=pk_of(draft_id)).exists()
    deliveries = list(EventDelivery.objects.filter(webhook=webhook))
    assert len(deliveries) == 1
    payload = json.loads(deliveries[0].payload.get_payload())
    assert payload["order"] == {"id": draft_id, "number": str(draft_number)}
