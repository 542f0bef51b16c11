"""Sessions as the start of a takeover leaves them, for decisions read off them."""

from datetime import timedelta

from django.utils import timezone

from saleor_cart_takeover.models import TakeoverSession, TakeoverStatus


def open_session(
    draft,
    checkout,
    staff,
    *,
    status: str = TakeoverStatus.ACTIVE,
    expires_in: timedelta = timedelta(minutes=30),
) -> TakeoverSession:
    now = timezone.now()
    return TakeoverSession.objects.create(
        draft_order=draft,
        checkout_token=checkout.pk,
        channel_id=draft.channel_id,
        started_by=staff,
        started_by_email=staff.email,
        started_at=now,
        last_activity_at=now,
        status=status,
        expires_at=now + expires_in,
        cart_snapshot=[],
    )
