"""takeoverCopyToDraft ("Add Items to Order")."""

from typing import Any

import graphene

from ...access import auth
from ...takeover import draft_copy
from .. import descriptions, ids
from .base import BaseMutation
from .takeover import TakeoverSessionPayload, written_session_payload


class CopyResult(graphene.ObjectType):
    """What a copy changed in the draft order, in lines."""

    added = graphene.Int(required=True, description="Draft lines added.")
    updated = graphene.Int(
        required=True,
        description="Draft lines copied before whose quantity or configuration "
        "changed.",
    )
    removed = graphene.Int(
        required=True,
        description="Draft lines copied before whose cart line is gone.",
    )
    unchanged = graphene.Int(
        required=True, description="Draft lines copied before and still the same."
    )


class TakeoverCopyPayload(TakeoverSessionPayload):
    """The session after a copy, and what the copy changed."""

    result = graphene.Field(
        CopyResult, description="What changed; null when the copy was refused."
    )


class TakeoverCopyToDraft(BaseMutation):
    class Arguments:
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )
        hand_back = graphene.Boolean(
            default_value=False,
            description="End the takeover after copying, as the dashboard's "
            '"Add Items to Order" button does.',
        )

    Output = TakeoverCopyPayload

    class Meta:
        description = (
            '"Add Items to Order": the draft order mirrors the cart. Each cart line '
            "becomes a draft line with the same variant, quantity and metadata, "
            "priced by Saleor; copying again updates earlier copies and removes "
            "those whose cart line is gone. Lines staff added to the draft "
            "themselves are left alone. The pickup point and contacts go along "
            "unless staff chose delivery on the draft. "
            + descriptions.HOLDER_ONLY
            + " "
            + descriptions.TAKEOVER_PERMISSION
        )

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str, hand_back: bool = False
    ) -> TakeoverCopyPayload:
        session, result = draft_copy.copy_cart_to_draft(
            ids.decode_int(session_id, "TakeoverSession", "sessionId"),
            caller.user,
            settings=info.context.settings,
            manager=info.context.manager,
            hand_back=hand_back,
            # `session_pk`'s channel check, on the row the copy locks rather
            # than on one read before it.
            may_enter=lambda session: auth.require_channel_access(
                caller, session.channel_id
            ),
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
