"""Read-only resolvers of the takeover API's queries."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout
from saleor.order.models import Order

from .. import audit, errors, models
from ..access import auth, grants, rate_limits
from ..const import SESSIONS_MAX_PAGE_SIZE, SESSIONS_PAGE_SIZE
from ..pickup import contacts as pickup_contacts
from ..pickup import validation as pickup_contact_validation
from ..takeover import carts, closing, report, session_lists
from . import ids


@dataclass(frozen=True)
class Viewer:
    email: str
    can_take_over: bool
    can_manage_grants: bool


def _open_sessions(token_ref: str, *statuses: str) -> Exists:
    # A timed-out session no longer holds the cart, closed or not.
    return Exists(
        models.TakeoverSession.objects.filter(
            checkout_token=OuterRef(token_ref),
            status__in=statuses,
            expires_at__gte=timezone.now(),
        )
    )


def carts_queryset() -> QuerySet[Checkout]:
    """Carts with everything `Cart` shows: whether a rep holds them, and
    whether they wait for the shopper's consent (their code is hidden)."""
    return carts.checkouts_with_lines().annotate(
        taken_over=_open_sessions("token", *models.OPEN_STATUSES),
        awaiting_consent=_open_sessions("token", models.TakeoverStatus.PENDING),
    )


def awaits_consent(checkout_token: "uuid.UUID | str", annotated: bool | None) -> bool:
    """Whether a takeover request on the cart waits for the shopper's consent
    (the annotation's answer when the cart was loaded with it)."""
    if annotated is not None:
        return annotated
    return models.TakeoverSession.objects.filter(
        checkout_token=checkout_token,
        status=models.TakeoverStatus.PENDING,
        expires_at__gte=timezone.now(),
    ).exists()


def sessions_queryset(
    now: datetime | None = None,
) -> QuerySet[models.TakeoverSession]:
    """Sessions with what every answer shows; history and cart load on demand.

    A session that went stale but is not closed yet shows what it really is
    (`current_status`); closing it is left to the write paths and the beat task.
    Whether the session's cart waits for consent is part of it (its code is
    hidden then, in every session on that cart).
    """
    return closing.with_current_status(
        models.TakeoverSession.objects.select_related(
            "draft_order", "order", "channel"
        ).annotate(
            cart_awaiting_consent=_open_sessions(
                "checkout_token", models.TakeoverStatus.PENDING
            )
        ),
        now,
    )


def attach_carts(
    sessions: list[models.TakeoverSession],
) -> list[models.TakeoverSession]:
    """Load all sessions' carts in one go instead of one query per session."""
    found = {
        cart.pk: cart
        for cart in carts_queryset().filter(
            pk__in={session.checkout_token for session in sessions}
        )
    }
    for session in sessions:
        session._cart_cache = found.get(session.checkout_token)  # type: ignore[attr-defined]
    return sessions


def resolve_viewer(caller: auth.Caller) -> Viewer:
    try:
        auth.require_takeover_permission(caller)
        can_take_over = True
    except errors.PermissionDenied:
        can_take_over = False
    return Viewer(
        email=caller.email,
        can_take_over=can_take_over,
        can_manage_grants=auth.can_manage_grants(caller),
    )


def resolve_takeover_session(
    caller: auth.Caller, id: str
) -> models.TakeoverSession | None:
    auth.require_takeover_permission(caller)
    pk = ids.decode_int(id, "TakeoverSession", "id")
    session = sessions_queryset().filter(pk=pk).first()
    if session is None:
        return None
    auth.require_channel_access(caller, session.channel_id)
    return session


def resolve_takeover_sessions(
    caller: auth.Caller,
    status: str | None = None,
    draft_order_id: str | None = None,
    checkout_id: str | None = None,
    first: int = SESSIONS_PAGE_SIZE,
    cart_id: str | None = None,
) -> list[models.TakeoverSession]:
    auth.require_takeover_permission(caller)
    scope = Q()
    if draft_order_id:
        scope &= Q(
            draft_order_id=ids.decode_uuid(draft_order_id, "Order", "draftOrderId")
        )
    if checkout_id:
        scope &= Q(checkout_token=ids.decode_cart(checkout_id, "checkoutId"))
    if cart_id:
        scope &= Q(checkout_token=ids.decode_cart(cart_id, "cartId"))
    channel_ids = auth.accessible_channel_ids(caller)
    if channel_ids is not None:
        scope &= Q(channel_id__in=channel_ids)
    limit = max(1, min(first or SESSIONS_PAGE_SIZE, SESSIONS_MAX_PAGE_SIZE))
    now = timezone.now()
    # A list shows many sessions: load their histories and carts in bulk.
    sessions = sessions_queryset(now).filter(scope).prefetch_related("events")
    if status:
        sessions = session_lists.with_status(
            sessions, models.TakeoverSession.objects.filter(scope), status, limit, now
        )
    return attach_carts(list(sessions[:limit]))


def resolve_customer_carts(
    caller: auth.Caller, customer_id: str, channel: str | None = None
) -> list[Checkout]:
    auth.require_takeover_permission(caller)
    pk = ids.decode_int(customer_id, "User", "customerId")
    found = carts_queryset().filter(user_id=pk)
    if channel:
        found = found.filter(channel__slug=channel)
    channel_ids = auth.accessible_channel_ids(caller)
    if channel_ids is not None:
        found = found.filter(channel_id__in=channel_ids)
    return list(found.order_by("-last_change"))


def resolve_cart_by_code(caller: auth.Caller, code: str) -> Checkout | None:
    auth.require_takeover_permission(caller)
    compact = carts.normalize_code(code)
    rate_limits.consume_code_lookup(caller.user, compact)
    # The one write a query makes, on purpose: every code lookup is audited.
    try:
        cart = carts.find_by_code(compact, auth.accessible_channel_ids(caller))
    except errors.TakeoverError as error:
        missing = error.details[0].code == errors.TakeoverErrorCode.NOT_FOUND
        audit.record_code_lookup(caller.user, compact, found=not missing)
        if missing:
            return None
        raise
    audit.record_code_lookup(caller.user, compact, found=True)
    return carts_queryset().get(pk=cart.pk)


def resolve_order_pickup_contacts(
    caller: auth.Caller, order_id: str
) -> pickup_contact_validation.PickupContacts | None:
    auth.require_manage_orders(caller)
    pk = ids.decode_uuid(order_id, "Order", "orderId")
    order = Order.objects.select_related("billing_address").filter(pk=pk).first()
    if order is None:
        return None
    auth.require_channel_access(caller, order.channel_id)
    return pickup_contacts.contacts_of_order(order)


def resolve_takeover_permission_holders(caller: auth.Caller) -> list[grants.Holder]:
    auth.require_grant_management(caller)
    return list(grants.holders())


def resolve_takeover_report(
    caller: auth.Caller, date_from: date, date_to: date, channel: str | None = None
) -> report.Report:
    auth.require_takeover_permission(caller)
    if channel:
        channel_pk = (
            Channel.objects.filter(slug=channel).values_list("pk", flat=True).first()
        )
        if channel_pk is None:
            raise errors.TakeoverError(
                errors.TakeoverErrorCode.NOT_FOUND, "No such channel.", "channel"
            )
        auth.require_channel_access(caller, channel_pk)
        channel_ids: list[int] | None = [channel_pk]
    else:
        channel_ids = auth.accessible_channel_ids(caller)
    return report.takeover_report(date_from, date_to, channel_ids)
