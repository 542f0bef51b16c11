"""What a session really is when read, before anything closes it."""

from datetime import timedelta

import pytest
from saleor.order import OrderStatus

from saleor_cart_takeover.models import TakeoverSession, TakeoverStatus
from saleor_cart_takeover.takeover.closing import (
    stale,
    with_cart_exists,
    with_current_status,
)

from ..sessions import open_session

pytestmark = pytest.mark.django_db


def current_status(session: TakeoverSession) -> str:
    annotated = with_current_status(TakeoverSession.objects.filter(pk=session.pk)).get()
    # An annotation of the queryset: `TakeoverSession`'s type does not know it.
    return annotated.current_status  # type: ignore[attr-defined]


def is_stale(session: TakeoverSession) -> bool:
    return (
        with_cart_exists(TakeoverSession.objects.filter(pk=session.pk))
        .filter(stale())
        .exists()
    )


@pytest.fixture
def session(draft_order, checkout, staff_user):
    return open_session(draft_order, checkout, staff_user)


def test_a_session_within_its_timeout_is_what_it_says(session):
    assert current_status(session) == TakeoverStatus.ACTIVE
    assert not is_stale(session)


def test_a_session_past_its_timeout_reads_as_expired(session):
    TakeoverSession.objects.filter(pk=session.pk).update(
        expires_at=session.started_at - timedelta(seconds=1)
    )
    assert current_status(session) == TakeoverStatus.EXPIRED
    assert is_stale(session)


def test_a_pending_consent_request_past_its_window_reads_as_expired(
    draft_order, checkout, staff_user
):
    pending = open_session(
        draft_order,
        checkout,
        staff_user,
        status=TakeoverStatus.PENDING,
        expires_in=-timedelta(minutes=1),
    )
    assert current_status(pending) == TakeoverStatus.EXPIRED


def test_a_draft_that_became_an_order_completes_the_session_even_when_expired(
    session, draft_order
):
    draft_order.status = OrderStatus.UNCONFIRMED
    draft_order.save(update_fields=["status"])
    TakeoverSession.objects.filter(pk=session.pk).update(
        expires_at=session.started_at - timedelta(minutes=1)
    )
    assert current_status(session) == TakeoverStatus.COMPLETED


def test_a_cart_that_no_longer_exists_ends_the_session(session, checkout):
    checkout.delete()
    assert current_status(session) == TakeoverStatus.ENDED
    assert is_stale(session)


def test_a_closed_session_keeps_its_status(session):
    TakeoverSession.objects.filter(pk=session.pk).update(
        status=TakeoverStatus.ENDED,
        expires_at=session.started_at - timedelta(minutes=1),
    )
    assert current_status(session) == TakeoverStatus.ENDED
    assert not is_stale(session)
