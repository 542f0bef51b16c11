"""takeoverStart and takeoverEnd."""

from typing import Any

import graphene
from saleor.order.models import Order

from ... import audit, auth, carts, errors, rate_limits, starting, takeover
from .. import ids, resolvers, types
from .base import BaseMutation, session_pk


class TakeoverSessionPayload(graphene.ObjectType):
    session = graphene.Field(types.TakeoverSession)
    errors = graphene.List(graphene.NonNull(types.TakeoverError), required=True)


def session_payload(session_id: int) -> TakeoverSessionPayload:
    session = resolvers.sessions_queryset().get(pk=session_id)
    return TakeoverSessionPayload(session=session, errors=[])


class TakeoverStart(BaseMutation):
    class Arguments:
        draft_order_id = graphene.ID(required=True)
        cart_id = graphene.ID(description="A Cart id from this API.")
        checkout_id = graphene.ID()
        cart_code = graphene.String()

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
        draft_channel = (
            Order.objects.filter(pk=draft_pk)
            .values_list("channel_id", flat=True)
            .first()
        )
        auth.require_channel_access(caller, draft_channel)
        token, code = None, None
        if cart_id or checkout_id:
            field = "cartId" if cart_id else "checkoutId"
            token = ids.decode_cart(cart_id or checkout_id, field)
        elif cart_code:
            code = carts.normalize_code(cart_code)
            rate_limits.consume_code_lookup(caller.user, code)
        try:
            session = starting.start_takeover(
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
        return session_payload(session.pk)


class TakeoverEnd(BaseMutation):
    class Arguments:
        session_id = graphene.ID(required=True)

    Output = TakeoverSessionPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        takeover.end_takeover(pk, caller.user, info.context.settings)
        return session_payload(pk)
