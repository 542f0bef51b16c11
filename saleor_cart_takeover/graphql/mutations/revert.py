"""takeoverRevert: the cart back as it was at takeoverStart."""

from typing import Any

import graphene

from ...access import auth
from ...takeover import revert
from .. import descriptions, types
from .base import BaseMutation, session_pk
from .takeover import TakeoverSessionPayload, session_payload


class TakeoverRevert(BaseMutation):
    class Arguments:
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )

    Output = TakeoverSessionPayload

    class Meta:
        description = (
            "Put the cart back as it was when the takeover started, through "
            "Saleor's checkout checks. Lines that cannot come back (out of stock, "
            "unpublished, deleted) are listed in `errors` with field `lines.N` "
            "(N: the line's place in the cart at the start); `session` is then "
            "still returned, with the rest restored. "
            + descriptions.HOLDER_ONLY
            + " "
            + descriptions.TAKEOVER_PERMISSION
        )

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        _, result = revert.revert_cart(
            pk,
            caller.user,
            settings=info.context.settings,
            manager=info.context.manager,
        )
        payload = session_payload(pk)
        payload.errors = [
            types.TakeoverError(
                field=detail.field, code=detail.code.value, message=detail.message
            )
            for detail in result.failed
        ]
        return payload
