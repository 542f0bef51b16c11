"""Whether a storefront checkout may become an order: the completion checks."""

from datetime import timedelta

import pytest
from saleor.checkout import CheckoutChargeStatus
from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
from saleor.plugins.manager import get_plugins_manager

from saleor_cart_takeover.checkout import completion as checkout_completion
from saleor_cart_takeover.config import TakeoverSettings
from saleor_cart_takeover.models import TakeoverSession, TakeoverStatus

from .sessions import open_session

pytestmark = pytest.mark.django_db

SETTINGS = TakeoverSettings()


def problems(checkout, settings=SETTINGS):
    lines, _ = fetch_checkout_lines(checkout)
    info = fetch_checkout_info(
        checkout, lines, get_plugins_manager(allow_replica=False)
    )
    return checkout_completion.problems_for(info, lines, settings)


def test_a_cart_a_rep_holds_is_refused_with_the_merchants_message(
    draft_order, checkout_with_item, staff_user
):
    open_session(draft_order, checkout_with_item, staff_user)
    assert checkout_completion.checkout_refusal(checkout_with_item.pk, SETTINGS) == (
        SETTINGS.blocked_checkout_message
    )
    assert problems(checkout_with_item) == [("id", SETTINGS.blocked_checkout_message)]


@pytest.mark.parametrize(
    ("status", "expires_in"),
    [
        (TakeoverStatus.ACTIVE, -timedelta(seconds=1)),  # timed out, not yet closed
        (TakeoverStatus.PENDING, timedelta(minutes=5)),  # the shopper has not agreed
        (TakeoverStatus.ENDED, timedelta(minutes=5)),
    ],
)
def test_a_cart_nobody_holds_any_more_is_not_refused(
    draft_order, checkout_with_item, staff_user, status, expires_in
):
    open_session(
        draft_order,
        checkout_with_item,
        staff_user,
        status=status,
        expires_in=expires_in,
    )
    assert checkout_completion.checkout_refusal(checkout_with_item.pk, SETTINGS) is None
    assert problems(checkout_with_item) == []


def test_a_merchant_who_does_not_block_checkout_gets_no_refusal(
    draft_order, checkout_with_item, staff_user
):
    open_session(draft_order, checkout_with_item, staff_user)
    settings = TakeoverSettings(block_checkout_during_takeover=False)
    assert checkout_completion.checkout_refusal(checkout_with_item.pk, settings) is None


def test_a_deleted_draft_does_not_keep_the_cart_blocked(
    draft_order, checkout_with_item, staff_user
):
    session = open_session(draft_order, checkout_with_item, staff_user)
    TakeoverSession.objects.filter(pk=session.pk).update(draft_order=None)
    assert checkout_completion.checkout_refusal(checkout_with_item.pk, SETTINGS) is None


def test_a_paid_checkout_counts_as_paid(checkout_with_item):
    assert not checkout_completion.payment_succeeded(checkout_with_item)
    checkout_with_item.charge_status = CheckoutChargeStatus.FULL
    assert checkout_completion.payment_succeeded(checkout_with_item)
