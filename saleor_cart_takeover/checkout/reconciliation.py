"""What happens when the cart or the draft finally becomes an order.

Two roads lead to an order. The shopper checks out the cart the rep prepared:
the rep's draft must not linger as a duplicate. Or the rep completes the draft
as a phone order: the items copied into it leave the shopper's cart so they are
not bought twice. Either way the session is COMPLETED with that order.
"""

import json
import logging
import uuid
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Least
from django.utils import timezone
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.discount.models import VoucherCode
from saleor.discount.utils.voucher import (
    get_customer_email_for_voucher_usage,
    release_voucher_code_usage,
)
from saleor.order import OrderStatus
from saleor.order.actions import call_order_event
from saleor.order.models import Order, OrderLine
from saleor.payment.models import Payment, TransactionItem
from saleor.plugins.manager import PluginsManager, get_plugins_manager
from saleor.warehouse.models import PreorderReservation, Reservation
from saleor.webhook.event_types import WebhookEventAsyncType

from .. import const
from ..config import DRAFT_DELETE, TakeoverSettings
from ..lines import attribution
from ..models import CopiedLine, EndReason, TakeoverSession, TakeoverStatus
from ..takeover.cart_editing import refresh_cart
from ..takeover.carts import cart_code
from ..takeover.closing import close_session
from . import metadata as checkout_metadata
from . import reserved_metadata

logger = logging.getLogger(__name__)


def on_order_created(order: Order, settings: TakeoverSettings) -> None:
    """Reconcile the sessions behind a new order; never fail Saleor's flow.

    The order's metadata is written once: with its session's keys when the
    shopper's order closes a session (`complete_from_checkout`), otherwise only
    to drop the reserved keys Saleor copied from the checkout.
    """
    scope = Q(draft_order_id=order.pk)
    token = _token(order.checkout_token)
    if token:
        scope |= Q(checkout_token=token)
    session_ids = list(
        TakeoverSession.objects.filter(scope)
        .exclude(status=TakeoverStatus.COMPLETED)
        .order_by("pk")
        .values_list("pk", "draft_order_id", "checkout_token")
    )
    if not session_ids:
        reserved_metadata.strip_from_order(order)
        return
    manager = get_plugins_manager(allow_replica=False)
    written = False
    # A cart taken over more than once for one draft had its items copied
    # into it once: they leave the cart once, with the first of its sessions.
    cleared: set[uuid.UUID] = set()
    for session_id, draft_id, checkout_token in session_ids:
        try:
            if draft_id == order.pk:
                complete_from_draft(
                    session_id,
                    order,
                    settings,
                    manager,
                    clear_cart=checkout_token not in cleared,
                )
                cleared.add(checkout_token)
            else:
                written |= complete_from_checkout(session_id, order, settings, manager)
        except Exception:
            # The order exists already; a failed reconciliation must not turn into
            # an error for the shopper. The session stays open and is retried by
            # `cart_takeover expire` / the next access.
            logger.exception("Cart takeover: reconciling session %s failed", session_id)
    if not written:
        reserved_metadata.strip_from_order(order)


def retry_unreconciled(settings: TakeoverSettings) -> int:
    """Finish reconciliations that failed when the shopper's order was created.

    `on_order_created` never fails Saleor's checkout, so a failure there leaves
    a session that is not COMPLETED although its cart became an order (and the
    rep's draft next to it). Runs first in `expiry.expire_sessions` (the beat
    task and `cart_takeover expire`); returns how many sessions it completed.
    """
    # Carts live at most 90 days in Saleor; older sessions cannot become orders.
    recent = timezone.now() - timedelta(days=90)
    pending = list(
        TakeoverSession.objects.exclude(status=TakeoverStatus.COMPLETED)
        .filter(started_at__gte=recent)
        .annotate(
            cart_exists=Exists(
                Checkout.objects.filter(token=OuterRef("checkout_token"))
            ),
            order_pk=Subquery(
                Order.objects.filter(
                    checkout_token=Cast(OuterRef("checkout_token"), CharField())
                )
                .exclude(status=OrderStatus.DRAFT)
                .values("pk")[:1]
            ),
        )
        .filter(cart_exists=False, order_pk__isnull=False)
        .values_list("pk", "order_pk")
    )
    if not pending:
        return 0
    manager = get_plugins_manager(allow_replica=False)
    orders = Order.objects.in_bulk([order_pk for _, order_pk in pending])
    for session_id, order_pk in pending:
        try:
            complete_from_checkout(session_id, orders[order_pk], settings, manager)
        except Exception:
            logger.exception("Cart takeover: reconciling session %s failed", session_id)
    return len(pending)


def complete_from_checkout(
    session_id: int, order: Order, settings: TakeoverSettings, manager: PluginsManager
) -> bool:
    """The shopper placed the order: tie it to the session, retire the draft.

    Returns whether it wrote the order's metadata (the session was still open).
    """
    with transaction.atomic():
        session = _lock_open(session_id)
        if session is None:
            return False
        held = session.is_active and bool(
            session.expires_at and session.expires_at > timezone.now()
        )
        draft = (
            Order.objects.select_for_update(of=("self",))
            .filter(pk=session.draft_order_id, status=OrderStatus.DRAFT)
            .first()
        )
        # Saleor copied the cart's public metadata, "takeover active" (and any
        # consent request or answer) included: every reserved key goes, in the
        # same statement that records the session (the order's one write).
        checkout_metadata.write_order(
            order,
            set_private={
                const.ORDER_SESSION_KEY: str(session.pk),
                const.ORDER_PREPARED_BY_KEY: session.holder_email,
                const.ORDER_DRAFT_KEY: str(draft.number) if draft else "",
            },
            remove=sorted(reserved_metadata.RESERVED_KEYS),
        )
        # As Saleor's metadata mutations do; sent once the transaction commits.
        call_order_event(manager, WebhookEventAsyncType.ORDER_METADATA_UPDATED, order)
        close_session(
            session,
            TakeoverStatus.COMPLETED,
            EndReason.CHECKOUT_COMPLETED,
            order=order,
            note=f"Placed by the shopper from cart {cart_code(session.checkout_token)}, "
            f"prepared by {session.holder_email}"
            + (f" in draft order #{draft.number}." if draft else "."),
        )
        if draft is None:
            return True
        if held and settings.block_checkout_during_takeover:
            # Checkout was not refused (the shopper had paid): the rep was
            # still working on this draft, so it stays, with the reason.
            _note_on_draft(
                draft,
                f"The shopper placed order #{order.number} while "
                f"{session.started_by_email} held the cart: their payment had "
                "already gone through, so checkout could not be refused. This "
                "draft was kept; compare it with the order before completing it.",
            )
            return True
        _retire_draft(draft, order, settings, manager)
    return True


def complete_from_draft(
    session_id: int,
    order: Order,
    settings: TakeoverSettings,
    manager: PluginsManager,
    *,
    clear_cart: bool = True,
) -> None:
    """Staff completed the draft: take what they copied out of the cart
    (unless `clear_cart` is off: another session of the same cart did)."""
    with transaction.atomic():
        session = _lock_open(session_id)
        if session is None:
            return
        removed = 0
        if clear_cart and settings.clear_cart_after_draft_completed:
            removed = _take_copied_items_out_of_cart(session, order, manager)
        close_session(
            session,
            TakeoverStatus.COMPLETED,
            EndReason.DRAFT_COMPLETED,
            order=order,
            note="Cart takeover completed with this order"
            + (
                f"; {removed} copied item(s) were taken out of the shopper's cart."
                if removed
                else "."
            ),
        )


def _lock_open(session_id: int) -> TakeoverSession | None:
    return (
        TakeoverSession.objects.select_for_update(of=("self",))
        .exclude(status=TakeoverStatus.COMPLETED)
        .filter(pk=session_id)
        .first()
    )


def _retire_draft(
    draft: Order, order: Order, settings: TakeoverSettings, manager: PluginsManager
) -> None:
    """Delete the rep's draft the way `draftOrderDelete` does, or keep it noted.

    A draft holding lines the rep added directly (not from the cart), copied
    lines staff changed since (more units, other options) beyond what the
    order has, or payments, is kept with a note: deleting it would lose what
    the shopper's order lacks.

    Why a copy of `DraftOrderDelete`'s steps: Saleor has no draft-deletion
    service outside that GraphQL mutation (its `perform_mutation` and
    `post_save_action`), and this runs in a hook with no GraphQL request. The
    steps are Saleor's own services, in its order: refuse payments, delete,
    release the voucher usage, fire `draft_order_deleted`. Re-check them
    against `saleor/graphql/order/mutations/draft_order_delete.py` on upgrades.
    """
    own_lines, changed_copies = _draft_differs(draft, order)
    has_payments = (
        Payment.objects.filter(order_id=draft.pk).exists()
        or TransactionItem.objects.filter(order_id=draft.pk).exists()
    )
    if settings.draft_after_checkout == DRAFT_DELETE and not (
        own_lines or changed_copies or has_payments
    ):
        if code := draft.voucher_code:
            voucher_code = VoucherCode.objects.filter(code=code).first()
            if voucher_code and draft.channel.include_draft_order_in_voucher_usage:
                release_voucher_code_usage(
                    voucher_code,
                    voucher_code.voucher,
                    get_customer_email_for_voucher_usage(draft),
                )
        # As Saleor's draftOrderDelete (ModelDeleteMutation): Django clears the
        # id on delete; put it back so the event's payload names the draft.
        draft_pk = draft.pk
        draft.delete()
        draft.pk = draft_pk
        call_order_event(manager, WebhookEventAsyncType.DRAFT_ORDER_DELETED, draft)
        return
    why = (
        "it has items that were not in the cart"
        if own_lines
        else "staff changed items copied from the cart (quantity or options) "
        "that the order does not have"
        if changed_copies
        else "it has payments"
        if has_payments
        else "the plugin is set to keep drafts"
    )
    _note_on_draft(
        draft,
        f"The shopper placed order #{order.number} from the cart prepared "
        f"here; this draft was kept because {why}.",
    )


def _draft_differs(draft: Order, order: Order) -> tuple[bool, bool]:
    """Whether the draft has lines that were not copied from the cart that
    became `order`, and whether its copied lines hold more than the order:
    units or options (line metadata other than the plugin's) it lacks."""
    token = _token(order.checkout_token) or uuid.UUID(int=0)
    copied_ids = set(
        CopiedLine.objects.filter(
            order_line__order_id=draft.pk, session__checkout_token=token
        ).values_list("order_line_id", flat=True)
    )
    draft_lines = list(draft.lines.all())
    own_lines = any(line.pk not in copied_ids for line in draft_lines)
    in_order: Counter[tuple[int | None, str]] = Counter()
    for line in order.lines.all():
        in_order[_line_key(line)] += line.quantity
    in_draft: Counter[tuple[int | None, str]] = Counter()
    for line in draft_lines:
        if line.pk in copied_ids:
            in_draft[_line_key(line)] += line.quantity
    return own_lines, bool(in_draft - in_order)


def _line_key(line: OrderLine) -> tuple[int | None, str]:
    return (
        line.variant_id,
        json.dumps(attribution.configuration(line.metadata), sort_keys=True),
    )


def _note_on_draft(draft: Order, message: str) -> None:
    from saleor.order import events as order_events

    order_events.order_note_added_event(
        order=draft, user=None, app=None, message=message
    )


def _take_copied_items_out_of_cart(
    session: TakeoverSession, order: Order, manager: PluginsManager
) -> int:
    checkout = (
        Checkout.objects.select_for_update(of=("self",))
        .filter(pk=session.checkout_token)
        .first()
    )
    if checkout is None:
        return 0
    copied = {
        copy.checkout_line_id: copy.quantity
        for copy in CopiedLine.objects.filter(order_line__order_id=order.pk)
    }
    lines = list(
        CheckoutLine.objects.select_for_update(of=("self",)).filter(
            checkout_id=checkout.pk, pk__in=copied
        )
    )
    to_delete: list[CheckoutLine] = []
    to_update: list[CheckoutLine] = []
    removed = 0
    for line in lines:
        # The shopper may have changed the line since; remove only what was copied.
        taken = min(line.quantity, copied[line.pk])
        removed += taken
        line.quantity -= taken
        (to_update if line.quantity > 0 else to_delete).append(line)
    if to_delete:
        CheckoutLine.objects.filter(pk__in=[line.pk for line in to_delete]).delete()
    if to_update:
        CheckoutLine.objects.bulk_update(to_update, ["quantity"])
        _shrink_reservations(to_update)
    if lines:
        refresh_cart(checkout, manager)
    return removed


def _shrink_reservations(lines: list[CheckoutLine]) -> None:
    """Hold no more stock for a line than it still has: the stock taken out
    went to the phone order. (Deleted lines take their reservations along.)"""
    remaining = Case(
        *[When(checkout_line_id=line.pk, then=Value(line.quantity)) for line in lines],
        output_field=IntegerField(),
    )
    for model in (Reservation, PreorderReservation):
        model.objects.filter(checkout_line__in=lines).update(
            quantity_reserved=Least("quantity_reserved", remaining)
        )


def _token(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
