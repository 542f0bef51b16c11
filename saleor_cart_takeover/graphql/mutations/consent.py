"""takeoverConsentAnswer: the shopper accepts or declines a takeover request."""

from typing import Any

import graphene

from ...access import auth
from ...takeover import consent
from .. import descriptions, enums, ids, types
from .base import BaseMutation


class TakeoverConsentAnswerPayload(graphene.ObjectType):
    """The takeover request after the shopper's answer, or why it was refused."""

    status = enums.TakeoverStatus(
        description="The request's status after the answer: ACTIVE when accepted, "
        "ENDED when declined."
    )
    expires_at = graphene.DateTime(
        description="When the takeover ends if the rep stays idle (accepted), or "
        "when it ended (declined)."
    )
    errors = graphene.List(
        graphene.NonNull(types.TakeoverError),
        required=True,
        description=descriptions.ERRORS,
    )


class TakeoverConsentAnswer(BaseMutation):
    class Arguments:
        checkout_id = graphene.ID(
            required=True, description="The checkout (`Checkout:<token>` or its token)."
        )
        session_id = graphene.ID(
            required=True,
            description="The request: the checkout's public metadata "
            "`cart_takeover.consent_requested`.",
        )
        accept = graphene.Boolean(
            required=True,
            description="True lets the rep edit the cart; false declines and ends "
            "the request.",
        )

    Output = TakeoverConsentAnswerPayload

    class Meta:
        description = (
            "The shopper accepts or declines a takeover request (setting "
            '"Require shopper consent"). Only the shopper answers: for a '
            "registered shopper's cart, that shopper signed in with their own "
            "access token; for an anonymous cart, whoever holds the checkout id "
            "(as with Saleor's checkout mutations). Staff and tokens the "
            "Dashboard issued get a PermissionDenied error."
        )

    @classmethod
    def check_permissions(cls, info: Any) -> auth.Caller | None:
        # Who may answer depends on the cart: decided in `consent`.
        return info.context.caller

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls,
        info: Any,
        caller: auth.Caller | None,
        checkout_id: str,
        session_id: str,
        accept: bool,
    ) -> TakeoverConsentAnswerPayload:
        token = ids.decode_checkout(checkout_id, "checkoutId")
        pk = ids.decode_int(session_id, "TakeoverSession", "sessionId")
        session = consent.answer_consent(
            token, pk, accept=accept, caller=caller, settings=info.context.settings
        )
        return TakeoverConsentAnswerPayload(
            status=session.status,
            expires_at=session.ended_at or session.expires_at,
            errors=[],
        )
