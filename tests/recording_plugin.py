"""A real Saleor plugin that records the events it receives, standing in for the
other apps and webhooks a merchant runs next to cart takeover."""

from typing import Any

from saleor.plugins.base_plugin import BasePlugin

RECEIVED: list[tuple[str, Any]] = []


class RecordingPlugin(BasePlugin):
    PLUGIN_ID = "tests.recording"
    PLUGIN_NAME = "Recording"
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = True

    def checkout_updated(self, checkout, previous_value, webhooks=None):
        RECEIVED.append(("checkout_updated", checkout.pk))
        return previous_value

    def checkout_created(self, checkout, previous_value, webhooks=None):
        RECEIVED.append(("checkout_created", checkout.pk))
        return previous_value

    def draft_order_updated(self, order, previous_value, webhooks=None):
        RECEIVED.append(("draft_order_updated", order.pk))
        return previous_value

    def draft_order_deleted(self, order, previous_value, webhooks=None):
        RECEIVED.append(("draft_order_deleted", order.number))
        return previous_value
