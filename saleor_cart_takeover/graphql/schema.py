"""The schema served at /plugins/global/saleor.cart_takeover/graphql/."""

from typing import Any

import graphene
from django.db.models import Q
from saleor.order.models import Order

from .. import auth, grants, pickup_contacts
from ..carts import find_by_code
from ..takeover import close_stale_sessions
from . import ids
from .dashboard_session import DashboardSessionCreate
from .mutations import (
    PickupContactsUpdate,
    TakeoverCopyToDraft,
    TakeoverEnd,
    TakeoverLinesAdd,
    TakeoverLinesDelete,
    TakeoverLinesUpdate,
    TakeoverPermissionGrant,
    TakeoverPermissionRevoke,
    TakeoverStart,
)
from .mutations_revert import TakeoverRevert
from .types import (
    Cart,
    PickupContacts,
    TakeoverSession,
    TakeoverStatus,
    attach_carts,
    carts_queryset,
    sessions_queryset,
)

MAX_PAGE = 100


class Viewer(graphene.ObjectType):
    email = graphene.String(required=True)
    can_take_over = graphene.Boolean(required=True)
    can_manage_grants = graphene.Boolean(required=True)


class PermissionHolder(graphene.ObjectType):
    kind = graphene.String(required=True, description="user, group or superuser")
    name = graphene.String(required=True)
    granted_by = graphene.String()


class Query(graphene.ObjectType):
    viewer = graphene.Field(Viewer, required=True)
    takeover_session = graphene.Field(TakeoverSession, id=graphene.ID(required=True))
    takeover_sessions = graphene.List(
        graphene.NonNull(TakeoverSession),
        required=True,
        status=TakeoverStatus(),
        draft_order_id=graphene.ID(),
        checkout_id=graphene.ID(),
        first=graphene.Int(default_value=20),
    )
    customer_carts = graphene.List(
        graphene.NonNull(Cart),
        required=True,
        customer_id=graphene.ID(required=True),
        channel=graphene.String(),
    )
    cart_by_code = graphene.Field(Cart, code=graphene.String(required=True))
    order_pickup_contacts = graphene.Field(
        PickupContacts,
        order_id=graphene.ID(required=True),
        description="Who may collect a click-and-collect order (MANAGE_ORDERS).",
    )
    takeover_permission_holders = graphene.List(
        graphene.NonNull(PermissionHolder), required=True
    )

    @staticmethod
    def resolve_viewer(_root: Any, info: Any) -> Viewer:
        caller = info.context.require_caller()
        try:
            auth.require_takeover_permission(caller)
            can_take_over = True
        except auth.PermissionDenied:
            can_take_over = False
        return Viewer(
            email=caller.email,
            can_take_over=can_take_over,
            can_manage_grants=auth.can_manage_grants(caller),
        )

    @staticmethod
    def resolve_takeover_session(_root: Any, info: Any, id: str) -> Any:
        caller = info.context.require_caller()
        auth.require_takeover_permission(caller)
        pk = ids.decode_int(id, "TakeoverSession", "id")
        close_stale_sessions(Q(pk=pk))
        session = sessions_queryset().filter(pk=pk).first()
        if session is None:
            return None
        auth.require_channel_access(caller, session.channel_id)
        return session

    @staticmethod
    def resolve_takeover_sessions(
        _root: Any,
        info: Any,
        status: str | None = None,
        draft_order_id: str | None = None,
        checkout_id: str | None = None,
        first: int = 20,
    ) -> list[Any]:
        caller = info.context.require_caller()
        auth.require_takeover_permission(caller)
        scope = Q()
        if draft_order_id:
            scope &= Q(
                draft_order_id=ids.decode_uuid(draft_order_id, "Order", "draftOrderId")
            )
        if checkout_id:
            scope &= Q(
                checkout_token=ids.decode_uuid(checkout_id, "Checkout", "checkoutId")
            )
        close_stale_sessions(scope)
        # A list shows many sessions: load their histories and carts in bulk.
        sessions = sessions_queryset().filter(scope).prefetch_related("events")
        if status:
            sessions = sessions.filter(status=status)
        channel_ids = auth.accessible_channel_ids(caller)
        if channel_ids is not None:
            sessions = sessions.filter(channel_id__in=channel_ids)
        return attach_carts(list(sessions[: max(1, min(first or 20, MAX_PAGE))]))

    @staticmethod
    def resolve_customer_carts(
        _root: Any, info: Any, customer_id: str, channel: str | None = None
    ) -> list[Any]:
        caller = info.context.require_caller()
        auth.require_takeover_permission(caller)
        pk = ids.decode_int(customer_id, "User", "customerId")
        carts = carts_queryset().filter(user_id=pk)
        if channel:
            carts = carts.filter(channel__slug=channel)
        channel_ids = auth.accessible_channel_ids(caller)
        if channel_ids is not None:
            carts = carts.filter(channel_id__in=channel_ids)
        return list(carts.order_by("-last_change"))

    @staticmethod
    def resolve_cart_by_code(_root: Any, info: Any, code: str) -> Any:
        caller = info.context.require_caller()
        auth.require_takeover_permission(caller)
        from ..errors import TakeoverError as DomainError
        from ..errors import TakeoverErrorCode

        try:
            cart = find_by_code(code, auth.accessible_channel_ids(caller))
        except DomainError as error:
            if error.details[0].code == TakeoverErrorCode.NOT_FOUND:
                return None
            raise
        return carts_queryset().get(pk=cart.pk)

    @staticmethod
    def resolve_order_pickup_contacts(_root: Any, info: Any, order_id: str) -> Any:
        caller = info.context.require_caller()
        auth.require_manage_orders(caller)
        pk = ids.decode_uuid(order_id, "Order", "orderId")
        order = Order.objects.select_related("billing_address").filter(pk=pk).first()
        if order is None:
            return None
        auth.require_channel_access(caller, order.channel_id)
        return pickup_contacts.contacts_of_order(order)

    @staticmethod
    def resolve_takeover_permission_holders(_root: Any, info: Any) -> list[Any]:
        caller = info.context.require_caller()
        auth.require_grant_management(caller)
        return [
            PermissionHolder(kind=h.kind, name=h.name, granted_by=h.granted_by)
            for h in grants.holders()
        ]


class Mutation(graphene.ObjectType):
    takeover_start = TakeoverStart.Field()
    takeover_lines_add = TakeoverLinesAdd.Field()
    takeover_lines_update = TakeoverLinesUpdate.Field()
    takeover_lines_delete = TakeoverLinesDelete.Field()
    takeover_copy_to_draft = TakeoverCopyToDraft.Field()
    takeover_end = TakeoverEnd.Field()
    takeover_revert = TakeoverRevert.Field()
    pickup_contacts_update = PickupContactsUpdate.Field()
    takeover_permission_grant = TakeoverPermissionGrant.Field()
    takeover_permission_revoke = TakeoverPermissionRevoke.Field()
    dashboard_session_create = DashboardSessionCreate.Field(
        description="Exchange the dashboard app's token for a longer session."
    )


schema = graphene.Schema(query=Query, mutation=Mutation)

# Operations anyone holding a checkout id may call, as with Saleor's checkout API.
PUBLIC_MUTATIONS = frozenset({"pickupContactsUpdate"})
