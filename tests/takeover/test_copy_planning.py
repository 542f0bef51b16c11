"""What "Add Items to Order" plans to change in the draft, before writing.

Reads `draft_copy._plan` directly: the plan is the copy's decision, and it
must not write anything.
"""

import uuid

import pytest
from saleor.checkout.models import Checkout
from saleor.order.models import OrderLine

from saleor_cart_takeover.models import CopiedLine, TakeoverStatus
from saleor_cart_takeover.takeover.draft_copy import _plan

from ..sessions import open_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(checkout_with_item):
    return checkout_with_item


@pytest.fixture
def session(draft_order, cart, staff_user):
    return open_session(draft_order, cart, staff_user)


def cart_lines(checkout: Checkout):
    return list(checkout.lines.select_related("variant__product__product_type"))


def copy_of(session, cart_line, order_line: OrderLine, quantity: int) -> CopiedLine:
    return CopiedLine.objects.create(
        order_line=order_line,
        session=session,
        checkout_line_id=cart_line.pk,
        quantity=quantity,
    )


def test_a_cart_line_never_copied_is_planned_as_new_and_nothing_is_written(
    draft_order, cart, session
):
    lines_before = draft_order.lines.count()
    [cart_line] = cart_lines(cart)

    plan = _plan(draft_order, cart, [cart_line])

    [(planned_cart_line, order_line)] = plan.new
    assert planned_cart_line == cart_line
    assert (order_line.variant_id, order_line.quantity) == (
        cart_line.variant_id,
        cart_line.quantity,
    )
    assert (plan.changed, plan.gone, plan.unchanged) == ([], [], 0)
    assert draft_order.lines.count() == lines_before


def test_a_copy_that_still_matches_the_cart_is_unchanged(draft_order, cart, session):
    [cart_line] = cart_lines(cart)
    order_line = draft_order.lines.first()
    order_line.quantity = cart_line.quantity
    order_line.metadata = cart_line.metadata or {}
    order_line.private_metadata = cart_line.private_metadata or {}
    order_line.save()
    copy_of(session, cart_line, order_line, cart_line.quantity)

    plan = _plan(draft_order, cart, [cart_line])

    assert plan.result().unchanged == 1
    assert (plan.new, plan.changed, plan.gone) == ([], [], [])


def test_units_staff_added_to_the_draft_survive_a_change_in_the_cart(
    draft_order, cart, session
):
    [cart_line] = cart_lines(cart)  # 3 in the cart
    order_line = draft_order.lines.first()
    copy_of(session, cart_line, order_line, quantity=3)
    OrderLine.objects.filter(pk=order_line.pk).update(quantity=5)  # staff: +2
    cart_line.quantity = 4

    plan = _plan(draft_order, cart, [cart_line])

    [(changed_cart_line, copy, quantity_before)] = plan.changed
    assert quantity_before == 5
    assert copy.order_line.quantity == 4 + 2
    assert copy.quantity == 4
    # Planned, not written.
    assert OrderLine.objects.get(pk=order_line.pk).quantity == 5
    assert CopiedLine.objects.get(pk=copy.pk).quantity == 3


def test_a_copy_whose_cart_line_left_is_gone_but_another_carts_copy_is_not(
    draft_order, cart, session, staff_user, checkout_JPY
):
    first, second = draft_order.lines.all()[:2]
    left = CopiedLine.objects.create(
        order_line=first, session=session, checkout_line_id=uuid.uuid4(), quantity=1
    )
    # An earlier takeover of another cart, ended (one open session per draft).
    other_session = open_session(
        draft_order, checkout_JPY, staff_user, status=TakeoverStatus.ENDED
    )
    CopiedLine.objects.create(
        order_line=second,
        session=other_session,
        checkout_line_id=uuid.uuid4(),
        quantity=1,
    )

    plan = _plan(draft_order, cart, cart_lines(cart))

    assert plan.gone == [left.order_line]
    assert plan.result().added == 1
