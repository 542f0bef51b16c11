"""The trail every step leaves: the session's history and the order's events."""

from typing import Any

from saleor.account.models import User
from saleor.order import events as order_events
from saleor.order.models import Order

from .models import TakeoverEvent, TakeoverEventType, TakeoverSession


def record(
    session: TakeoverSession,
    event_type: TakeoverEventType,
    user: User | None,
    *,
    note: str | None = None,
    order: Order | None = None,
    **parameters: Any,
) -> TakeoverEvent:
    """Add a step to the session's history and, with `note`, to the order's.

    The note goes to `order` or else the session's draft, so the Dashboard's
    order history shows who did what to the shopper's cart.
    """
    target = order or session.draft_order
    if note and target is not None:
        order_events.order_note_added_event(
            order=target, user=user, app=None, message=note
        )
    return TakeoverEvent.objects.create(
        session=session,
        type=event_type,
        user=user,
        user_email=user.email if user else "",
        parameters=parameters,
    )


def record_code_lookup(
    user: User, code: str, *, found: bool, refused: bool = False
) -> None:
    """Leave a trace of a cart-code lookup (a write from a read, on purpose:
    an unaudited lookup is how codes get guessed unnoticed)."""
    from .models import CodeLookup

    CodeLookup.objects.create(
        user=user,
        user_email=user.email,
        code=(code or "")[:16],
        found=found,
        refused=refused,
    )
