"""Closing takeover sessions: handing the cart back, and expiring stale ones.

A session goes stale when it sits idle past its timeout (a consent request:
past its 10-minute deadline) or loses its draft or its cart. Reads show such a session as what it really is (`with_current_status`)
without writing; the write paths and the periodic clean-up (`expiry.py`: the
beat task and `manage.py cart_takeover expire`) close it (`close_stale_sessions`).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.models import Checkout
from saleor.order import OrderStatus
from saleor.order.models import Order

from .. import audit
from ..checkout import metadata as checkout_metadata
from ..const import CHECKOUT_TAKEN_OVER_KEY, CONSENT_WINDOW, STOREFRONT_KEYS
from ..models import (
    OPEN_STATUSES,
    EndReason,
    TakeoverEventType,
    TakeoverSession,
    TakeoverStatus,
)


def stale(now: datetime | None = None) -> Q:
    """Open sessions that timed out or whose draft or cart is gone.

    Needs the `cart_exists` annotation of `with_cart_exists`.
    """
    return Q(status__in=OPEN_STATUSES) & (
        Q(expires_at__lt=now or timezone.now())
        | Q(draft_order__isnull=True)
        | ~Q(draft_order__status=OrderStatus.DRAFT)
        | Q(cart_exists=False)
    )


def with_cart_exists(
    sessions: QuerySet[TakeoverSession],
) -> QuerySet[TakeoverSession]:
    return sessions.annotate(
        cart_exists=Exists(Checkout.objects.filter(token=OuterRef("checkout_token")))
    )


def with_current_status(
    sessions: QuerySet[TakeoverSession], now: datetime | None = None
) -> QuerySet[TakeoverSession]:
    """Annotate `current_status`: what a stale, not yet closed session really is.

    Reads show this instead of closing the session: queries never write, and
    the write paths, `cart_takeover expire` and the beat task do the closing.
    """
    now = now or timezone.now()
    return with_cart_exists(sessions).annotate(
        current_status=Case(
            When(
                Q(status__in=OPEN_STATUSES)
                & ~Q(draft_order__isnull=True)
                & ~Q(draft_order__status=OrderStatus.DRAFT),
                then=Value(TakeoverStatus.COMPLETED.value),
            ),
            When(
                Q(status__in=OPEN_STATUSES)
                & (Q(draft_order__isnull=True) | Q(cart_exists=False)),
                then=Value(TakeoverStatus.ENDED.value),
            ),
            When(
                Q(status__in=OPEN_STATUSES, expires_at__lt=now),
                then=Value(TakeoverStatus.EXPIRED.value),
            ),
            default=F("status"),
            output_field=CharField(),
        )
    )


def close_stale_sessions(scope: Q | None = None, now: datetime | None = None) -> int:
    """Close open sessions that timed out or whose draft or cart is gone.

    Runs on the write paths and in `expiry.expire_sessions` (the beat task and
    `manage.py cart_takeover expire`); never from a query. One
    query when nothing is stale. Returns how many it closed.
    """
    now = now or timezone.now()
    stale_ids = list(
        with_cart_exists(TakeoverSession.objects.filter(scope or Q()))
        .filter(stale(now))
        .values_list("pk", flat=True)
    )
    closed = 0
    for session_id in stale_ids:
        with transaction.atomic():
            # Staleness is checked again on the locked row: a rep's step that
            # committed while this waited restarted the idle timeout, and the
            # session it just used stays open.
            session = (
                with_cart_exists(
                    TakeoverSession.objects.select_for_update(of=("self",))
                    .select_related("draft_order")
                    .filter(pk=session_id)
                )
                .filter(stale(now))
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
    elif session.status == TakeoverStatus.PENDING:
        close_session(
            session,
            TakeoverStatus.EXPIRED,
            EndReason.CONSENT_EXPIRED,
            note="Cart takeover request expired: the shopper did not answer within "
            f"{int(CONSENT_WINDOW.total_seconds() // 60)} minutes.",
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
    checkout: Checkout | None = None,
    also_changed: tuple[str, ...] = (),
) -> None:
    """Finish a session (locked by the caller) and hand the cart back.

    `checkout`: the session's cart when the caller holds it already (locked by
    its unit of work), so that it is not read again. `also_changed`: session
    fields the caller changed, saved in the same UPDATE.
    """
    was_open = session.is_open
    session.status = status
    session.end_reason = reason
    session.ended_at = session.ended_at or timezone.now()
    session.expires_at = None
    if order is not None:
        session.order = order
    session.save(
        update_fields=[
            "status",
            "end_reason",
            "ended_at",
            "expires_at",
            "order",
            *also_changed,
        ]
    )
    if was_open:
        if checkout is None:
            checkout = Checkout.objects.filter(pk=session.checkout_token).first()
        if checkout is not None:
            clear_storefront_keys(checkout)
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
    if active:
        checkout_metadata.write(checkout, {CHECKOUT_TAKEN_OVER_KEY: "true"})
    else:
        checkout_metadata.write(checkout, remove=[CHECKOUT_TAKEN_OVER_KEY])


def clear_storefront_keys(checkout: Checkout) -> None:
    """Remove the takeover flag and any consent request or answer."""
    checkout_metadata.write(checkout, remove=STOREFRONT_KEYS)
