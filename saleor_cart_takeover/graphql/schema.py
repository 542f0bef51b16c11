"""The schema served at /plugins/global/saleor.cart_takeover/graphql/."""

from typing import Any

import graphene

from ..const import REPORT_MAX_DAYS, SESSIONS_MAX_PAGE_SIZE, SESSIONS_PAGE_SIZE
from . import descriptions, enums, resolvers, types
from .mutations.consent import TakeoverConsentAnswer
from .mutations.copy import TakeoverCopyToDraft
from .mutations.dashboard_session import DashboardSessionCreate
from .mutations.grants import TakeoverPermissionGrant, TakeoverPermissionRevoke
from .mutations.lines import TakeoverLinesAdd, TakeoverLinesDelete, TakeoverLinesUpdate
from .mutations.pickup_contacts import PickupContactsUpdate
from .mutations.revert import TakeoverRevert
from .mutations.takeover import TakeoverEnd, TakeoverStart
from .mutations.transfer import TakeoverTransfer


class Query(graphene.ObjectType):
    """Reads of the takeover API; they never change a cart."""

    viewer = graphene.Field(
        types.Viewer,
        required=True,
        description="The caller and what they may do. Requires an access token.",
    )
    takeover_session = graphene.Field(
        types.TakeoverSession,
        id=graphene.ID(required=True, description="The session (`TakeoverSession`)."),
        description="A takeover session by id; null when there is none. "
        + descriptions.TAKEOVER_PERMISSION,
    )
    takeover_sessions = graphene.List(
        graphene.NonNull(types.TakeoverSession),
        required=True,
        status=enums.TakeoverStatus(
            description="Only sessions in this status now (a timed-out session "
            "counts as EXPIRED before it is closed)."
        ),
        draft_order_id=graphene.ID(
            description="Only sessions of this draft order (`Order`)."
        ),
        checkout_id=graphene.ID(
            description="Only sessions on this cart (a `Checkout` or Cart id)."
        ),
        cart_id=graphene.ID(description="Only sessions on this cart (a Cart id)."),
        first=graphene.Int(
            default_value=SESSIONS_PAGE_SIZE,
            description=f"How many, from 1 to {SESSIONS_MAX_PAGE_SIZE}.",
        ),
        description="Takeover sessions, newest first, in the channels the caller "
        "may see. " + descriptions.TAKEOVER_PERMISSION,
    )
    customer_carts = graphene.List(
        graphene.NonNull(types.Cart),
        required=True,
        customer_id=graphene.ID(required=True, description="The shopper (`User`)."),
        channel=graphene.String(description="Only carts in this channel (its slug)."),
        description="A registered shopper's carts, most recently changed first. "
        + descriptions.TAKEOVER_PERMISSION,
    )
    cart_by_code = graphene.Field(
        types.Cart,
        code=graphene.String(
            required=True,
            description="The code the shopper reads out, e.g. `1A2B-3C4D` (case, "
            "spaces and dashes do not matter).",
        ),
        description="The cart a shopper's code names; null when none does. Every "
        "lookup is recorded and rate limited. " + descriptions.TAKEOVER_PERMISSION,
    )
    order_pickup_contacts = graphene.Field(
        types.PickupContacts,
        order_id=graphene.ID(required=True, description="The order (`Order`)."),
        description="Who may collect a click-and-collect order (MANAGE_ORDERS). "
        "Null when the order does not exist, or is not for pickup and names no "
        "contacts.",
    )
    takeover_permission_holders = graphene.List(
        graphene.NonNull(types.PermissionHolder),
        required=True,
        description="Who holds the cart takeover grant: users and groups, oldest "
        "grant first, then superusers. " + descriptions.GRANT_MANAGEMENT,
    )
    takeover_report = graphene.Field(
        types.TakeoverReport,
        required=True,
        date_from=graphene.Date(
            required=True, description="First day (UTC) of the period."
        ),
        date_to=graphene.Date(
            required=True,
            description="Last day (UTC) of the period, inclusive; a period "
            f"covers at most {REPORT_MAX_DAYS} days.",
        ),
        channel=graphene.String(
            description="Only this channel (its slug); else every channel the "
            "caller may see."
        ),
        description="Sessions per rep started in the period (UTC days, inclusive). "
        + descriptions.TAKEOVER_PERMISSION,
    )

    @staticmethod
    def resolve_viewer(_root: Any, info: Any) -> Any:
        return resolvers.resolve_viewer(info.context.require_caller())

    @staticmethod
    def resolve_takeover_session(_root: Any, info: Any, id: str) -> Any:
        return resolvers.resolve_takeover_session(info.context.require_caller(), id)

    @staticmethod
    def resolve_takeover_sessions(_root: Any, info: Any, **filters: Any) -> Any:
        return resolvers.resolve_takeover_sessions(
            info.context.require_caller(), **filters
        )

    @staticmethod
    def resolve_customer_carts(_root: Any, info: Any, **filters: Any) -> Any:
        return resolvers.resolve_customer_carts(
            info.context.require_caller(), **filters
        )

    @staticmethod
    def resolve_cart_by_code(_root: Any, info: Any, code: str) -> Any:
        return resolvers.resolve_cart_by_code(info.context.require_caller(), code)

    @staticmethod
    def resolve_order_pickup_contacts(_root: Any, info: Any, order_id: str) -> Any:
        return resolvers.resolve_order_pickup_contacts(
            info.context.require_caller(), order_id
        )

    @staticmethod
    def resolve_takeover_permission_holders(_root: Any, info: Any) -> Any:
        return resolvers.resolve_takeover_permission_holders(
            info.context.require_caller()
        )

    @staticmethod
    def resolve_takeover_report(_root: Any, info: Any, **filters: Any) -> Any:
        return resolvers.resolve_takeover_report(
            info.context.require_caller(), **filters
        )


class Mutation(graphene.ObjectType):
    """Changes through the takeover API."""

    takeover_start = TakeoverStart.Field()
    takeover_lines_add = TakeoverLinesAdd.Field()
    takeover_lines_update = TakeoverLinesUpdate.Field()
    takeover_lines_delete = TakeoverLinesDelete.Field()
    takeover_copy_to_draft = TakeoverCopyToDraft.Field()
    takeover_end = TakeoverEnd.Field()
    takeover_revert = TakeoverRevert.Field()
    takeover_transfer = TakeoverTransfer.Field()
    pickup_contacts_update = PickupContactsUpdate.Field()
    takeover_consent_answer = TakeoverConsentAnswer.Field()
    takeover_permission_grant = TakeoverPermissionGrant.Field()
    takeover_permission_revoke = TakeoverPermissionRevoke.Field()
    dashboard_session_create = DashboardSessionCreate.Field(
        description="Exchange the dashboard app's token for a longer session."
    )


schema = graphene.Schema(query=Query, mutation=Mutation)

# Operations callable without a token, as with Saleor's checkout API: whoever
# holds a checkout id (each decides who may, from the cart and any token sent).
PUBLIC_MUTATIONS = frozenset({"pickupContactsUpdate", "takeoverConsentAnswer"})
