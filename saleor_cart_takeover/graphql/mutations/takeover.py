"""takeoverStart and takeoverEnd."""

from typing import Any

import graphene
from saleor.checkout.models import Checkout

from ... import audit, errors
from ...access import auth, rate_limits
from ...models import TakeoverSession, TakeoverStatus
from ...takeover import carts, starting
from ...takeover.session import end_takeover
from .. import descriptions, ids, resolvers, types
from .base import BaseMutation, session_pk


class TakeoverSessionPayload(graphene.ObjectType):
    """The session after a takeover operation, or why it was refused."""

    session = graphene.Field(
        types.TakeoverSession,
        description="The session as the operation left it; null when it was refused.",
    )
    errors = graphene.List(
        graphene.NonNull(types.TakeoverError),
        required=True,
        description=descriptions.ERRORS,
    )


def session_payload(session_id: int) -> TakeoverSessionPayload:
    session = resolvers.sessions_queryset().get(pk=session_id)
    return TakeoverSessionPayload(session=session, errors=[])


def written_session_payload(
    session: TakeoverSession, checkout: Checkout | None = None
) -> TakeoverSessionPayload:
    """The session (and its cart) as the step that locked and wrote them holds
    them: current once the step committed, so nothing is read again.

    What `sessions_queryset` and `carts_queryset` annotate follows from the
    session itself: it was just written, so it is not stale, and it is the
    one open session its cart can have (the partial unique constraints).
    """
    session.current_status = session.status  # type: ignore[attr-defined]
    pending = session.status == TakeoverStatus.PENDING
    session.cart_awaiting_consent = pending  # type: ignore[attr-defined]
    if checkout is not None:
        checkout.taken_over = session.is_open
        checkout.awaiting_consent = pending
        session._cart_cache = checkout  # type: ignore[attr-defined]
        if session.channel_id == checkout.channel_id:
            session.channel = checkout.channel
    return TakeoverSessionPayload(session=session, errors=[])


class TakeoverStart(BaseMutation):
    class Arguments:
        draft_order_id = graphene.ID(
            required=True,
            description="The draft order the rep prepares (`Order`, status draft); "
            "the cart must be in its channel and belong to its customer.",
        )
        cart_id = graphene.ID(description="A Cart id from this API.")
        checkout_id = graphene.ID(
            description="The cart as a Saleor `Checkout` id (or a Cart id)."
        )
        cart_code = graphene.String(
            description="The code the shopper reads out from their cart page, "
            "e.g. `1A2B-3C4D` (case, spaces and dashes do not matter). Lookups "
            "are rate limited and recorded."
        )

    class Meta:
        description = (
            "Take over a shopper's cart from a draft order. The cart is the one "
            "named by cartId or checkoutId, else the one cartCode names, else the "
            "draft customer's most recently changed cart in the draft's channel, "
            "else a new cart. Starting again on a cart one already holds returns "
            'the same session. With the setting "Require shopper consent", a '
            "registered shopper's cart gets a PENDING session until the shopper "
            "answers (takeoverConsentAnswer). " + descriptions.TAKEOVER_PERMISSION
        )

    Output = TakeoverSessionPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls,
        info: Any,
        caller: auth.Caller,
        draft_order_id: str,
        cart_id: str | None = None,
        checkout_id: str | None = None,
        cart_code: str | None = None,
    ) -> TakeoverSessionPayload:
        rate_limits.consume(rate_limits.STARTS_PER_CALLER, caller.user.pk)
        draft_pk = ids.decode_uuid(draft_order_id, "Order", "draftOrderId")
        # The draft's channel is checked by the domain on the draft it locks
        # (`channel_ids`): no read of the draft only for the check.
        token, code = None, None
        if cart_id or checkout_id:
            field = "cartId" if cart_id else "checkoutId"
            token = ids.decode_cart(cart_id or checkout_id, field)
        elif cart_code:
            code = carts.normalize_code(cart_code)
            rate_limits.consume_code_lookup(caller.user, code)
        try:
            started = starting.start_takeover(
                draft_id=draft_pk,
                staff=caller.user,
                settings=info.context.settings,
                manager=info.context.manager,
                checkout_token=token,
                cart_code_value=code,
                channel_ids=auth.accessible_channel_ids(caller),
            )
        except errors.TakeoverError as error:
            if code is not None:
                missing = error.details[0].code == errors.TakeoverErrorCode.NOT_FOUND
                audit.record_code_lookup(caller.user, code, found=not missing)
            raise
        if code is not None:
            audit.record_code_lookup(caller.user, code, found=True)
        return written_session_payload(started.session, started.checkout)


class TakeoverEnd(BaseMutation):
    class Arguments:
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )

    class Meta:
        description = (
            "Hand the cart back to the shopper, or withdraw a request still "
            "waiting for consent. Any rep with the grant may end any session. "
            + descriptions.TAKEOVER_PERMISSION
        )

    Output = TakeoverSessionPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        end_takeover(pk, caller.user, info.context.settings)
        return session_payload(pk)
