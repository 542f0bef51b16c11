"""The shopper's answer to a takeover request (setting "Require shopper consent").

`takeoverStart` asks (takeover.py puts `cart_takeover.consent_requested = <session
id>` into the checkout's public metadata and leaves the session PENDING). The
storefront answers with Saleor's own `updateMetadata`, holding the checkout
token as Saleor's checkout API always does: public `cart_takeover.consent` =
the session id approves, `declined` declines. Saleor then fires
`checkout_metadata_updated`, which lands here.
"""

import logging
from typing import Any

import graphene
from django.db import transaction
from django.db.models import Q
from saleor.checkout.models import Checkout

from .closing import close_session, close_stale_sessions
from .config import TakeoverSettings
from .const import CONSENT_DECLINED, CONSENT_KEY, CONSENT_REQUESTED_KEY
from .models import EndReason, TakeoverSession, TakeoverStatus
from .takeover import activate

logger = logging.getLogger(__name__)


def answer_from_metadata(
    checkout: Checkout, metadata: dict[str, Any], settings: TakeoverSettings
) -> None:
    """React to a metadata write on a checkout: approve or decline a request.

    This runs on every storefront `updateMetadata` of a checkout, so it is
    handed the checkout's metadata the hook has already read, and queries
    nothing more unless the consent answer is there. It never fails the
    storefront's call: the metadata is committed by now anyway.
    """
    answer = metadata.get(CONSENT_KEY)
    if not answer:
        return
    requested = metadata.get(CONSENT_REQUESTED_KEY)
    if not requested or answer not in (requested, CONSENT_DECLINED):
        return  # a stale answer, or one to another request: not for us
    try:
        type_name, pk = graphene.Node.from_global_id(requested)
        session_id = int(pk)
    except (ValueError, TypeError, UnicodeDecodeError, AttributeError):
        return
    if type_name != "TakeoverSession":
        return
    try:
        answer_request(
            session_id, checkout.pk, approve=answer == requested, settings=settings
        )
    except Exception:
        logger.exception("Cart takeover: recording the shopper's answer failed")


def answer_request(
    session_id: int, checkout_token: Any, *, approve: bool, settings: TakeoverSettings
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
