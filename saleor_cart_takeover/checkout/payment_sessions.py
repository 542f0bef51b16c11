"""Payments through Saleor's transaction API while a rep holds the cart.

In the legacy flow the shopper pays inside `checkoutComplete`, after
`preprocess_order_creation` has refused a cart a rep holds. In the transaction
flow the payment app is asked first (`transactionInitialize`,
`transactionProcess`) and the order comes later, and a completion already paid
for is never refused (`completion`). So the refusal moves to the
payment: while a rep holds the cart, the session's answer becomes a failure
with the merchant's "checkout blocked" message, and Saleor records a failed
event instead of an authorization or a charge.

Saleor asks its webhook plugin (the payment app) before this plugin; payment
apps create an intent at `transactionInitialize` and move money only once the
shopper confirms it, which the failed session no longer lets them do. The
app's PSP reference is kept on the failed event, so the merchant can trace it.
"""

from typing import TYPE_CHECKING, Any

from saleor.channel import TransactionFlowStrategy
from saleor.checkout.models import Checkout
from saleor.payment import TransactionEventType
from saleor.payment.interface import TransactionSessionResult

from ..config import TakeoverSettings
from .completion import checkout_refusal

if TYPE_CHECKING:
    from saleor.payment.interface import TransactionSessionData

# The session's action (the channel's flow strategy) → the failure Saleor records.
_FAILURE = {
    TransactionFlowStrategy.CHARGE: TransactionEventType.CHARGE_FAILURE,
    TransactionFlowStrategy.AUTHORIZATION: TransactionEventType.AUTHORIZATION_FAILURE,
}


def refuse_while_held(
    session: "TransactionSessionData",
    answer: TransactionSessionResult | None,
    settings: TakeoverSettings,
) -> TransactionSessionResult | None:
    """The payment app's answer, or a failure when a rep holds the checkout."""
    checkout = session.source_object
    if not isinstance(checkout, Checkout):
        return answer
    refusal = checkout_refusal(checkout.token, settings)
    if refusal is None:
        return answer
    response: dict[str, Any] = (answer.response if answer else None) or {}
    refused: dict[str, Any] = {
        "result": _FAILURE.get(
            session.action.action_type, TransactionEventType.CHARGE_FAILURE
        ).upper(),
        "amount": str(session.action.amount),
        "message": refusal,
    }
    if response.get("pspReference"):
        refused["pspReference"] = response["pspReference"]
    return TransactionSessionResult(
        app_identifier=answer.app_identifier if answer else "",
        response=refused,
    )
