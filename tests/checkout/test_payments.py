"""The shopper pays for the cart a rep prepared, through Saleor's real payment
paths, in a channel that does not take unpaid orders."""

from decimal import Decimal

import pytest
from saleor.order import OrderChargeStatus, OrderStatus
from saleor.order.models import Order
from saleor.payment.models import Payment, TransactionItem

from ..builders import create_draft, line_input
from ..clients import SaleorClient, TakeoverClient
from ..ids import gid, pk_of
from ..operations import ADD, COPY, START
from ..storefront import Shopper

DUMMY_GATEWAY = "mirumee.payments.dummy"

PROMO_CODE = """
mutation($id: ID!, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { totalPrice { gross { amount currency } } voucherCode }
    errors { field code message }
  }
}"""
TOTAL = """
query($id: ID!) { checkout(id: $id) { totalPrice { gross { amount currency } } } }"""
PAYMENT_CREATE = """
mutation($id: ID!, $input: PaymentInput!) {
  checkoutPaymentCreate(id: $id, input: $input) {
    payment { id chargeStatus } errors { field code message }
  }
}"""
TRANSACTION_CREATE = """
mutation($id: ID!, $transaction: TransactionCreateInput!) {
  transactionCreate(id: $id, transaction: $transaction) {
    transaction { id authorizedAmount { amount } } errors { field code message }
  }
}"""


@pytest.fixture
def paid_channel(channel_USD, variants, shipping_method):
    """The channel as most merchants run it: no order without payment."""
    channel_USD.allow_unpaid_orders = False
    channel_USD.save(update_fields=["allow_unpaid_orders"])
    return channel_USD


@pytest.fixture
def prepared_cart(takeover_plugin, csr, customer_user, paid_channel, variants):
    """The shopper's cart (2 of S) to which a rep added an engraved L, copied to
    the rep's draft and handed back."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(paid_channel.slug, [(variants[0], 2)])
    draft_id = create_draft(csr, paid_channel, user=customer_user)
    rep = TakeoverClient(csr)
    session = rep.post(START, {"draft": draft_id}).payload("takeoverStart")["session"]
    lines = [line_input(variants[2], 1, engraving="Ada")]
    rep.post(ADD, {"session": session["id"], "lines": lines}).payload(
        "takeoverLinesAdd"
    )
    rep.post(COPY, {"session": session["id"], "handBack": True}).payload(
        "takeoverCopyToDraft"
    )
    return shopper, cart, draft_id


def assert_order_is_the_prepared_cart(order: Order, variants, customer_user) -> None:
    assert order.status == OrderStatus.UNFULFILLED
    assert order.user == customer_user
    assert sorted(
        (line.variant_id, line.quantity, line.metadata.get("engraving"))
        for line in order.lines.all()
    ) == sorted([(variants[0].pk, 2, None), (variants[2].pk, 1, "Ada")])


def test_legacy_payment_with_a_voucher_places_the_prepared_order(
    prepared_cart, variants, voucher, shipping_method, customer_user, settings
):
    settings.PLUGINS = [
        *settings.PLUGINS,
        "saleor.payment.gateways.dummy.plugin.DeprecatedDummyGatewayPlugin",
    ]
    shopper, cart, draft_id = prepared_cart
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    before = shopper.call(TOTAL, {"id": cart["id"]})["checkout"]["totalPrice"]
    promo = shopper.call(PROMO_CODE, {"id": cart["id"], "code": "mirumee"})[
        "checkoutAddPromoCode"
    ]
    assert promo["errors"] == []
    total = Decimal(str(promo["checkout"]["totalPrice"]["gross"]["amount"]))
    # The voucher takes its fixed $20 off the cart the rep prepared.
    assert total == Decimal(str(before["gross"]["amount"])) - 20

    payment = shopper.call(
        PAYMENT_CREATE,
        {
            "id": cart["id"],
            "input": {
                "gateway": DUMMY_GATEWAY,
                "token": "charged",
                "amount": str(total),
            },
        },
    )["checkoutPaymentCreate"]
    assert payment["errors"] == []
    placed = shopper.complete(cart["id"])

    assert placed["errors"] == [], placed["errors"]
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert_order_is_the_prepared_cart(order, variants, customer_user)
    assert order.voucher_code == "mirumee"
    assert order.total_gross_amount == total
    assert order.charge_status == OrderChargeStatus.FULL
    assert Payment.objects.get(order=order).captured_amount == total
    # The rep's draft does not linger as a duplicate.
    assert not Order.objects.filter(pk=pk_of(draft_id)).exists()


def test_authorized_transaction_places_the_prepared_order(
    prepared_cart,
    variants,
    shipping_method,
    customer_user,
    app,
    permission_manage_payments,
):
    shopper, cart, draft_id = prepared_cart
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    total = shopper.call(TOTAL, {"id": cart["id"]})["checkout"]["totalPrice"]["gross"]
    # Without payment the channel refuses the order ...
    unpaid = shopper.complete(cart["id"])
    assert [e["code"] for e in unpaid["errors"]] == ["CHECKOUT_NOT_FULLY_PAID"]

    # ... the payment app authorizes the total, as a PSP app does ...
    app.permissions.add(permission_manage_payments)
    created = SaleorClient(app=app).call(
        TRANSACTION_CREATE,
        {
            "id": cart["id"],
            "transaction": {
                "name": "Card",
                "pspReference": "psp-1",
                "amountAuthorized": {
                    "amount": total["amount"],
                    "currency": total["currency"],
                },
            },
        },
    )["transactionCreate"]
    assert created["errors"] == []

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == [], placed["errors"]
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert_order_is_the_prepared_cart(order, variants, customer_user)
    transaction = TransactionItem.objects.get()
    assert transaction.order_id == order.pk
    assert transaction.authorized_value == Decimal(str(total["amount"]))
    assert not Order.objects.filter(pk=pk_of(draft_id)).exists()
