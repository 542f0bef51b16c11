""" "Add Items to Order" (`takeover/draft_copy.py`): the draft mirrors the cart,
idempotently, keeps what staff added, and only for the draft's customer.

The lines it builds (prices, promotions, query count) are in test_draft_lines.py;
the copy as one step of another feature stays with that feature (reconciliation,
pickup contacts, attribution, webhooks, query-count budgets, races).
"""

import uuid

import pytest
from saleor.checkout.models import Checkout
from saleor.graphql.tests.fixtures import ApiClient
from saleor.order import OrderStatus
from saleor.order.models import Order, OrderEvent, OrderLine

from saleor_cart_takeover.lines.attribution import configuration
from saleor_cart_takeover.models import CopiedLine, TakeoverStatus
from saleor_cart_takeover.takeover.draft_copy import _plan

from ..builders import create_draft, line_input
from ..ids import gid, pk_of
from ..operations import ADD, COPY, DELETE, END, START, UPDATE, copy
from ..sessions import open_session
from ..storefront import Shopper


def draft_state(draft):
    return sorted(
        (
            line.variant_id,
            line.quantity,
            tuple(sorted(configuration(line.metadata).items())),
        )
        for line in draft.lines.all()
    )


def test_copying_again_updates_instead_of_duplicating(csr_client, started, shop):
    session, draft = started
    csr_client.post(
        ADD,
        {"session": session["id"], "lines": [line_input(shop[1], 1, engraving="Ada")]},
    ).payload("takeoverLinesAdd")

    first = copy(csr_client, session)
    repeat = copy(csr_client, session)
    assert first["result"] == {"added": 2, "updated": 0, "removed": 0, "unchanged": 0}
    assert repeat["result"] == {"added": 0, "updated": 0, "removed": 0, "unchanged": 2}

    lines = {line["variantId"]: line for line in repeat["session"]["cart"]["lines"]}
    csr_client.post(
        UPDATE,
        {
            "session": session["id"],
            "lines": [
                {
                    "lineId": lines[gid("ProductVariant", shop[0].pk)]["id"],
                    "quantity": 5,
                }
            ],
        },
    ).payload("takeoverLinesUpdate")
    csr_client.post(
        DELETE,
        {
            "session": session["id"],
            "ids": [lines[gid("ProductVariant", shop[1].pk)]["id"]],
        },
    ).payload("takeoverLinesDelete")
    third = copy(csr_client, session)

    assert third["result"] == {"added": 0, "updated": 1, "removed": 1, "unchanged": 0}
    assert draft_state(draft) == [(shop[0].pk, 5, ())]
    draft.refresh_from_db()
    assert draft.lines_count == 1
    assert draft.should_refresh_prices is True


def test_lines_staff_added_to_the_draft_themselves_are_kept(
    csr_client, started, shop, order_line
):
    session, draft = started
    own = draft.lines.create(
        **{
            f.name: getattr(order_line, f.name)
            for f in order_line._meta.concrete_fields
            if f.name not in ("id", "order", "created_at")
        }
    )

    copy(csr_client, session)
    copy(csr_client, session)

    assert draft.lines.filter(pk=own.pk).exists()
    assert draft.lines.count() == 2


def test_copy_records_saleors_order_events_and_prices(csr_client, started, shop, csr):
    session, draft = started
    copy(csr_client, session)

    added = OrderEvent.objects.get(order=draft, type="added_products")
    assert added.user == csr
    assert added.parameters["lines"][0]["quantity"] == 2
    line = draft.lines.get()
    assert line.unit_price_gross_amount == 10
    assert line.total_price_gross_amount == 20
    assert line.product_sku == shop[0].sku


def test_hand_back_ends_the_takeover(csr_client, started):
    session, _ = started
    result = copy(csr_client, session, handBack=True)
    assert result["session"]["status"] == "ENDED"
    assert result["session"]["cart"]["takenOver"] is False


def test_an_empty_cart_is_not_copied(csr_client, started):
    session, draft = started
    line = session["cart"]["lines"][0]
    csr_client.post(DELETE, {"session": session["id"], "ids": [line["id"]]}).payload(
        "takeoverLinesDelete"
    )

    response = csr_client.post(COPY, {"session": session["id"]})

    assert response.errors_of("takeoverCopyToDraft")[0]["code"] == "INVALID"
    assert draft.lines.count() == 0


# Hardening (issue 15), item 5: the draft's customer is checked again at copy time.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

DRAFT_SET_CUSTOMER = """
mutation($id: ID!, $user: ID!) {
  draftOrderUpdate(id: $id, input: {user: $user}) { errors { field code message } }
}"""


@pytest.mark.parametrize("registered_cart", [True, False])
def test_a_cart_is_not_copied_into_another_customers_draft(
    csr_client, csr, customer_user, user_list, channel_USD, shop, registered_cart
):
    other = user_list[0]
    shopper = Shopper(customer_user if registered_cart else None)
    cart = shopper.create_cart(
        channel_USD.slug, [(shop[0], 2)], email=customer_user.email
    )
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    variables = {"draft": draft_id}
    if not registered_cart:
        from saleor_cart_takeover.takeover.carts import cart_code

        variables["code"] = cart_code(cart["token"])
    session = csr_client.post(START, variables).payload("takeoverStart")["session"]
    changed = ApiClient(user=csr).post_graphql(
        DRAFT_SET_CUSTOMER, {"id": draft_id, "user": gid("User", other.pk)}
    )
    assert changed.json()["data"]["draftOrderUpdate"]["errors"] == []

    copied = csr_client.post(COPY, {"session": session["id"]}).data[
        "takeoverCopyToDraft"
    ]

    assert [e["code"] for e in copied["errors"]] == ["CUSTOMER_MISMATCH"]
    assert not Order.objects.get(pk=pk_of(draft_id)).lines.exists()


# Hardening (issue 15), item 4: copy bookkeeping is kept per cart, not per draft.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

ORDER_LINE_UPDATE = """
mutation($id: ID!, $quantity: Int!) {
  orderLineUpdate(id: $id, input: {quantity: $quantity}) { errors { field code message } }
}"""


def _draft_quantities(draft_id: str) -> dict[int, int]:
    lines = Order.objects.get(pk=pk_of(draft_id)).lines.all()
    return {line.variant_id: line.quantity for line in lines}


def test_a_second_cart_on_the_same_draft_keeps_the_first_carts_items(
    csr_client, csr, customer_user, channel_USD, shop, shipping_method
):
    from saleor_cart_takeover.takeover.carts import cart_code

    registered = Shopper(customer_user)
    registered.create_cart(channel_USD.slug, [(shop[0], 2)])
    anonymous = Shopper()
    second = anonymous.create_cart(
        channel_USD.slug, [(shop[1], 1)], email=customer_user.email
    )
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    for variables in ({}, {"code": cart_code(second["token"])}):
        session = csr_client.post(START, {"draft": draft_id, **variables}).payload(
            "takeoverStart"
        )["session"]
        csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
        csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")

    assert _draft_quantities(draft_id) == {shop[0].pk: 2, shop[1].pk: 1}

    # The second cart's shopper checks out: the draft still holds the first
    # cart's items, so it is kept.
    anonymous.prepare_delivery(second["id"], gid("ShippingMethod", shipping_method.pk))
    assert anonymous.complete(second["id"])["errors"] == []
    assert Order.objects.get(pk=pk_of(draft_id)).status == OrderStatus.DRAFT
    assert _draft_quantities(draft_id)[shop[0].pk] == 2


def test_units_staff_added_to_a_copied_line_survive_the_next_copy(
    csr_client, csr, customer_user, channel_USD, shop
):
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 2)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    line = Order.objects.get(pk=pk_of(draft_id)).lines.get()
    updated = ApiClient(user=csr).post_graphql(
        ORDER_LINE_UPDATE, {"id": gid("OrderLine", line.pk), "quantity": 5}
    )
    assert updated.json()["data"]["orderLineUpdate"]["errors"] == []

    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    assert _draft_quantities(draft_id) == {shop[0].pk: 5}

    shopper.add(cart["id"], shop[0], 1)  # the cart now has 3
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    assert _draft_quantities(draft_id) == {shop[0].pk: 6}


# Hardening (issue 15), item 9: a pickup point never overwrites the delivery staff entered.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

DRAFT_DELIVERY = """
mutation($id: ID!, $address: AddressInput!, $method: ID!) {
  draftOrderUpdate(id: $id, input: {shippingAddress: $address, shippingMethod: $method}) {
    errors { field code message }
  }
}"""


def test_a_pickup_point_does_not_overwrite_the_delivery_staff_entered(
    csr_client, csr, channel_USD, shop, pickup_store, shipping_method
):
    from ..builders import ADDRESS

    shopper = Shopper()
    cart = shopper.create_cart(
        channel_USD.slug, [(shop[0], 1)], email="ann@example.com"
    )
    shopper.prepare_delivery(cart["id"], gid("Warehouse", pickup_store.pk))
    draft_id = create_draft(csr, channel_USD, email="ann@example.com")
    session = csr_client.post(
        START, {"draft": draft_id, "checkout": cart["id"]}
    ).payload("takeoverStart")["session"]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    # Staff then agree on home delivery in the Dashboard.
    delivery = ApiClient(user=csr).post_graphql(
        DRAFT_DELIVERY,
        {
            "id": draft_id,
            "address": {**ADDRESS, "streetAddress1": "Home 1"},
            "method": gid("ShippingMethod", shipping_method.pk),
        },
    )
    assert delivery.json()["data"]["draftOrderUpdate"]["errors"] == []
    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.shipping_method_id == shipping_method.pk

    shopper.add(cart["id"], shop[1], 1)
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")

    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.shipping_address.street_address_1 == "Home 1"
    assert draft.shipping_method_id == shipping_method.pk
    # Never both a pickup point and a shipping method, which Saleor never makes.
    assert draft.collection_point_id is None


def test_a_pickup_point_is_not_copied_over_an_address_staff_entered_first(
    csr_client, csr, channel_USD, shop, pickup_store, shipping_method
):
    from ..builders import ADDRESS

    shopper = Shopper()
    cart = shopper.create_cart(
        channel_USD.slug, [(shop[0], 1)], email="ann@example.com"
    )
    shopper.prepare_delivery(cart["id"], gid("Warehouse", pickup_store.pk))
    draft_id = create_draft(csr, channel_USD, email="ann@example.com")
    delivery = ApiClient(user=csr).post_graphql(
        DRAFT_DELIVERY,
        {
            "id": draft_id,
            "address": {**ADDRESS, "streetAddress1": "Home 1"},
            "method": gid("ShippingMethod", shipping_method.pk),
        },
    )
    assert delivery.json()["data"]["draftOrderUpdate"]["errors"] == []
    session = csr_client.post(
        START, {"draft": draft_id, "checkout": cart["id"]}
    ).payload("takeoverStart")["session"]

    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")

    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.shipping_address.street_address_1 == "Home 1"
    assert draft.shipping_method_id == shipping_method.pk
    assert draft.collection_point_id is None
    assert draft.lines.count() == 1


# What the copy plans to change in the draft, before writing (from
# test_copy_planning.py). Reads `draft_copy._plan` directly: the plan is the
# copy's decision, and it must not write anything.


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


@pytest.mark.django_db
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


@pytest.mark.django_db
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


@pytest.mark.django_db
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


@pytest.mark.django_db
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
