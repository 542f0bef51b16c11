"""takeoverTransfer: hand an active session to another rep."""

from typing import Any

import graphene

from ...access import auth
from ...takeover import transfer
from .. import descriptions
from .base import BaseMutation, session_pk
from .takeover import TakeoverSessionPayload, session_payload


class TakeoverTransfer(BaseMutation):
    class Arguments:
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )
        staff_email = graphene.String(
            required=True,
            description="The rep to hand over to: an active staff member with "
            "MANAGE_ORDERS, the takeover permission and access to the cart's channel.",
        )

    Output = TakeoverSessionPayload

    class Meta:
        description = (
            "Hand an active takeover to another rep, who holds it from then on "
            "with a full idle timeout. Only the rep holding it may, or a "
            "supervisor (who may manage takeover grants) when that rep is away. "
            + descriptions.TAKEOVER_PERMISSION
        )

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str, staff_email: str
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        transfer.transfer_session(
            pk,
            caller.user,
            staff_email,
            settings=info.context.settings,
            supervisor=auth.can_manage_grants(caller),
        )
        return session_payload(pk)
