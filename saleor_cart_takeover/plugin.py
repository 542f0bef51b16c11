"""The Saleor plugin: configuration and hooks, each delegating to a domain module."""

from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from . import const
from .checkout import completion as checkout_completion
from .checkout import metadata as checkout_metadata
from .checkout import payment_sessions, reconciliation, reserved_metadata
from .config import DRAFT_DELETE, DRAFT_KEEP, TakeoverSettings

if TYPE_CHECKING:
    from saleor.checkout.fetch import CheckoutInfo, CheckoutLineInfo
    from saleor.checkout.models import Checkout
    from saleor.graphql.core import SaleorContext
    from saleor.order.models import Order
    from saleor.payment.interface import (
        TransactionSessionData,
        TransactionSessionResult,
    )
    from saleor.plugins.models import PluginConfiguration

_DEFAULTS = TakeoverSettings()


class CartTakeoverPlugin(BasePlugin):
    PLUGIN_ID = const.PLUGIN_ID
    PLUGIN_NAME = const.PLUGIN_NAME
    PLUGIN_DESCRIPTION = (
        "Lets customer-service reps take over a shopper's cart from a draft order, "
        "edit it on the shopper's behalf and add its items to the order."
    )
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = False
    DEFAULT_CONFIGURATION = [
        {
            "name": "session_timeout_minutes",
            "value": str(_DEFAULTS.session_timeout_minutes),
        },
        {
            "name": "block_checkout_during_takeover",
            "value": _DEFAULTS.block_checkout_during_takeover,
        },
        {
            "name": "blocked_checkout_message",
            "value": _DEFAULTS.blocked_checkout_message,
        },
        {"name": "draft_after_checkout", "value": _DEFAULTS.draft_after_checkout},
        {
            "name": "clear_cart_after_draft_completed",
            "value": _DEFAULTS.clear_cart_after_draft_completed,
        },
        {"name": "enforce_line_options", "value": _DEFAULTS.enforce_line_options},
        {
            "name": "require_shopper_consent",
            "value": _DEFAULTS.require_shopper_consent,
        },
    ]
    CONFIG_STRUCTURE = {
        "session_timeout_minutes": {
            "type": ConfigurationTypeField.STRING,
            "label": "Session timeout (minutes)",
            "help_text": "A takeover idle this long expires and the cart goes back to "
            "the shopper (1-1440).",
        },
        "block_checkout_during_takeover": {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Block checkout during a takeover",
            "help_text": "Refuse the shopper's checkoutComplete while a rep holds the "
            "cart.",
        },
        "blocked_checkout_message": {
            "type": ConfigurationTypeField.MULTILINE,
            "label": "Message shown when checkout is blocked",
            "help_text": "Returned to the storefront in checkoutComplete's errors.",
        },
        "draft_after_checkout": {
            "type": ConfigurationTypeField.STRING,
            "label": "Draft order after the shopper checks out",
            "help_text": f"'{DRAFT_DELETE}' removes the rep's draft so no duplicate "
            f"lingers; '{DRAFT_KEEP}' keeps it with a note.",
        },
        "clear_cart_after_draft_completed": {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Clear copied items from the cart after a phone order",
            "help_text": "When staff complete the draft, take the items copied into it "
            "out of the shopper's cart so they are not bought twice.",
        },
        "enforce_line_options": {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Enforce line options at checkout",
            "help_text": "Refuse checkoutComplete when a line misses a required "
            "option or breaks its product type's cart_takeover.line_options "
            "(a value too long or not among the choices).",
        },
        "require_shopper_consent": {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Require shopper consent",
            "help_text": "A takeover of a registered shopper's cart waits until the "
            "shopper, signed in on the storefront, agrees (takeoverConsentAnswer), "
            "even when the rep found it by its code. Unanswered requests expire "
            "after 10 minutes.",
        },
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = TakeoverSettings.from_configuration(self.configuration)

    @classmethod
    def validate_plugin_configuration(
        cls, plugin_configuration: "PluginConfiguration", **kwargs: Any
    ) -> None:
        from .config import validate_configuration

        validate_configuration(plugin_configuration.configuration)

    def webhook(
        self, request: "SaleorContext", path: str, previous_value: Any
    ) -> HttpResponse:
        from .http import dispatch

        return dispatch(request, path, self.settings)

    def preprocess_order_creation(
        self,
        checkout_info: "CheckoutInfo",
        lines: list["CheckoutLineInfo"] | None,
        previous_value: Any,
    ) -> Any:
        if not self.active:
            return previous_value
        checkout_completion.check(
            checkout_info, lines, self.settings, refusal_code=self._refusal_code
        )
        return previous_value

    def _refusal_code(self) -> str:
        """An error code the calling mutation's error enum can represent.

        `checkoutComplete` reports CheckoutErrorCode; `orderCreateFromCheckout`
        (apps only) has its own enum without `invalid`, and an unknown code
        turns the mutation's answer into a GraphQL error. `graphql_error` exists
        in both, so apps get that.
        """
        from saleor.app.models import App

        if isinstance(self.requestor, App):
            return CheckoutErrorCode.GRAPHQL_ERROR.value
        return CheckoutErrorCode.INVALID.value

    def transaction_initialize_session(
        self,
        transaction_session_data: "TransactionSessionData",
        previous_value: "TransactionSessionResult | None",
    ) -> "TransactionSessionResult | None":
        # The transaction flow pays before checkoutComplete: refuse the payment
        # where the legacy flow refuses the completion.
        if not self.active:
            return previous_value
        return payment_sessions.refuse_while_held(
            transaction_session_data, previous_value, self.settings
        )

    def transaction_process_session(
        self,
        transaction_session_data: "TransactionSessionData",
        previous_value: "TransactionSessionResult | None",
    ) -> "TransactionSessionResult | None":
        if not self.active:
            return previous_value
        return payment_sessions.refuse_while_held(
            transaction_session_data, previous_value, self.settings
        )

    def checkout_metadata_updated(
        self, checkout: "Checkout", previous_value: Any, webhooks: Any = None
    ) -> Any:
        # Runs on every storefront metadata write of a checkout. Keys only the
        # plugin writes are dropped when someone else wrote them: one
        # primary-key read of the checkout's metadata (Saleor hands over a
        # checkout without it), more only when such a key is there. Metadata
        # never answers a consent request (anyone holding the checkout id
        # writes it): the shopper answers with takeoverConsentAnswer.
        if not self.active or checkout_metadata.is_own_write(checkout):
            # The plugin's own write: nothing forged to strip, nothing to read.
            return previous_value
        reserved_metadata.strip_from_checkout(checkout)
        return previous_value

    def order_created(
        self, order: "Order", previous_value: Any, webhooks: Any = None
    ) -> Any:
        if self.active:
            reconciliation.on_order_created(order, self.settings)
        return previous_value
