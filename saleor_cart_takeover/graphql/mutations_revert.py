"""`takeoverRevert`: put the shopper's cart back as it was at `takeoverStart`."""

from typing import Any

import graphene

from .. import revert
from ..errors import TakeoverError as DomainError
from .mutations import error_list, session_for_caller, session_payload
from .types import TakeoverSessionPayload


class TakeoverRevert(graphene.Mutation):
    """Lines that cannot come back (out of stock, unpublished, deleted) are
    listed in `errors` with field `lines.N` (N: the line's place in the cart at
    the start); `session` is then still returned, with the rest restored."""

    class Arguments:
        session_id = graphene.ID(required=True)

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
            _, result = revert.revert_cart(
                pk,
                caller.user,
                settings=info.context.settings,
                manager=info.context.manager,
            )
        except DomainError as error:
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        payload = session_payload(pk)
        if result.failed:
            payload.errors = error_list(DomainError.many(result.failed))
        return payload
