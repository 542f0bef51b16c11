"""takeoverCopyToDraft ("Add Items to Order")."""

from typing import Any

import graphene

from ...access import auth
from ...takeover import draft_copy
from .base import BaseMutation, session_pk
from .takeover import TakeoverSessionPayload, written_session_payload


class CopyResult(graphene.ObjectType):
    added = graphene.Int(required=True)
    updated = graphene.Int(required=True)
    removed = graphene.Int(required=True)
    unchanged = graphene.Int(required=True)


class TakeoverCopyPayload(TakeoverSessionPayload):
    result = graphene.Field(CopyResult)


class TakeoverCopyToDraft(BaseMutation):
    """ "Add Items to Order": the draft mirrors the cart."""

    class Arguments:
        session_id = graphene.ID(required=True)
        hand_back = graphene.Boolean(
            default_value=False,
            description="End the takeover after copying, as the dashboard's "
            '"Add Items to Order" button does.',
        )

    Output = TakeoverCopyPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str, hand_back: bool = False
    ) -> TakeoverCopyPayload:
        pk = session_pk(caller, session_id)
        session, result = draft_copy.copy_cart_to_draft(
            pk,
            caller.user,
            settings=info.context.settings,
            manager=info.context.manager,
            hand_back=hand_back,
        )
        return TakeoverCopyPayload(
            session=written_session_payload(session).session,
            errors=[],
            result=CopyResult(
                added=result.added,
                updated=result.updated,
                removed=result.removed,
                unchanged=result.unchanged,
            ),
        )
