"""`takeoverTransfer`: hand an active session to another rep.

Kept apart from mutations.py while graphql/ is being restructured; it moves
into graphql/mutations/transfer.py on top of the base mutation.
"""

from typing import Any

import graphene

from .. import auth, transfer
from ..errors import TakeoverError as DomainError
from .mutations import error_list, session_for_caller, session_payload
from .types import TakeoverSessionPayload


class TakeoverTransfer(graphene.Mutation):
    """Hand an active takeover to another rep, who holds it from then on."""

    class Arguments:
        session_id = graphene.ID(required=True)
        staff_email = graphene.String(
            required=True,
            description="The rep to hand over to: an active staff member with "
            "MANAGE_ORDERS, the takeover permission and access to the cart's channel.",
        )

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str, staff_email: str) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
            transfer.transfer_session(
                pk,
                caller.user,
                staff_email,
                settings=info.context.settings,
                supervisor=auth.can_manage_grants(caller),
            )
        except DomainError as error:
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        return session_payload(pk)
