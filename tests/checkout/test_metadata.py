"""The plugin's metadata writes fire Saleor's metadata webhooks.

Regression test from the hardening issue (#15), item 9: it failed before its
fix.
"""

import json

from ..operations import END, START, create_draft
from ..storefront import Shopper

CHECKOUT_METADATA_SUBSCRIPTION = """
subscription { event { ... on CheckoutMetadataUpdated {
  checkout { metadata { key value } } } } }
"""


def test_the_takeover_flag_fires_checkout_metadata_updated(
    settings, csr_client, csr, customer_user, channel_USD, shop, subscription_webhook
):
    from unittest.mock import patch

    from saleor.core.models import EventDelivery
    from saleor.webhook.event_types import WebhookEventAsyncType

    settings.PLUGINS = [
        *settings.PLUGINS,
        "saleor.plugins.webhook.plugin.WebhookPlugin",
    ]
    webhook = subscription_webhook(
        CHECKOUT_METADATA_SUBSCRIPTION, WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED
    )
    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    with patch(
        "saleor.webhook.transport.asynchronous.transport."
        "send_webhook_request_async.apply_async"
    ):
        session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
            "session"
        ]
        csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")

    payloads = [
        json.loads(delivery.payload.get_payload())["checkout"]["metadata"]
        for delivery in EventDelivery.objects.filter(webhook=webhook).order_by("pk")
    ]
    assert payloads == [[{"key": "cart_takeover.active", "value": "true"}], []]
