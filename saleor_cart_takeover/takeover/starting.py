"""Starting a takeover: picking the shopper's cart and opening a session on it.

Keeping a session alive, its unit of work and ending it live in `session.py`;
expiry in `closing.py`.

Locks are always taken in one order — session, then draft order, then
checkout — so CSRs and shoppers working on the same objects cannot deadlock.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import graphene
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.actions import call_checkout_event
from saleor.checkout.models import Checkout
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.plugins.manager import PluginsManager
from saleor.webhook.event_types import WebhookEventAsyncType

from .. import audit, const
from ..access import rate_limits
from ..checkout import metadata as checkout_metadata
from ..config import TakeoverSettings
from ..errors import PermissionDenied, TakeoverError, TakeoverErrorCode
from ..models import OPEN_STATUSES, TakeoverEventType, TakeoverSession, TakeoverStatus
from . import closing
from .cart_snapshot import snapshot_of
from .carts import cart_code, checkouts_with_lines, find_by_code
from .session import touch


@dataclass(frozen=True)
class Started:
    """The session, and the cart as the start locked and left it (its lines
    loaded), for the answer to show without reading either again."""

    session: TakeoverSession
    checkout: Checkout


def start_takeover(
    *,
    draft_id: uuid.UUID,
    staff: User,
    settings: TakeoverSettings,
    manager: PluginsManager,
    checkout_token: uuid.UUID | None = None,
    cart_code_value: str | None = None,
    channel_ids: list[int] | None = None,
) -> "Started":
    """Open the shopper's cart for `staff`, from the draft order they prepare.

    The cart is the given checkout, else the one the code names, else the draft
    customer's most recently changed cart in the draft's channel, else a new
    one. Starting again on a cart one already holds returns the same session.

    `channel_ids`: the channels the caller may work in (None: all); a draft in
    another channel is refused with PermissionDenied, a cart code looks only
    there.

    With `settings.require_shopper_consent`, a registered shopper's existing
    cart gets a PENDING session until the shopper, signed in, answers
    (`consent.py`), however the rep named it. A code counts as consent only for
    an anonymous cart (whose code, read out by the shopper, is all that finds
    it): staff can learn a registered cart's checkout token, and so its code,
    from Saleor's own API (`User.checkoutIds`).
    """
    # A rep whose session timed out must not keep the draft, or the cart, from
    # others. A cart named by its id is swept with the draft (one query); one
    # found by code or customer is swept once found.
    stale = Q(draft_order_id=draft_id)
    if checkout_token:
        stale |= Q(checkout_token=checkout_token)
    if channel_ids is not None:
        # Nothing outside the caller's channels is touched, not even before
        # the draft's channel is checked (under its lock, below).
        stale &= Q(channel_id__in=channel_ids)
    closing.close_stale_sessions(stale)
    created_checkout: Checkout | None = None
    with transaction.atomic():
        draft = _lock_draft(draft_id, channel_ids)
        if checkout_token:
            checkout = _lock_checkout(checkout_token, "No such cart.")
        else:
            found = _pick_checkout(draft, cart_code_value, channel_ids)
            if found is None:
                found = created_checkout = _new_checkout_for(draft)
            else:
                closing.close_stale_sessions(Q(checkout_token=found.pk))
            # Completed or expired while we were looking: gone.
            checkout = _lock_checkout(found.pk, "The cart no longer exists.")
        if _completion_in_progress(checkout):
            raise TakeoverError(
                TakeoverErrorCode.INVALID,
                "The shopper is placing the order for this cart right now.",
                "checkoutId",
            )
        _check_cart_fits_draft(checkout, draft)

        # The cart's open session and the draft's, in one read (at most one
        # each: the partial unique constraints).
        open_sessions = list(
            TakeoverSession.objects.filter(
                Q(checkout_token=checkout.pk) | Q(draft_order_id=draft.pk),
                status__in=OPEN_STATUSES,
            )
        )
        held = next((s for s in open_sessions if s.checkout_token == checkout.pk), None)
        if held is not None:
            if held.holder_id == staff.pk and held.draft_order_id == draft.pk:
                held.draft_order = draft  # the locked draft: no re-read
                if held.is_active:
                    touch(held, settings)
                # else a pending request keeps its own deadline: only the
                # shopper's answer opens it, never a code (see above)
                audit.record(held, TakeoverEventType.RESUMED, staff)
                return Started(held, checkout)
            raise TakeoverError(
                TakeoverErrorCode.ALREADY_TAKEN_OVER,
                f"{held.holder_email} is already working on this cart "
                f"(since {held.started_at:%H:%M} UTC).",
                "checkoutId",
            )
        other = next(iter(open_sessions), None)  # the draft's, on another cart
        if other is not None:
            # A cart waiting for consent is not named: its code stays hidden.
            which = (
                f"cart {cart_code(other.checkout_token)}"
                if other.is_active
                else "a cart waiting for the shopper's consent"
            )
            raise TakeoverError(
                TakeoverErrorCode.ALREADY_TAKEN_OVER,
                f"This draft order already has {which} open ({other.holder_email}); "
                "end that takeover first.",
                "draftOrderId",
            )

        if created_checkout is None:
            # Counted here, once the cart is known however the rep named it
            # (draft, code or id): repeated starts must not keep one shopper's
            # checkout blocked for ever. Keyed by the cart's code, as lookups
            # are, so that no checkout token is written into the cache.
            rate_limits.consume(
                rate_limits.STARTS_PER_CART, cart_code(checkout.pk), "cartId"
            )
        now = timezone.now()
        needs_consent = (
            settings.require_shopper_consent
            and created_checkout is None
            and checkout.user_id is not None
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
            cart_snapshot=[] if created_checkout else snapshot_of(checkout),
        )
        if needs_consent:
            _request_consent(session, checkout, staff)
            return Started(session, checkout)
        code = cart_code(checkout.pk)
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
    return Started(session, checkout)


def _lock_checkout(token: uuid.UUID, missing: str) -> Checkout:
    """Lock the cart, read with everything its view shows and its lines: the
    snapshot and the answer use them, and nothing reads the cart again.
    Serialises racing CSRs: the second one waits here, then sees the first."""
    checkout = (
        checkouts_with_lines().select_for_update(of=("self",)).filter(pk=token).first()
    )
    if checkout is None:
        raise TakeoverError(TakeoverErrorCode.NOT_FOUND, missing, "checkoutId")
    return checkout


def _request_consent(session: TakeoverSession, checkout: Checkout, staff: User) -> None:
    """Ask the shopper, through public checkout metadata, to let the rep in.

    Neither the history nor the draft's note names the cart's code: no answer
    shows a rep the code of a cart that waits for consent.
    """
    session_id = graphene.Node.to_global_id("TakeoverSession", session.pk)
    # An answer left over from an earlier request must not count for this one.
    checkout_metadata.write(
        checkout,
        {const.CONSENT_REQUESTED_KEY: session_id},
        remove=[const.CONSENT_KEY],
    )
    audit.record(
        session,
        TakeoverEventType.CONSENT_REQUESTED,
        staff,
        note=f"Cart takeover requested by {staff.email} on the customer's cart; "
        "waiting for the shopper's consent.",
    )


def _lock_draft(draft_id: uuid.UUID, channel_ids: list[int] | None) -> Order:
    """Lock the draft; the caller must work in its channel (checked on the
    locked row, before anything about the order is told)."""
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
    if channel_ids is not None and draft.channel_id not in channel_ids:
        raise PermissionDenied("You don't have access to this channel.")
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
    code: str | None,
    channel_ids: list[int] | None,
) -> Checkout | None:
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


def _completion_in_progress(checkout: Checkout) -> bool:
    """Saleor's checkout-completion lock, which expires after
    CHECKOUT_COMPLETION_LOCK_TIME: a completion that crashed leaves
    `completing_started_at` behind for ever. Not `Checkout.is_checkout_locked`:
    it reads `timedelta.seconds`, so a lock a day and a minute old looks live.
    """
    started = checkout.completing_started_at
    lock_time = timedelta(
        seconds=getattr(django_settings, "CHECKOUT_COMPLETION_LOCK_TIME", 180)
    )
    return started is not None and timezone.now() - started < lock_time


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
