"""Keeping takeover sessions alive, their unit of work, and ending them.

Starting lives in `starting.py`, expiry in `closing.py`.

Locks are always taken in one order — session, then draft order, then
checkout — so CSRs and shoppers working on the same objects cannot deadlock.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.models import Checkout
from saleor.order import OrderStatus

from .. import audit, const
from ..checkout import metadata as checkout_metadata
from ..config import TakeoverSettings
from ..errors import TakeoverError, TakeoverErrorCode
from ..models import EndReason, TakeoverEventType, TakeoverSession, TakeoverStatus
from . import closing


@dataclass
class SessionUnit:
    """One step through a session: what `session_unit` locked, and what to record."""

    session: TakeoverSession
    checkout: Checkout
    staff: User
    event: TakeoverEventType | None = None
    note: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    # Session fields the step changed, saved together with the new closing.
    changed: list[str] = field(default_factory=list)
    handing_back: bool = False

    def record(
        self, event: TakeoverEventType, note: str | None = None, **parameters: Any
    ) -> None:
        self.event, self.note, self.parameters = event, note, parameters

    def hand_back(self) -> None:
        """End the takeover once the step is done, in the same transaction."""
        self.handing_back = True


@contextmanager
def session_unit(
    session_id: int,
    staff: User,
    settings: TakeoverSettings,
    *,
    with_draft: bool = False,
    holder_only: bool = True,
    allow_pending: bool = False,
    checkout_related: tuple[str, ...] = (),
    annotate: dict[str, Any] | None = None,
    may_enter: Callable[[TakeoverSession], None] | None = None,
) -> Iterator[SessionUnit]:
    """The unit of work of every step a rep takes through a session.

    In one transaction: the session is locked (with its draft when
    `with_draft`), then the checkout, in Saleor's lock order; the step runs;
    the session's idle timeout starts again and the step goes into the
    history; a hand-back closes the session last. A session found stale under
    the lock is closed (committing on its own) and the step refused.
    `annotate`: what the step reads along with the lock, as annotations on the
    session. `may_enter`: the caller's own check on the locked row, before any
    other (see `lock_active`).
    """
    refusal: TakeoverError | None = None
    # A step that began before the idle timeout ran out goes ahead, however
    # long it then waits for the locks (as when staleness was checked first).
    began = timezone.now()
    with transaction.atomic():
        try:
            session = lock_active(
                session_id,
                staff if holder_only else None,
                with_draft=with_draft,
                allow_pending=allow_pending,
                annotate=annotate,
                may_enter=may_enter,
            )
            checkout = (
                Checkout.objects.select_for_update(of=("self",))
                .select_related(*checkout_related)
                .filter(pk=session.checkout_token)
                .first()
            )
            if checkout is None:
                raise TakeoverError(
                    TakeoverErrorCode.CHECKOUT_GONE,
                    "The shopper's cart no longer exists.",
                    "sessionId",
                )
            if _went_stale(session, began):
                raise _not_active(session)
        except TakeoverError as error:
            # Nothing was written yet: the transaction ends with the locks.
            refusal = error
        else:
            unit = SessionUnit(session=session, checkout=checkout, staff=staff)
            yield unit
            if not unit.handing_back:
                touch(session, settings, *unit.changed)
            if unit.event is not None:
                audit.record(
                    session, unit.event, staff, note=unit.note, **unit.parameters
                )
            if unit.handing_back:
                # The step's activity and changes go into the closing's one UPDATE
                # (an idle timeout set only to be cleared would cost its own); the
                # cart the unit locked is the one handed back, not read again.
                session.last_activity_at = timezone.now()
                closing.close_session(
                    session,
                    TakeoverStatus.ENDED,
                    EndReason.ENDED_BY_STAFF,
                    user=staff,
                    note=f"Cart takeover ended by {staff.email}; the cart was handed "
                    "back to the shopper.",
                    checkout=checkout,
                    also_changed=("last_activity_at", *unit.changed),
                )
    if refusal is not None:
        # The refused step pays for looking at staleness, not every step (the
        # locked rows showed it): a stale session is closed, and refused as such.
        ensure_active(session_id)
        raise refusal


def _went_stale(session: TakeoverSession, now: datetime) -> bool:
    """What `closing.stale` finds, on the session locked with its draft (the
    cart was found by the caller)."""
    draft = session.draft_order
    timed_out = session.expires_at is not None and session.expires_at < now
    return timed_out or draft is None or draft.status != OrderStatus.DRAFT


def end_takeover(
    session_id: int, staff: User, settings: TakeoverSettings
) -> TakeoverSession:
    """Hand the cart back to the shopper (or withdraw a pending consent
    request); any rep with the grant may do it."""
    with session_unit(
        session_id, staff, settings, holder_only=False, allow_pending=True
    ) as unit:
        unit.hand_back()
    return unit.session


def held_session_id(checkout_token: Any, staff: User | None) -> int | None:
    """The session through which `staff` holds the cart, if they do."""
    if staff is None:
        return None
    return (
        TakeoverSession.objects.filter(
            # The holder: whoever it was handed to, else who started it.
            Q(held_by=staff) | Q(held_by_email="", started_by=staff),
            checkout_token=checkout_token,
            status=TakeoverStatus.ACTIVE,
            # A timed-out takeover no longer holds the cart.
            expires_at__gte=timezone.now(),
        )
        .values_list("pk", flat=True)
        .first()
    )


def touch(
    session: TakeoverSession, settings: TakeoverSettings, *also_changed: str
) -> None:
    """Count a step as activity: the idle timeout starts again."""
    now = timezone.now()
    session.last_activity_at = now
    session.expires_at = now + settings.session_timeout
    session.save(update_fields=["last_activity_at", "expires_at", *also_changed])


def lock_active(
    session_id: int,
    holder: User | None = None,
    *,
    with_draft: bool = False,
    allow_pending: bool = False,
    annotate: dict[str, Any] | None = None,
    may_enter: Callable[[TakeoverSession], None] | None = None,
) -> TakeoverSession:
    """Lock an active session for a write; call inside a transaction.

    With `holder`, only the rep who holds the cart now (after any handoff) may
    write through it; the check runs on the locked row, so it sees a handoff
    that committed while this call waited. With `with_draft`, the draft order
    is locked in the same statement and must still be a draft. A session
    waiting for the shopper's consent passes only with `allow_pending`.
    `may_enter` runs first on the row found (the API's channel check: a rep
    kept out of the channel learns nothing of the session's state).
    """
    sessions = TakeoverSession.objects.filter(pk=session_id)
    if with_draft:
        sessions = sessions.filter(draft_order__isnull=False).select_for_update(
            of=("self", "draft_order")
        )
        related = ["draft_order__channel", "draft_order__user"]
        related += ["draft_order__billing_address", "draft_order__shipping_address"]
    else:
        sessions = sessions.select_for_update(of=("self",))
        related = ["draft_order__user"]
    if annotate:
        sessions = sessions.annotate(**annotate)
    session = sessions.select_related(*related).first()
    if session is None:
        raise TakeoverError(
            TakeoverErrorCode.NOT_FOUND, "No such takeover session.", "sessionId"
        )
    if may_enter is not None:
        may_enter(session)
    if not (session.is_open if allow_pending else session.is_active):
        raise _not_active(session)
    if holder is not None and session.holder_id != holder.pk:
        raise TakeoverError(
            TakeoverErrorCode.ALREADY_TAKEN_OVER,
            f"{session.holder_email} holds this cart; only they can change it.",
            "sessionId",
        )
    draft = session.draft_order
    if with_draft and draft is not None and draft.status != OrderStatus.DRAFT:
        raise TakeoverError(
            TakeoverErrorCode.NOT_DRAFT,
            "The draft order was completed meanwhile.",
            "sessionId",
        )
    return session


def ensure_active(session_id: int) -> None:
    """Close the session first if it went stale, then refuse to work on it.

    Closing commits on its own so that the refusal does not roll it back. The
    caller still checks the status under lock: this only makes staleness visible.
    """
    if closing.close_stale_sessions(Q(pk=session_id)):
        session = TakeoverSession.objects.get(pk=session_id)
        raise _not_active(session)


def activate(
    session: TakeoverSession,
    settings: TakeoverSettings,
    user: User | None,
    *,
    note: str,
) -> None:
    """The shopper agreed: a PENDING session (locked by the caller) opens."""
    now = timezone.now()
    session.status = TakeoverStatus.ACTIVE
    session.last_activity_at = now
    session.expires_at = now + settings.session_timeout
    session.save(update_fields=["status", "last_activity_at", "expires_at"])
    checkout = Checkout.objects.filter(pk=session.checkout_token).first()
    if checkout is not None:
        checkout_metadata.write(
            checkout,
            {const.CHECKOUT_TAKEN_OVER_KEY: "true"},
            remove=[const.CONSENT_REQUESTED_KEY],
        )
    audit.record(
        session,
        TakeoverEventType.CONSENT_GIVEN,
        user,
        note=f"The shopper agreed ({note}): {session.holder_email} may now edit "
        "the cart.",
    )


def _not_active(session: TakeoverSession) -> TakeoverError:
    if session.status == TakeoverStatus.PENDING:
        deadline = (
            f" (until {session.expires_at:%H:%M} UTC)" if session.expires_at else ""
        )
        return TakeoverError(
            TakeoverErrorCode.SESSION_NOT_ACTIVE,
            "The shopper has not agreed to this takeover yet; nothing can be changed "
            f"until they accept it on the storefront{deadline}.",
            "sessionId",
        )
    reason = EndReason(session.end_reason).label if session.end_reason else ""
    return TakeoverError(
        TakeoverErrorCode.SESSION_NOT_ACTIVE,
        f"This takeover is {session.status}"
        + (f" ({reason.lower()})" if reason else "")
        + ". Start it again from the draft order.",
        "sessionId",
    )
