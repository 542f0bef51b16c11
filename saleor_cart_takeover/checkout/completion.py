"""Whether the shopper's checkout may become an order, decided at completion.

Saleor asks every plugin before it creates an order from a checkout
(`preprocess_order_creation`); this is the plugin's whole answer, so the hook
only delegates. It runs on every storefront completion: each check reads only
when the one before it found nothing.
"""

import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from saleor.checkout import CheckoutAuthorizeStatus, CheckoutChargeStatus
from saleor.checkout.models import Checkout
from saleor.discount.utils.voucher import get_customer_email_for_voucher_usage
from saleor.order import OrderOrigin, OrderStatus
from saleor.payment import ChargeStatus

from .. import compat
from ..config import TakeoverSettings
from ..const import PICKUP_CONTACTS_KEY
from ..lines import options as line_options
from ..models import TakeoverSession, TakeoverStatus
from ..pickup import contacts as pickup_contacts
from . import reserved_metadata

if TYPE_CHECKING:
    from saleor.checkout.fetch import CheckoutInfo, CheckoutLineInfo
    from saleor.order.models import Order


@dataclass(frozen=True)
class _Checked:
    """What `check` let through, for the order Saleor then creates from it."""

    checkout_info: "CheckoutInfo"
    contacts: Any
    refusal_code: Callable[[], str]


# Request-scoped: set by `check` (Saleor's `preprocess_order_creation`) and
# read a moment later, in the same call and thread, when Saleor saves the
# order it creates from that checkout. Never shared between requests: every
# completion sets it before its order is saved, and it is matched by token.
_checked: ContextVar[_Checked | None] = ContextVar(
    "cart_takeover_checked_completion", default=None
)


def checkout_refusal(
    checkout_token: uuid.UUID, settings: TakeoverSettings
) -> str | None:
    """The message that refuses checkout while a rep holds the cart, if any.

    Runs on every checkoutComplete, so it is a single indexed query; sessions
    that already timed out do not block even before they are marked expired.
    """
    if not settings.block_checkout_during_takeover:
        return None
    held = TakeoverSession.objects.filter(
        checkout_token=checkout_token,
        status=TakeoverStatus.ACTIVE,
        expires_at__gt=timezone.now(),
        draft_order__isnull=False,
    ).exists()
    return settings.blocked_checkout_message if held else None


def payment_succeeded(checkout: Checkout) -> bool:
    """Has the shopper already paid (or authorised) for this checkout?

    Refusing such a completion would leave the shopper charged without an
    order (payment apps complete checkouts from their webhooks), and in the
    legacy flow Saleor would refund or void the payment on the refusal. The
    transaction flow keeps the state on the checkout itself; the legacy flow
    on its active payment (one query, only when a refusal is at stake).
    """
    if checkout.authorize_status != CheckoutAuthorizeStatus.NONE or (
        checkout.charge_status != CheckoutChargeStatus.NONE
    ):
        return True
    payment = checkout.get_last_active_payment()
    return payment is not None and (
        payment.charge_status != ChargeStatus.NOT_CHARGED or payment.is_authorized
    )


def release_voucher_usage(checkout_info: "CheckoutInfo") -> None:
    """Give back the voucher use Saleor took before a refusal.

    Saleor's legacy payment flow counts the voucher as used before it runs
    `preprocess_order_creation`, and gives it back only on `TaxError`; after
    any other refusal the shopper's single-use code would stay spent. This
    does what Saleor's own failure handler does with it.
    """
    if not checkout_info.checkout.is_voucher_usage_increased:
        return
    compat.release_checkout_voucher_usage(
        checkout_info.checkout,
        checkout_info.voucher_code,
        checkout_info.voucher,
        get_customer_email_for_voucher_usage(checkout_info),
    )


def problems_for(
    checkout_info: "CheckoutInfo",
    lines: list["CheckoutLineInfo"] | None,
    settings: TakeoverSettings,
) -> list[tuple[str, str]]:
    """(field, message) pairs that stand in the way of completing the checkout.

    A cart a rep holds is refused first; only then are the pickup contacts
    and, when the merchant enforces them, the line options checked.
    """
    refusal = checkout_refusal(checkout_info.checkout.token, settings)
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
    if problems and payment_succeeded(checkout_info.checkout):
        # The shopper has paid: the order must stand. The takeover ends
        # with a note on the draft when the order is created.
        problems = []
    if problems:
        # Saleor's legacy flow has counted the voucher as used already.
        release_voucher_usage(checkout_info)
        raise _refusal(problems, refusal_code)
    reserved_metadata.strip_from_lines(lines or [])
    if checkout_info.checkout.collection_point_id:
        # Contacts matter only for click-and-collect (their metadata is loaded).
        _checked.set(
            _Checked(
                checkout_info=checkout_info,
                contacts=pickup_contacts.stored_document(checkout_info.checkout),
                refusal_code=refusal_code,
            )
        )


def _refusal(
    problems: list[tuple[str, str]], refusal_code: Callable[[], str]
) -> ValidationError:
    code = refusal_code()
    by_field: dict[str, list[ValidationError]] = {}
    for field, message in problems:
        by_field.setdefault(field, []).append(ValidationError(message, code=code))
    return ValidationError(by_field)


def refuse_contacts_given_at_completion(
    sender: Any,
    instance: "Order",
    created: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    """`post_save` receiver for Order: the pickup contacts a completion brings
    itself meet the same rules as the checkout's own, or it is refused.

    `checkoutComplete(metadata:)` and `orderCreateFromCheckout(metadata:)`
    merge their metadata into the order after `preprocess_order_creation`
    (Saleor 3.23's `_create_order_from_checkout` and `_create_order`), and no
    plugin hook sees it before the order exists. The order's save inside
    Saleor's transaction is the first point that does: raising Saleor's
    ValidationError there rolls the order back and answers the mutation with
    the same errors `check` gives. A no-op for every other save: only the
    order made from the checkout `check` just let through, only when its
    document differs from the one `check` saw.
    """
    checked = _checked.get()
    if (
        checked is None
        or update_fields is not None  # Saleor's creation saves whole orders
        or instance.origin != OrderOrigin.CHECKOUT
        or instance.status == OrderStatus.DRAFT
        or not instance.collection_point_id
    ):
        return
    checkout = checked.checkout_info.checkout
    if str(instance.checkout_token) != str(checkout.token):
        return
    document = (instance.metadata or {}).get(PICKUP_CONTACTS_KEY)
    if document is None or document == checked.contacts:
        return
    problems = pickup_contacts.document_problems(document, checkout)
    if problems and not payment_succeeded(checkout):
        # As in `check`: a shopper who has paid keeps their order. (Saleor's
        # transaction rolls back whatever this completion wrote, so there is
        # nothing to give back here.)
        raise _refusal(problems, checked.refusal_code)
