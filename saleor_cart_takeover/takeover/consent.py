"""The shopper's answer to a takeover request (setting "Require shopper consent").

`takeoverStart` asks (session.py puts `cart_takeover.consent_requested = <session
id>` into the checkout's public metadata and leaves the session PENDING). The
storefront answers with the plugin's `takeoverConsentAnswer`.

Who may answer is the whole point: consent is the shopper's. For a registered
shopper's cart only that shopper, signed in with their own access token, may
answer; staff can learn such a cart's checkout id (Saleor's `User.checkoutIds`)
and could write any metadata on it, so neither the id nor metadata counts.
For an anonymous cart holding the checkout id is enough, as with Saleor's
checkout mutations: it is the only credential an anonymous shopper has.
Staff never answer for a shopper, nor does a token the Dashboard issued.
"""

import uuid

from django.db import transaction
from django.db.models import Q
from saleor.checkout.models import Checkout

from ..access.auth import Caller
from ..config import TakeoverSettings
from ..errors import PermissionDenied, TakeoverError, TakeoverErrorCode, Unauthenticated
from ..models import EndReason, TakeoverSession, TakeoverStatus
from .closing import close_session, close_stale_sessions
from .session import activate


def answer_consent(
    checkout_token: uuid.UUID,
    session_id: int,
    *,
    accept: bool,
    caller: Caller | None,
    settings: TakeoverSettings,
) -> TakeoverSession:
    """Record the shopper's answer to the request `session_id` on the cart.

    Raises Unauthenticated / PermissionDenied when the caller is not the one
    who may answer (checked before anything about the request is revealed),
    TakeoverError when there is no such request waiting.
    """
    checkout = Checkout.objects.filter(pk=checkout_token).only("user_id").first()
    if checkout is None:
        raise TakeoverError(TakeoverErrorCode.NOT_FOUND, "No such cart.", "checkoutId")
    _authorize(checkout, session_id, caller)
    session = answer_request(
        session_id, checkout_token, approve=accept, settings=settings
    )
    if session is None:
        exists = TakeoverSession.objects.filter(
            pk=session_id, checkout_token=checkout_token
        ).exists()
        if not exists:
            raise TakeoverError(
                TakeoverErrorCode.NOT_FOUND,
                "There is no takeover request with this id for this cart.",
                "sessionId",
            )
        raise TakeoverError(
            TakeoverErrorCode.SESSION_NOT_ACTIVE,
            "This takeover request is no longer waiting for an answer: it was "
            "answered, withdrawn or has expired.",
            "sessionId",
        )
    return session


def _authorize(checkout: Checkout, session_id: int, caller: Caller | None) -> None:
    """The cart's owner answers a registered cart; anyone holding the id an
    anonymous one; never staff on a shopper's behalf."""
    owner_id = checkout.user_id
    if owner_id is None:
        # A cart detached from its shopper after the request stays theirs to
        # answer: the request was made to a registered shopper.
        owner_id = (
            TakeoverSession.objects.filter(
                pk=session_id,
                checkout_token=checkout.pk,
                status=TakeoverStatus.PENDING,
            )
            .values_list("customer_id", flat=True)
            .first()
        )
    if caller is not None and caller.app is not None:
        raise PermissionDenied(
            "Only the shopper can answer a takeover request, not a token the "
            "Dashboard issued."
        )
    if owner_id is None:
        if caller is not None and caller.user.is_staff:
            raise PermissionDenied(
                "Staff cannot answer a takeover request for the shopper."
            )
        return
    if caller is None:
        raise Unauthenticated(
            "This cart belongs to a registered shopper: sign in as that shopper "
            "to answer."
        )
    if caller.user.pk != owner_id:
        raise PermissionDenied("Only the shopper whose cart this is can answer.")


def answer_request(
    session_id: int,
    checkout_token: uuid.UUID,
    *,
    approve: bool,
    settings: TakeoverSettings,
) -> TakeoverSession | None:
    """Open (approve) or end (decline) a pending session of that checkout.

    Returns None when there is no such pending request any more: it expired,
    the rep withdrew it, or it was answered before.
    """
    close_stale_sessions(Q(pk=session_id))  # a late answer meets an expired request
    with transaction.atomic():
        session = (
            TakeoverSession.objects.select_for_update(of=("self",))
            .select_related("draft_order")
            .filter(
                pk=session_id,
                checkout_token=checkout_token,
                status=TakeoverStatus.PENDING,
            )
            .first()
        )
        if session is None:
            return None
        if not approve:
            close_session(
                session,
                TakeoverStatus.ENDED,
                EndReason.DECLINED,
                note="The shopper declined the cart takeover.",
            )
            return session
        activate(session, settings, None, note="on the storefront")
    return session
