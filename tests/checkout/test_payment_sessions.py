"""The shopper pays through Saleor's transaction API and a payment app, as
storefronts do today (Saleor's own storefront with its dummy payment app): the
same rules as the legacy flow — no payment while a rep holds the cart, and the
rep's draft retired once the shopper has paid and checked out.

The payment app is a real HTTP server that Saleor calls with its synchronous
TRANSACTION_INITIALIZE_SESSION webhook, and that answers as Saleor's dummy
payment app does: the charge succeeded.
"""

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from saleor.app.models import App
from saleor.channel import TransactionFlowStrategy
from saleor.order.models import Order
from saleor.payment.models import TransactionItem
from saleor.permission.models import Permission
from saleor.webhook.event_types import WebhookEventSyncType
from saleor.webhook.models import Webhook

from saleor_cart_takeover.config import DEFAULT_BLOCKED_CHECKOUT_MESSAGE

from ..builders import create_draft, line_input
from ..clients import TakeoverClient
from ..ids import gid, pk_of
from ..operations import ADD, COPY, START
from ..storefront import Shopper
from ..webhooks import WEBHOOK_PLUGIN

APP_IDENTIFIER = "test.payment-app"
TRANSACTION_INITIALIZE = """
mutation($id: ID!, $gateway: String!, $amount: PositiveDecimal) {
  transactionInitialize(
    id: $id, amount: $amount,
    paymentGateway: {id: $gateway, data: {event: {type: "CHARGE_SUCCESS"}}}
  ) {
    transaction { id chargedAmount { amount } }
    transactionEvent { type message pspReference }
    errors { field code message }
  }
}"""
CHARGE_STATUS = """
query($id: ID!) { checkout(id: $id) {
  chargeStatus totalPrice { gross { amount } }
} }"""
SUBSCRIPTION = """
subscription { event { ... on TransactionInitializeSession {
  action { amount actionType }
} } }"""


class PaymentApp:
    """Answers every transaction session with a successful charge of the
    requested amount, as the dummy payment app does for `CHARGE_SUCCESS`."""

    def __init__(self) -> None:
        self.calls = 0
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length))
                app.calls += 1
                body = json.dumps(
                    {
                        "result": "CHARGE_SUCCESS",
                        "amount": payload["action"]["amount"],
                        "pspReference": f"psp-{app.calls}",
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def payment_app(settings) -> Iterator[PaymentApp]:
    # Saleor's webhook plugin comes first in every deployment (Saleor's own
    # plugins before the ones installed from packages): it asks the app, then
    # this plugin sees its answer.
    settings.PLUGINS = [WEBHOOK_PLUGIN, *settings.PLUGINS]
    settings.HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS = True
    server = PaymentApp()
    app = App.objects.create(name="Payments", is_active=True, identifier=APP_IDENTIFIER)
    app.permissions.set(Permission.objects.filter(codename="handle_payments"))
    webhook = Webhook.objects.create(
        name="payments",
        app=app,
        target_url=server.url,
        subscription_query=SUBSCRIPTION,
        is_active=True,
    )
    webhook.events.create(
        event_type=WebhookEventSyncType.TRANSACTION_INITIALIZE_SESSION
    )
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def held_cart(takeover_plugin, csr, customer_user, channel_USD, variants):
    """The shopper's cart with the delivery chosen, held by a rep who added an
    engraved L to it; the rep's draft is the session's."""
    # A shop that charges at checkout and takes no unpaid orders; the
    # storefront leaves the strategy to the channel.
    channel_USD.allow_unpaid_orders = False
    channel_USD.default_transaction_flow_strategy = TransactionFlowStrategy.CHARGE
    channel_USD.save(
        update_fields=["allow_unpaid_orders", "default_transaction_flow_strategy"]
    )
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(variants[0], 2)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    rep = TakeoverClient(csr)
    session = rep.post(START, {"draft": draft_id}).payload("takeoverStart")["session"]
    rep.post(
        ADD,
        {
            "session": session["id"],
            "lines": [line_input(variants[2], 1, engraving="Ada")],
        },
    ).payload("takeoverLinesAdd")
    return shopper, cart, draft_id, rep, session["id"]


def pay(shopper: Shopper, checkout_id: str) -> dict:
    return shopper.call(
        TRANSACTION_INITIALIZE, {"id": checkout_id, "gateway": APP_IDENTIFIER}
    )["transactionInitialize"]


def test_no_payment_while_a_rep_holds_the_cart(held_cart, payment_app, shipping_method):
    shopper, cart, draft_id, _rep, _session = held_cart
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))

    paid = pay(shopper, cart["id"])

    # The payment app was asked, but Saleor records a failed charge with the
    # merchant's message: no money is counted against the cart ...
    assert payment_app.calls == 1
    assert paid["errors"] == []
    assert paid["transactionEvent"]["type"] == "CHARGE_FAILURE"
    assert paid["transactionEvent"]["message"] == DEFAULT_BLOCKED_CHECKOUT_MESSAGE
    assert paid["transactionEvent"]["pspReference"] == "psp-1"
    assert paid["transaction"]["chargedAmount"]["amount"] == 0
    status = shopper.call(CHARGE_STATUS, {"id": cart["id"]})["checkout"]
    assert status["chargeStatus"] == "NONE"
    # ... so checking out is refused (nothing paid) and no order replaces the draft.
    placed = shopper.complete(cart["id"])
    assert placed["order"] is None
    assert [e["code"] for e in placed["errors"]] == ["CHECKOUT_NOT_FULLY_PAID"]
    assert Order.objects.filter(pk=pk_of(draft_id)).exists()


def test_paying_after_hand_back_places_the_order_and_retires_the_draft(
    held_cart, payment_app, shipping_method, customer_user, variants
):
    shopper, cart, draft_id, rep, session = held_cart
    rep.post(COPY, {"session": session, "handBack": True}).payload(
        "takeoverCopyToDraft"
    )
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    total = shopper.call(CHARGE_STATUS, {"id": cart["id"]})["checkout"]["totalPrice"]

    paid = pay(shopper, cart["id"])

    assert paid["errors"] == []
    assert paid["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert Decimal(str(paid["transaction"]["chargedAmount"]["amount"])) == Decimal(
        str(total["gross"]["amount"])
    )
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == [], placed["errors"]
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert order.user == customer_user
    assert sorted((line.variant_id, line.quantity) for line in order.lines.all()) == [
        (variants[0].pk, 2),
        (variants[2].pk, 1),
    ]
    assert TransactionItem.objects.get().order_id == order.pk
    # The rep's draft does not linger as a duplicate of the shopper's order.
    assert not Order.objects.filter(pk=pk_of(draft_id)).exists()
