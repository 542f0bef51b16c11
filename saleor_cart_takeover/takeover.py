"""Starting, keeping alive and ending takeover sessions (expiry: `closing.py`).

Locks are always taken in one order — session, then draft order, then
checkout — so CSRs and shoppers working on the same objects cannot deadlock.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import graphene
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.actions import call_checkout_event
from saleor.checkout.models import Checkout, CheckoutMetadata
from saleor.checkout.utils import get_or_create_checkout_metadata
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.plugins.manager import PluginsManager
from saleor.webhook.event_types import WebhookEventAsyncType

from . import audit, closing, const
from .carts import cart_code, find_by_code
from .config import TakeoverSettings
from .errors import TakeoverError, TakeoverErrorCode
from .models import (
    OPEN_STATUSES,
    EndReason,
    TakeoverEventType,
    TakeoverSession,
    TakeoverStatus,
)


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

    With `settings.require_shopper_consent`, a registered shopper's existing
    cart that was not named by its code (which the shopper reads out, so that
    counts as consent) gets a PENDING session until the shopper answers.
    """
    closing.close_stale_sessions(Q(draft_order_id=draft_id))
    created_checkout: Checkout | None = None
    with transaction.atomic():
        draft = _lock_draft(draft_id)
        checkout = _pick_checkout(draft, checkout_token, cart_code_value, channel_ids)
        if checkout is None:
            checkout = created_checkout = _new_checkout_for(draft)
        else:
            # A rep whose session timed out must not keep the cart from others.
            closing.close_stale_sessions(Q(checkout_token=checkout.pk))
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
            checkout_token=checkout.pk, status__in=OPEN_STATUSES
        ).first()
        if held is not None:
            if held.holder_id == staff.pk and held.draft_order_id == draft.pk:
                if held.is_active:
                    touch(held, settings)
                elif cart_code_value:  # the shopper read the code out meanwhile
                    activate(
                        held, settings, staff, note="the shopper read out the cart code"
                    )
                # else a pending request keeps its own deadline
                audit.record(held, TakeoverEventType.RESUMED, staff)
                return held
            raise TakeoverError(
                TakeoverErrorCode.ALREADY_TAKEN_OVER,
                f"{held.holder_email} is already working on this cart "
                f"(since {held.started_at:%H:%M} UTC).",
                "checkoutId",
            )
        other = TakeoverSession.objects.filter(
            draft_order_id=draft.pk, status__in=OPEN_STATUSES
        ).first()
        if other is not None:
            raise TakeoverError(
                TakeoverErrorCode.ALREADY_TAKEN_OVER,
                f"This draft order already has cart {cart_code(other.checkout_token)} "
                f"open ({other.holder_email}); end that takeover first.",
                "draftOrderId",
            )

        now = timezone.now()
        needs_consent = (
            settings.require_shopper_consent
            and created_checkout is None
            and checkout.user_id is not None
            and not cart_code_value
        )
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
            status=TakeoverStatus.PENDING if needs_consent else TakeoverStatus.ACTIVE,
            expires_at=now
            + (const.CONSENT_WINDOW if needs_consent else settings.session_timeout),
        )
        code = cart_code(checkout.pk)
        if needs_consent:
            _request_consent(session, checkout, staff, code)
            return session
        closing.set_active_flag(checkout, True)
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


@dataclass
class SessionUnit:
    """One step through a session: what `session_unit` locked, and what to record."""

    session: TakeoverSession
    checkout: Checkout
    staff: User
    event: TakeoverEventType | None = None
    note: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    # Session fields the step changed, saved together with the new closing.
    changed: list[str] = field(default_factory=list)
    handing_back: bool = False

    def record(
        self, event: TakeoverEventType, note: str | None = None, **parameters: Any
    ) -> None:
        self.event, self.note, self.parameters = event, note, parameters

    def hand_back(self) -> None:
        """End the takeover once the step is done, in the same transaction."""
        self.handing_back = True


@contextmanager
def session_unit(
    session_id: int,
    staff: User,
    settings: TakeoverSettings,
    *,
    with_draft: bool = False,
    holder_only: bool = True,
    allow_pending: bool = False,
    checkout_related: tuple[str, ...] = (),
) -> Iterator[SessionUnit]:
    """The unit of work of every step a rep takes through a session.

    Stale sessions are closed first (and the step refused); then, in one
    transaction: the session is locked (with its draft when `with_draft`),
    then the checkout, in Saleor's lock order; the step runs; the session's
    idle timeout starts again and the step goes into the history; a hand-back
    closes the session last.
    """
    ensure_active(session_id)
    with transaction.atomic():
        session = lock_active(
            session_id,
            staff if holder_only else None,
            with_draft=with_draft,
            allow_pending=allow_pending,
        )
        checkout = (
            Checkout.objects.select_for_update(of=("self",))
            .select_related(*checkout_related)
            .filter(pk=session.checkout_token)
            .first()
        )
        if checkout is None:
            raise TakeoverError(
                TakeoverErrorCode.CHECKOUT_GONE,
                "The shopper's cart no longer exists.",
                "sessionId",
            )
        unit = SessionUnit(session=session, checkout=checkout, staff=staff)
        yield unit
        touch(session, settings, *unit.changed)
        if unit.event is not None:
            audit.record(session, unit.event, staff, note=unit.note, **unit.parameters)
        if unit.handing_back:
            closing.close_session(
                session,
                TakeoverStatus.ENDED,
                EndReason.ENDED_BY_STAFF,
                user=staff,
                note=f"Cart takeover ended by {staff.email}; the cart was handed "
                "back to the shopper.",
            )


def end_takeover(
    session_id: int, staff: User, settings: TakeoverSettings
) -> TakeoverSession:
    """Hand the cart back to the shopper (or withdraw a pending consent
    request); any rep with the grant may do it."""
    with session_unit(
        session_id, staff, settings, holder_only=False, allow_pending=True
    ) as unit:
        unit.hand_back()
    return unit.session


def held_session_id(checkout_token: Any, staff: User | None) -> int | None:
    """The session through which `staff` holds the cart, if they do."""
    if staff is None:
        return None
    return (
        TakeoverSession.objects.filter(
            # The holder: whoever it was handed to, else who started it.
            Q(held_by=staff) | Q(held_by_email="", started_by=staff),
            checkout_token=checkout_token,
            status=TakeoverStatus.ACTIVE,
            # A timed-out takeover no longer holds the cart.
            expires_at__gte=timezone.now(),
        )
        .values_list("pk", flat=True)
        .first()
    )


def touch(
    session: TakeoverSession, settings: TakeoverSettings, *also_changed: str
) -> None:
    """Count a step as activity: the idle timeout starts again."""
    now = timezone.now()
    session.last_activity_at = now
    session.expires_at = now + settings.session_timeout
    session.save(update_fields=["last_activity_at", "expires_at", *also_changed])


def lock_active(
    session_id: int,
    holder: User | None = None,
    *,
    with_draft: bool = False,
    allow_pending: bool = False,
) -> TakeoverSession:
    """Lock an active session for a write; call inside a transaction.

    With `holder`, only the rep who holds the cart now (after any handoff) may
    write through it; the check runs on the locked row, so it sees a handoff
    that committed while this call waited. With `with_draft`, the draft order
    is locked in the same statement and must still be a draft. A session
    waiting for the shopper's consent passes only with `allow_pending`.
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
    if not (session.is_open if allow_pending else session.is_active):
        raise _not_active(session)
    if holder is not None and session.holder_id != holder.pk:
        raise TakeoverError(
            TakeoverErrorCode.ALREADY_TAKEN_OVER,
            f"{session.holder_email} holds this cart; only they can change it.",
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
    if closing.close_stale_sessions(Q(pk=session_id)):
        session = TakeoverSession.objects.get(pk=session_id)
        raise _not_active(session)


def activate(
    session: TakeoverSession,
    settings: TakeoverSettings,
    user: User | None,
    *,
    note: str,
) -> None:
    """The shopper agreed: a PENDING session (locked by the caller) opens."""
    now = timezone.now()
    session.status = TakeoverStatus.ACTIVE
    session.last_activity_at = now
    session.expires_at = now + settings.session_timeout
    session.save(update_fields=["status", "last_activity_at", "expires_at"])
    # Locked: a storefront metadata write racing with this one must not be lost
    # (both rewrite the whole JSON document).
    metadata = (
        CheckoutMetadata.objects.select_for_update()
        .filter(checkout_id=session.checkout_token)
        .first()
    )
    if metadata is not None:
        if const.CONSENT_REQUESTED_KEY in (metadata.metadata or {}):
            metadata.delete_value_from_metadata(const.CONSENT_REQUESTED_KEY)
        metadata.store_value_in_metadata({const.CHECKOUT_TAKEN_OVER_KEY: "true"})
        metadata.save(update_fields=["metadata"])
    audit.record(
        session,
        TakeoverEventType.CONSENT_GIVEN,
        user,
        note=f"The shopper agreed ({note}): {session.holder_email} may now edit "
        "the cart.",
    )


def _request_consent(
    session: TakeoverSession, checkout: Checkout, staff: User, code: str
) -> None:
    """Ask the shopper, through public checkout metadata, to let the rep in."""
    session_id = graphene.Node.to_global_id("TakeoverSession", session.pk)
    metadata = get_or_create_checkout_metadata(checkout)
    # An answer left over from an earlier request must not count for this one.
    if const.CONSENT_KEY in (metadata.metadata or {}):
        metadata.delete_value_from_metadata(const.CONSENT_KEY)
    metadata.store_value_in_metadata({const.CONSENT_REQUESTED_KEY: session_id})
    metadata.save(update_fields=["metadata"])
    audit.record(
        session,
        TakeoverEventType.CONSENT_REQUESTED,
        staff,
        note=f"Cart takeover requested by {staff.email} on cart {code}; waiting for "
        "the shopper's consent.",
        cart_code=code,
    )


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
    if session.status == TakeoverStatus.PENDING:
        deadline = (
            f" (until {session.expires_at:%H:%M} UTC)" if session.expires_at else ""
        )
        return TakeoverError(
            TakeoverErrorCode.SESSION_NOT_ACTIVE,
            "The shopper has not agreed to this takeover yet; nothing can be changed "
            f"until they accept it on the storefront{deadline}.",
            "sessionId",
        )
    reason = EndReason(session.end_reason).label if session.end_reason else ""
    return TakeoverError(
        TakeoverErrorCode.SESSION_NOT_ACTIVE,
        f"This takeover is {session.status}"
        + (f" ({reason.lower()})" if reason else "")
        + ". Start it again from the draft order.",
        "sessionId",
    )
