"""Whether a storefront checkout may become an order: the completion checks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from saleor.checkout import CheckoutChargeStatus
from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
from saleor.checkout.models import Checkout
from saleor.discount.models import VoucherCode, VoucherCustomer
from saleor.giftcard.models import GiftCard
from saleor.graphql.tests.fixtures import ApiClient
from saleor.order import OrderChargeStatus, OrderStatus
from saleor.order.models import Order
from saleor.payment.models import Payment
from saleor.plugins.manager import get_plugins_manager
from saleor.warehouse.models import Allocation, Reservation, Stock

from saleor_cart_takeover.checkout import completion as checkout_completion
from saleor_cart_takeover.config import TakeoverSettings
from saleor_cart_takeover.models import TakeoverSession, TakeoverStatus

from ..ids import gid
from ..operations import END, START, create_draft, pk_of
from ..sessions import open_session
from ..storefront import Shopper

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


# Hardening (issue 15): a refused completion costs the shopper nothing, and a
# paid one is never refused. Each test here failed before that fix (from
# tests/reliability/test_hardening.py).

DUMMY_GATEWAY = "mirumee.payments.dummy"

ADD_PROMO_CODE = """
mutation($id: ID!, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { totalPrice { gross { amount } } }
    errors { field code message }
  }
}"""
PAYMENT_CREATE = """
mutation($id: ID!, $input: PaymentInput!) {
  checkoutPaymentCreate(id: $id, input: $input) {
    payment { chargeStatus }
    errors { field code message }
  }
}"""
TRANSACTION_CREATE = """
mutation($id: ID!, $transaction: TransactionCreateInput!) {
  transactionCreate(id: $id, transaction: $transaction) {
    transaction { id }
    errors { field code message }
  }
}"""


def _total(shopper: Shopper, checkout_id: str) -> Decimal:
    data = shopper.call(
        "query($id: ID!) { checkout(id: $id) { totalPrice { gross { amount } } } }",
        {"id": checkout_id},
    )
    return Decimal(str(data["checkout"]["totalPrice"]["gross"]["amount"]))


@pytest.fixture
def legacy_shop(channel_USD, variants, shipping_method):
    """A channel on Saleor's legacy payment flow: orders need a payment."""
    channel_USD.allow_unpaid_orders = False
    channel_USD.save(update_fields=["allow_unpaid_orders"])
    return variants


@pytest.fixture
def single_use_voucher(voucher):
    voucher.single_use = True
    voucher.usage_limit = 1
    voucher.save(update_fields=["single_use", "usage_limit"])
    return voucher


def _state(checkout_token, voucher, gift_card, payment_pk):
    """What the shopper could lose: voucher uses, gift card balance, payment, stock."""
    code = VoucherCode.objects.get(voucher=voucher)
    payment = Payment.objects.get(pk=payment_pk)
    return {
        "voucher_used": code.used,
        "voucher_customers": VoucherCustomer.objects.filter(voucher_code=code).count(),
        "checkout_voucher_increased": Checkout.objects.get(
            pk=checkout_token
        ).is_voucher_usage_increased,
        "gift_card_balance": GiftCard.objects.get(
            pk=gift_card.pk
        ).current_balance_amount,
        "payment": (
            payment.charge_status,
            payment.is_active,
            payment.captured_amount,
            payment.transactions.count(),
        ),
        "reservations": Reservation.objects.count(),
        "allocations": Allocation.objects.count(),
        "stock": sorted(Stock.objects.values_list("pk", "quantity_allocated")),
        "completing": Checkout.objects.get(pk=checkout_token).completing_started_at,
    }


def test_a_blocked_legacy_checkout_costs_the_shopper_nothing(
    csr_client,
    csr,
    customer_user,
    channel_USD,
    legacy_shop,
    shipping_method,
    single_use_voucher,
    gift_card,
):
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(
        channel_USD.slug, [(legacy_shop[0], 2), (legacy_shop[1], 2)]
    )
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    for code in ("mirumee", gift_card.code):
        added = shopper.call(ADD_PROMO_CODE, {"id": cart["id"], "code": code})
        assert added["checkoutAddPromoCode"]["errors"] == []
    payment = shopper.call(
        PAYMENT_CREATE,
        {
            "id": cart["id"],
            "input": {
                "gateway": DUMMY_GATEWAY,
                "token": "sample-token",
                "amount": str(_total(shopper, cart["id"])),
            },
        },
    )["checkoutPaymentCreate"]
    assert payment["errors"] == [], payment
    payment_pk = Payment.objects.get(checkout_id=cart["token"]).pk
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    before = _state(cart["token"], single_use_voucher, gift_card, payment_pk)

    blocked = shopper.complete(cart["id"])

    assert blocked["order"] is None
    assert blocked["errors"][0]["code"] == "INVALID"
    assert _state(cart["token"], single_use_voucher, gift_card, payment_pk) == before
    assert before["voucher_used"] == 0

    # Handed back, the shopper checks out with the same single-use code.
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert order.voucher_code == "mirumee"
    assert VoucherCode.objects.get(voucher=single_use_voucher).used == 1


@pytest.fixture
def payment_app(app, permission_manage_payments):
    """A payment app (Stripe-like) that records the shopper's payment on the cart."""
    app.permissions.add(permission_manage_payments)
    return app


def test_a_completion_whose_payment_succeeded_is_never_refused(
    csr_client,
    csr,
    customer_user,
    channel_USD,
    legacy_shop,
    shipping_method,
    payment_app,
):
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(legacy_shop[0], 2)])
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")
    # The payment app charges the shopper (its webhook) while the rep holds the cart.
    charged = ApiClient(app=payment_app).post_graphql(
        TRANSACTION_CREATE,
        {
            "id": cart["id"],
            "transaction": {
                "name": "Credit card",
                "pspReference": "psp-1",
                "availableActions": ["REFUND"],
                "amountCharged": {
                    "amount": str(_total(shopper, cart["id"])),
                    "currency": "USD",
                },
            },
        },
    )
    assert charged.json()["data"]["transactionCreate"]["errors"] == []

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert order.status != OrderStatus.DRAFT
    assert order.charge_status == OrderChargeStatus.FULL
    session = TakeoverSession.objects.get()
    assert session.status == "completed"
    assert session.order_id == order.pk
    # The rep's draft is kept, and says what happened.
    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.status == OrderStatus.DRAFT
    note = draft.events.filter(type="note_added").last()
    assert note is not None
    assert f"#{order.number}" in note.parameters["message"]
    assert "payment" in note.parameters["message"]
