"""Starting, keeping alive, ending and expiring takeover sessions.

Locks are always taken in one order — session, then draft order, then
checkout — so CSRs and shoppers working on the same objects cannot deadlock.
"""

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.actions import call_checkout_event
from saleor.checkout.models import Checkout
from saleor.checkout.utils import get_or_create_checkout_metadata
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.plugins.manager import PluginsManager
from saleor.webhook.event_types import WebhookEventAsyncType

from . import audit
from .cart_snapshot import snapshot_of
from .carts import cart_code, find_by_code
from .config import TakeoverSettings
from .errors import TakeoverError, TakeoverErrorCode
from .models import EndReason, TakeoverEventType, TakeoverSession, TakeoverStatus

ACTIVE_FLAG = "cart_takeover.active"


def start_takeover(
    *,
    draft_id: uuid.UUID,
    staff: User,
    settings: TakeoverSettings,
    manager: PluginsManager,
    checkout_token: uuid.UUID | None = None,
    cart_code_value: str | None = None,
    channel_ids: list[int] | None = None,
) -> TakeoverSession:
    """Open the shopper's cart for `staff`, from the draft order they prepare.

    The cart is the given checkout, else the one the code names, else the draft
    customer's most recently changed cart in the draft's channel, else a new
    one. Starting again on a cart one already holds returns the same session.
    """
    close_stale_sessions(Q(draft_order_id=draft_id))
    created_checkout: Checkout | None = None
    with transaction.atomic():
        draft = _lock_draft(draft_id)
        checkout = _pick_checkout(draft, checkout_token, cart_code_value, channel_ids)
        if checkout is None:
            checkout = created_checkout = _new_checkout_for(draft)
        else:
            # A rep whose session timed out must not keep the cart from others.
            close_stale_sessions(Q(checkout_token=checkout.pk))
        # Serialises racing CSRs: the second one waits here, then sees the first.
        locked = (
            Checkout.objects.select_for_update(of=("self",))
            .filter(pk=checkout.pk)
            .first()
        )
        if locked is None:  # completed or expired while we were looking
            raise TakeoverError(
                TakeoverErrorCode.NOT_FOUND, "The cart no longer exists.", "checkoutId"
            )
        checkout = locked
        if checkout.completing_started_at:
            raise TakeoverError(
                TakeoverErrorCode.INVALID,
                "The shopper is placing the order for this cart right now.",
                "checkoutId",
            )
        _check_cart_fits_draft(checkout, draft)

        held = TakeoverSession.objects.filter(
            checkout_token=checkout.pk, status=TakeoverStatus.ACTIVE
        ).first()
        if held is not None:
            if held.started_by_id == staff.pk and held.draft_order_id == draft.pk:
                touch(held, settings)
                audit.record(held, TakeoverEventType.RESUMED, staff)
                return held
            raise TakeoverError(
                TakeoverErrorCode.ALREADY_TAKEN_OVER,
                f"{held.started_by_email} is already working on this cart "
                f"(since {held.started_at:%H:%M} UTC).",
                "checkoutId",
            )
        other = TakeoverSession.objects.filter(
            draft_order_id=draft.pk, status=TakeoverStatus.ACTIVE
        ).first()
        if other is not None:
            raise TakeoverError(
                TakeoverErrorCode.ALREADY_TAKEN_OVER,
                f"This draft order already has cart {cart_code(other.checkout_token)} "
                f"open ({other.started_by_email}); end that takeover first.",
                "draftOrderId",
            )

        now = timezone.now()
        session = TakeoverSession.objects.create(
            draft_order=draft,
            checkout_token=checkout.pk,
            channel_id=draft.channel_id,
            customer_id=checkout.user_id or draft.user_id,
            customer_email=checkout.email or draft.user_email or "",
            started_by=staff,
            started_by_email=staff.email,
            started_at=now,
            last_activity_at=now,
            expires_at=now + settings.session_timeout,
            cart_snapshot=[] if created_checkout else snapshot_of(checkout),
        )
        set_active_flag(checkout, True)
        code = cart_code(checkout.pk)
        audit.record(
            session,
            TakeoverEventType.STARTED,
            staff,
            note=f"Cart takeover started by {staff.email} on cart {code}"
            + (" (new cart)." if created_checkout else "."),
            cart_code=code,
            new_cart=created_checkout is not None,
        )
        if created_checkout is not None:
            transaction.on_commit(
                lambda: call_checkout_event(
                    manager, WebhookEventAsyncType.CHECKOUT_CREATED, created_checkout
                )
            )
    return session


def end_takeover(session_id: int, staff: User) -> TakeoverSession:
    """Hand the cart back to the shopper."""
    ensure_active(session_id)
    with transaction.atomic():
        session = lock_active(session_id)
        close_session(
            session,
            TakeoverStatus.ENDED,
            EndReason.ENDED_BY_STAFF,
            user=staff,
            note=f"Cart takeover ended by {staff.email}; the cart was handed back "
            "to the shopper.",
        )
    return session


def touch(
    session: TakeoverSession, settings: TakeoverSettings, *also_changed: str
) -> None:
    """Count a step as activity: the idle timeout starts again."""
    now = timezone.now()
    session.last_activity_at = now
    session.expires_at = now + settings.session_timeout
    session.save(update_fields=["last_activity_at", "expires_at", *also_changed])


def lock_active(
    session_id: int, holder: User | None = None, *, with_draft: bool = False
) -> TakeoverSession:
    """Lock an active session for a write; call inside a transaction.

    With `holder`, only the rep who holds the cart may write through it. With
    `with_draft`, the draft order is locked in the same statement and must
    still be a draft.
    """
    sessions = TakeoverSession.objects.filter(pk=session_id)
    if with_draft:
        sessions = sessions.filter(draft_order__isnull=False).select_for_update(
            of=("self", "draft_order")
        )
        related = ["draft_order__channel", "draft_order__user"]
        related += ["draft_order__billing_address", "draft_order__shipping_address"]
    else:
        sessions = sessions.select_for_update(of=("self",))
        related = ["draft_order__user"]
    session = sessions.select_related(*related).first()
    if session is None:
        raise TakeoverError(
            TakeoverErrorCode.NOT_FOUND, "No such takeover session.", "sessionId"
        )
    if not session.is_active:
        raise _not_active(session)
    if holder is not None and session.started_by_id != holder.pk:
        raise TakeoverError(
            TakeoverErrorCode.ALREADY_TAKEN_OVER,
            f"{session.started_by_email} holds this cart; only they can change it.",
            "sessionId",
        )
    draft = session.draft_order
    if with_draft and draft is not None and draft.status != OrderStatus.DRAFT:
        raise TakeoverError(
            TakeoverErrorCode.NOT_DRAFT,
            "The draft order was completed meanwhile.",
            "sessionId",
        )
    return session


def ensure_active(session_id: int) -> None:
    """Close the session first if it went stale, then refuse to work on it.

    Closing commits on its own so that the refusal does not roll it back. The
    caller still checks the status under lock: this only makes staleness visible.
    """
    if close_stale_sessions(Q(pk=session_id)):
        session = TakeoverSession.objects.get(pk=session_id)
        raise _not_active(session)


def close_stale_sessions(scope: Q | None = None, now: datetime | None = None) -> int:
    """Close active sessions that timed out or whose draft or cart is gone.

    This is the lazy side of expiry: it runs on access and from
    `manage.py cart_takeover expire`. One query when nothing is stale.
    Returns how many it closed.
    """
    now = now or timezone.now()
    stale_ids = list(
        TakeoverSession.objects.filter(scope or Q(), status=TakeoverStatus.ACTIVE)
        .annotate(
            cart_exists=Exists(
                Checkout.objects.filter(token=OuterRef("checkout_token"))
            )
        )
        .filter(
            Q(expires_at__lt=now)
            | Q(draft_order__isnull=True)
            | ~Q(draft_order__status=OrderStatus.DRAFT)
            | Q(cart_exists=False)
        )
        .values_list("pk", flat=True)
    )
    closed = 0
    for session_id in stale_ids:
        with transaction.atomic():
            session = (
                TakeoverSession.objects.select_for_update(of=("self",))
                .select_related("draft_order")
                .filter(pk=session_id, status=TakeoverStatus.ACTIVE)
                .first()
            )
            if session is not None:
                _close_stale(session, now)
                closed += 1
    return closed


def _close_stale(session: TakeoverSession, now: datetime) -> None:
    draft = session.draft_order
    if draft is None:
        close_session(session, TakeoverStatus.ENDED, EndReason.DRAFT_DELETED)
    elif draft.status != OrderStatus.DRAFT:
        close_session(
            session, TakeoverStatus.COMPLETED, EndReason.DRAFT_COMPLETED, order=draft
        )
    elif not Checkout.objects.filter(pk=session.checkout_token).exists():
        close_session(
            session,
            TakeoverStatus.ENDED,
            EndReason.CHECKOUT_DELETED,
            note="Cart takeover ended: the shopper's cart no longer exists.",
        )
    else:
        close_session(
            session,
            TakeoverStatus.EXPIRED,
            EndReason.EXPIRED,
            note="Cart takeover expired after "
            f"{int((now - session.last_activity_at).total_seconds() // 60)} idle "
            "minutes; the cart was handed back to the shopper.",
        )


def close_session(
    session: TakeoverSession,
    status: TakeoverStatus,
    reason: EndReason,
    *,
    user: User | None = None,
    order: Order | None = None,
    note: str | None = None,
) -> None:
    """Finish a session (locked by the caller) and hand the cart back."""
    was_active = session.is_active
    session.status = status
    session.end_reason = reason
    session.ended_at = session.ended_at or timezone.now()
    session.expires_at = None
    if order is not None:
        session.order = order
    session.save(
        update_fields=["status", "end_reason", "ended_at", "expires_at", "order"]
    )
    if was_active:
        checkout = Checkout.objects.filter(pk=session.checkout_token).first()
        if checkout is not None:
            set_active_flag(checkout, False)
    audit.record(
        session,
        TakeoverEventType.ENDED,
        user,
        note=note,
        order=order,
        status=str(status),
        reason=str(reason),
    )


def set_active_flag(checkout: Checkout, active: bool) -> None:
    """Tell storefronts, through public metadata, that a CSR holds the cart."""
    metadata = get_or_create_checkout_metadata(checkout)
    if active:
        metadata.store_value_in_metadata({ACTIVE_FLAG: "true"})
    elif ACTIVE_FLAG in (metadata.metadata or {}):
        metadata.delete_value_from_metadata(ACTIVE_FLAG)
    else:
        return
    metadata.save(update_fields=["metadata"])


def _lock_draft(draft_id: uuid.UUID) -> Order:
    draft = (
        Order.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        raise TakeoverError(
            TakeoverErrorCode.NOT_FOUND, "No such draft order.", "draftOrderId"
        )
    if draft.status != OrderStatus.DRAFT:
        raise TakeoverError(
            TakeoverErrorCode.NOT_DRAFT,
            f"Order #{draft.number} is not a draft; carts can only be taken over "
            "from a draft order.",
            "draftOrderId",
        )
    return draft


def _pick_checkout(
    draft: Order,
    checkout_token: uuid.UUID | None,
    code: str | None,
    channel_ids: list[int] | None,
) -> Checkout | None:
    if checkout_token:
        checkout = Checkout.objects.filter(pk=checkout_token).first()
        if checkout is None:
            raise TakeoverError(
                TakeoverErrorCode.NOT_FOUND, "No such cart.", "checkoutId"
            )
        return checkout
    if code:
        return find_by_code(code, channel_ids)
    if draft.user_id:
        return (
            Checkout.objects.filter(user_id=draft.user_id, channel_id=draft.channel_id)
            .order_by("-last_change")
            .first()
        )
    if draft.user_email:
        return None
    raise TakeoverError(
        TakeoverErrorCode.REQUIRED,
        "This draft order has no customer yet: set the customer, or give the "
        "code of the shopper's cart.",
        "cartCode",
    )


def _new_checkout_for(draft: Order) -> Checkout:
    channel = draft.channel
    user = draft.user
    return Checkout.objects.create(
        channel=channel,
        currency=channel.currency_code,
        country=channel.default_country,
        user=user,
        email=user.email if user else draft.user_email,
        language_code=draft.language_code,
    )


def _check_cart_fits_draft(checkout: Checkout, draft: Order) -> None:
    if checkout.channel_id != draft.channel_id:
        raise TakeoverError(
            TakeoverErrorCode.CHANNEL_MISMATCH,
            "This cart belongs to another channel than the draft order.",
            "checkoutId",
        )
    if checkout.user_id and checkout.user_id != draft.user_id:
        raise TakeoverError(
            TakeoverErrorCode.CUSTOMER_MISMATCH,
            "This cart belongs to another customer than the draft order's.",
            "checkoutId",
        )


def _not_active(session: TakeoverSession) -> TakeoverError:
    reason = EndReason(session.end_reason).label if session.end_reason else ""
    return TakeoverError(
        TakeoverErrorCode.SESSION_NOT_ACTIVE,
        f"This takeover is {session.status}"
        + (f" ({reason.lower()})" if reason else "")
        + ". Start it again from the draft order.",
        "sessionId",
    )
