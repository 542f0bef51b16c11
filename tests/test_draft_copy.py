""" "Add Items to Order": the draft mirrors the cart, idempotently, in constant queries."""

from decimal import Decimal

import pytest
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.order.models import Order, OrderEvent
from saleor.product.models import ProductVariant, ProductVariantChannelListing
from saleor.warehouse.models import Stock

from saleor_cart_takeover.lines.attribution import configuration

from .builders import create_draft, line_input
from .clients import SaleorClient
from .fixtures import QueryCounter
from .ids import gid, pk_of
from .operations import ADD, COPY, DELETE, START, UPDATE, cart_token
from .storefront import Shopper


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
