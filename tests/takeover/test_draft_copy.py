""" "Add Items to Order": the draft mirrors the cart, idempotently, in constant queries."""

from decimal import Decimal

import pytest
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.graphql.tests.fixtures import ApiClient
from saleor.order import OrderStatus
from saleor.order.models import Order, OrderEvent
from saleor.product.models import ProductVariant, ProductVariantChannelListing
from saleor.warehouse.models import Stock

from saleor_cart_takeover.lines.attribution import configuration

from ..builders import create_draft, line_input
from ..clients import SaleorClient
from ..fixtures import QueryCounter
from ..ids import gid, pk_of
from ..operations import ADD, COPY, DELETE, END, START, UPDATE, cart_token
from ..storefront import Shopper


@pytest.fixture
def started(csr_client, csr, customer_user, channel_USD, shop):
    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 2)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    return session, Order.objects.get(pk=pk_of(draft_id))


def copy(client, session, **variables):
    return client.post(COPY, {"session": session["id"], **variables}).payload(
        "takeoverCopyToDraft"
    )


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


def test_copy_uses_the_latest_catalogue_price(csr_client, started, shop, channel_USD):
    session, draft = started
    ProductVariantChannelListing.objects.filter(
        variant=shop[0], channel=channel_USD
    ).update(price_amount=7)

    copy(csr_client, session)

    assert draft.lines.get().base_unit_price_amount == 7


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


def _fill_cart(checkout, count, product, channel, warehouse):
    variants = ProductVariant.objects.bulk_create(
        ProductVariant(product=product, sku=f"BULK-{i}", name=f"V{i}")
        for i in range(count)
    )
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(
            variant=v, channel=channel, price_amount=5, currency=channel.currency_code
        )
        for v in variants
    )
    Stock.objects.bulk_create(
        Stock(warehouse=warehouse, product_variant=v, quantity=100) for v in variants
    )
    CheckoutLine.objects.bulk_create(
        CheckoutLine(
            checkout=checkout,
            variant=v,
            quantity=2,
            currency="USD",
            metadata={"engraving": f"#{i}"},
        )
        for i, v in enumerate(variants)
    )


def test_copy_queries_do_not_grow_with_the_cart(
    csr_client, started, shop, product, channel_USD, warehouse
):
    """1 line vs 40 lines: the same number of SQL queries (issue 6 sets ≤ 25 at 200)."""
    session, draft = started
    checkout = Checkout.objects.get(pk=cart_token(session))

    with QueryCounter() as one:
        copy(csr_client, session)
    _fill_cart(checkout, 39, product, channel_USD, warehouse)
    with QueryCounter() as many:
        result = copy(csr_client, session)

    assert result["result"]["added"] == 39
    assert draft.lines.count() == 40
    assert many.count <= one.count + 2, (one.count, many.count)


DRAFT_TOTALS = """
query($id: ID!) {
  order(id: $id) { subtotal { gross { amount } } lines { quantity unitPrice { gross { amount } } } }
}"""


def test_saleor_prices_the_copied_lines_by_its_draft_rules(
    csr_client, started, shop, channel_USD, csr
):
    session, draft = started
    ProductVariantChannelListing.objects.filter(
        variant=shop[0], channel=channel_USD
    ).update(price_amount=9)
    copy(csr_client, session)

    response = SaleorClient(csr).post(DRAFT_TOTALS, {"id": gid("Order", draft.pk)})
    order = response.body["data"]["order"]

    assert order["lines"][0]["unitPrice"]["gross"]["amount"] == 9
    assert order["subtotal"]["gross"]["amount"] == 18


def test_catalogue_promotions_apply_as_saleor_applies_them(
    csr_client, started, shop, catalogue_promotion, product
):
    from saleor.product.models import Product
    from saleor.product.utils.variant_prices import (
        update_discounted_prices_for_promotion,
    )

    update_discounted_prices_for_promotion(Product.objects.filter(pk=product.pk))
    session, draft = started

    copy(csr_client, session)

    line = draft.lines.get()
    # 10 % off (percentage rule) is the better of the promotion's two rules here.
    assert line.undiscounted_base_unit_price_amount == Decimal("10.00")
    assert line.base_unit_price_amount == Decimal("9.00")
    assert line.unit_discount_amount == Decimal("1.00")
    assert [(d.type, d.value_type, d.value) for d in line.discounts.all()] == [
        ("promotion", "percentage", Decimal("10.000"))
    ]


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
    from ..operations import COPY

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

    from ..operations import COPY

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
    from ..operations import COPY

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
    from ..operations import COPY

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
    from ..operations import COPY

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


# Hardening (issue 15), item 9: promotion gift lines are Saleor's, not the rep's.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

CART_TOTAL = "query($id: ID!) { checkout(id: $id) { lines { id isGift } totalPrice { gross { amount } } } }"


def test_promotion_gift_lines_are_neither_copied_at_full_price_nor_editable(
    csr_client, csr, customer_user, channel_USD, shop, gift_promotion_rule
):
    from ..operations import COPY, DELETE, UPDATE

    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 3)])
    lines = shopper.call(CART_TOTAL, {"id": cart["id"]})["checkout"]["lines"]
    gifts = [line["id"] for line in lines if line["isGift"]]
    assert len(gifts) == 1, lines  # Saleor added the promotion's gift
    gift = CheckoutLine.objects.get(pk=pk_of(gifts[0]))
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]

    for document, variables in (
        (UPDATE, {"lines": [{"lineId": gifts[0], "quantity": 5}]}),
        (DELETE, {"ids": gifts}),
    ):
        answer = csr_client.post(document, {"session": session["id"], **variables})
        field = next(iter(answer.data.values()))
        assert [e["code"] for e in field["errors"]] == ["INVALID"], field
    gift.refresh_from_db()
    assert gift.quantity == 1

    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    draft = Order.objects.get(pk=pk_of(draft_id))
    assert not draft.lines.filter(variant_id=gift.variant_id, is_gift=False).exists()
