"""Whether the shopper's checkout may become an order, decided at completion.

Saleor asks every plugin before it creates an order from a checkout
(`preprocess_order_creation`); this is the plugin's whole answer, so the hook
only delegates. It runs on every storefront completion: each check reads only
when the one before it found nothing.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from . import line_options, pickup_contacts, reconciliation, reserved_metadata
from .config import TakeoverSettings

if TYPE_CHECKING:
    from saleor.checkout.fetch import CheckoutInfo, CheckoutLineInfo


def problems_for(
    checkout_info: "CheckoutInfo",
    lines: list["CheckoutLineInfo"] | None,
    settings: TakeoverSettings,
) -> list[tuple[str, str]]:
    """(field, message) pairs that stand in the way of completing the checkout.

    A cart a rep holds is refused first; only then are the pickup contacts
    and, when the merchant enforces them, the line options checked.
    """
    refusal = reconciliation.checkout_refusal(checkout_info.checkout.token, settings)
    if refusal:
        return [("id", refusal)]
    problems = pickup_contacts.completion_problems(checkout_info)
    if not problems and settings.enforce_line_options and lines:
        problems = [
            ("lines", message) for message in line_options.checkout_problems(lines)
        ]
    return problems


def check(
    checkout_info: "CheckoutInfo",
    lines: list["CheckoutLineInfo"] | None,
    settings: TakeoverSettings,
    *,
    refusal_code: Callable[[], str],
) -> None:
    """Refuse the completion with Saleor's ValidationError, or let it through
    with the plugin's reserved keys stripped from the lines.

    `refusal_code` gives an error code the calling mutation can represent; it
    is asked only when refusing.
    """
    problems = problems_for(checkout_info, lines, settings)
    if problems and reconciliation.payment_succeeded(checkout_info.checkout):
        # The shopper has paid: the order must stand. The takeover ends
        # with a note on the draft when the order is created.
        problems = []
    if problems:
        # Saleor's legacy flow has counted the voucher as used already.
        reconciliation.release_voucher_usage(checkout_info)
        code = refusal_code()
        by_field: dict[str, list[ValidationError]] = {}
        for field, message in problems:
            by_field.setdefault(field, []).append(ValidationError(message, code=code))
        raise ValidationError(by_field)
    reserved_metadata.strip_from_lines(lines or [])
