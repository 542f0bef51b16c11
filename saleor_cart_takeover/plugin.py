"""The Saleor plugin: configuration and hooks, each delegating to a domain module."""

from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.plugins.base_plugin import BasePlugin

from . import const
from .checkout import completion as checkout_completion
from .checkout import metadata as checkout_metadata
from .checkout import payment_sessions, reconciliation, reserved_metadata
from .config import TakeoverSettings, config_structure, default_configuration

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


class CartTakeoverPlugin(BasePlugin):
    PLUGIN_ID = const.PLUGIN_ID
    PLUGIN_NAME = const.PLUGIN_NAME
    PLUGIN_DESCRIPTION = (
        "Lets customer-service reps take over a shopper's cart from a draft order, "
        "edit it on the shopper's behalf and add its items to the order."
    )
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = False
    # Both from the settings' one definition in config.py.
    DEFAULT_CONFIGURATION = default_configuration()
    CONFIG_STRUCTURE = config_structure()

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
