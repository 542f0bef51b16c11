"""Handing an active takeover to another rep (`takeoverTransfer`).

The session keeps its id, cart and draft; only its holder changes. It runs in
the same unit of work as every edit (`session.session_unit`): the session row
is locked and the holder checked on the locked row, so an edit by the old
holder and the handoff are serialised: either the edit commits first, or it
waits and is refused.
"""

from saleor.account.models import User
from saleor.permission.enums import OrderPermissions

from ..access import auth
from ..config import TakeoverSettings
from ..errors import PermissionDenied, TakeoverError, TakeoverErrorCode
from ..models import TakeoverEventType, TakeoverSession
from .session import session_unit


def transfer_session(
    session_id: int,
    staff: User,
    target_email: str,
    *,
    settings: TakeoverSettings,
    supervisor: bool = False,
) -> TakeoverSession:
    """Make the staff member with `target_email` the session's holder.

    Only the holder may hand a session over, or a `supervisor` (someone who
    manages takeover grants) when the holder is away.
    """
    target = _find_staff(target_email)
    with session_unit(session_id, staff, settings, holder_only=not supervisor) as unit:
        session = unit.session
        if target.pk == session.holder_id:
            raise TakeoverError(
                TakeoverErrorCode.INVALID,
                f"{target.email} already holds this cart.",
                "staffEmail",
            )
        _check_may_take(target, session)
        previous = session.holder_email
        session.held_by = target
        session.held_by_email = target.email
        # Saved with the new idle timeout: the new holder gets a full period.
        unit.changed += ["held_by", "held_by_email"]
        unit.record(
            TakeoverEventType.TRANSFERRED,
            note=f"Cart takeover handed over from {previous} to {target.email}"
            + (f" by {staff.email}." if staff.email != previous else "."),
            from_email=previous,
            to_email=target.email,
        )
    return unit.session


def _find_staff(email: str) -> User:
    # One answer for "no such user", "not staff" and "deactivated": a rep must
    # not learn through this form whether a shopper has an account.
    user = (
        User.objects.filter(
            email__iexact=(email or "").strip(), is_staff=True, is_active=True
        ).first()
        if email and email.strip()
        else None
    )
    if user is None:
        raise TakeoverError(
            TakeoverErrorCode.NOT_FOUND,
            "No active staff member has this email address.",
            "staffEmail",
        )
    return user


def _check_may_take(target: User, session: TakeoverSession) -> None:
    """The same permissions `takeoverStart` asks of the target."""
    missing = None
    if not target.has_perm(OrderPermissions.MANAGE_ORDERS):
        missing = "the MANAGE_ORDERS permission"
    elif not auth.has_takeover_permission(target):
        missing = "the cart takeover permission"
    else:
        try:
            auth.require_channel_access(auth.Caller(user=target), session.channel_id)
        except PermissionDenied:
            channel = session.channel.name if session.channel else "this"
            missing = f"access to the {channel} channel"
    if missing:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            f"{target.email} cannot take this cart over: they lack {missing}.",
            "staffEmail",
        )
