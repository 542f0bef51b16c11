"""The draft lines "Add Items to Order" builds from the cart's lines
(`takeover/draft_lines.py`): Saleor's prices and promotions, no promotion gifts,
and a query count that does not grow with the cart."""

from decimal import Decimal

from saleor.checkout.models import Checkout, CheckoutLine
from saleor.order.models import Order
from saleor.product.models import ProductVariant, ProductVariantChannelListing
from saleor.warehouse.models import Stock

from ..builders import create_draft
from ..clients import SaleorClient
from ..fixtures import QueryCounter
from ..ids import gid, pk_of
from ..operations import COPY, DELETE, START, UPDATE, cart_token, copy
from ..storefront import Shopper


def test_copy_uses_the_latest_catalogue_price(csr_client, started, shop, channel_USD):
    session, draft = started
    ProductVariantChannelListing.objects.filter(
        variant=shop[0], channel=channel_USD
    ).update(price_amount=7)

    copy(csr_client, session)

    assert draft.lines.get().base_unit_price_amount == 7


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


# Hardening (issue 15), item 9: promotion gift lines are Saleor's, not the rep's.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

CART_TOTAL = "query($id: ID!) { checkout(id: $id) { lines { id isGift } totalPrice { gross { amount } } } }"


def test_promotion_gift_lines_are_neither_copied_at_full_price_nor_editable(
    csr_client, csr, customer_user, channel_USD, shop, gift_promotion_rule
):
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
