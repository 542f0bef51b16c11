"""Regression tests for the hardening issue (#15): each failed before its fix.

Everything goes through real entry points: Saleor's own GraphQL API for the
shopper and staff, the plugin's endpoint for the rep, real PostgreSQL.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time
from saleor.account.models import Group, User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.discount.models import VoucherCode, VoucherCustomer
from saleor.giftcard.models import GiftCard
from saleor.graphql.tests.fixtures import ApiClient
from saleor.order import OrderChargeStatus, OrderStatus
from saleor.order.models import Order
from saleor.payment.models import Payment
from saleor.permission.models import Permission
from saleor.warehouse.models import Allocation, Reservation, Stock

from saleor_cart_takeover.models import TakeoverGrant, TakeoverSession

from ..clients import TakeoverClient, extension_token
from ..ids import gid
from ..operations import END, START, create_draft, pk_of
from ..storefront import Shopper

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


# --- 8: an abandoned completion does not block takeover for ever ---------------


@pytest.mark.parametrize(
    ("minutes_ago", "blocked"),
    [(1, True), (4, False), (600, False), (24 * 60 + 1, False)],
)
def test_only_a_live_completion_lock_keeps_the_rep_out(
    csr_client, csr, customer_user, channel_USD, shop, minutes_ago, blocked
):
    """Saleor treats `completing_started_at` as expired after
    CHECKOUT_COMPLETION_LOCK_TIME (3 minutes): a crashed completion leaves it set."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    Checkout.objects.filter(pk=cart["token"]).update(
        completing_started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    answer = csr_client.post(START, {"draft": draft_id}).data["takeoverStart"]

    if blocked:
        assert [e["code"] for e in answer["errors"]] == ["INVALID"]
        assert not TakeoverSession.objects.exists()
    else:
        assert answer["errors"] == []
        assert TakeoverSession.objects.get().status == "active"


# --- 7: grants honour channels and groups ---------------------------------------

VIEWER = "{ viewer { email canTakeOver canManageGrants } }"
REVOKE = """
mutation($email: String, $group: String) {
  takeoverPermissionRevoke(userEmail: $email, groupName: $group) {
    changed errors { field code message }
  }
}"""
GRANT = REVOKE.replace("takeoverPermissionRevoke", "takeoverPermissionGrant")
GROUP_UPDATE = """
mutation($id: ID!, $input: PermissionGroupUpdateInput!) {
  permissionGroupUpdate(id: $id, input: $input) {
    errors { field code message }
  }
}"""


def _staff_manager(email: str, channel=None) -> User:
    """Staff with MANAGE_STAFF and MANAGE_ORDERS, restricted to `channel` if given,
    holding the takeover permission themselves."""
    group = Group.objects.create(
        name=f"Managers {email}", restricted_access_to_channels=channel is not None
    )
    group.permissions.add(
        *Permission.objects.filter(codename__in=["manage_staff", "manage_orders"])
    )
    if channel is not None:
        group.channels.add(channel)
    user = User.objects.create(email=email, is_staff=True, is_active=True)
    user.groups.add(group)
    TakeoverGrant.objects.create(user=user)
    return user


def test_a_manager_restricted_to_one_channel_cannot_touch_other_teams_grants(
    takeover_plugin, csr, channel_PLN, channel_USD, manage_orders
):
    pln_manager = TakeoverClient(_staff_manager("pln-boss@example.com", channel_PLN))
    pln_team = Group.objects.create(name="PLN team", restricted_access_to_channels=True)
    pln_team.permissions.add(manage_orders)
    pln_team.channels.add(channel_PLN)
    pln_csr = User.objects.create(
        email="pln-csr@example.com", is_staff=True, is_active=True
    )
    pln_csr.groups.add(pln_team)
    TakeoverGrant.objects.create(user=pln_csr)
    TakeoverGrant.objects.create(group=Group.objects.get(name="Customer service"))

    # The "Customer service" team works in every channel, beyond the manager's.
    for variables in ({"email": csr.email}, {"group": "Customer service"}):
        for mutation in (REVOKE, GRANT):
            answer = pln_manager.post(mutation, variables)
            assert answer.error_codes == ["PermissionDenied"], answer.body
    assert TakeoverGrant.objects.filter(user=csr).exists()
    assert TakeoverGrant.objects.filter(group__name="Customer service").exists()

    # Their own channel's team they manage.
    revoked = pln_manager.post(REVOKE, {"email": pln_csr.email})
    assert revoked.payload("takeoverPermissionRevoke")["changed"] is True
    granted = pln_manager.post(GRANT, {"group": "PLN team"})
    assert granted.payload("takeoverPermissionGrant")["changed"] is True


def test_joining_a_granted_group_does_not_hand_out_the_permission(
    takeover_plugin, csr, manage_orders, channel_USD
):
    team = Group.objects.get(name="Customer service")
    TakeoverGrant.objects.create(group=team)
    hr = User.objects.create(email="hr@example.com", is_staff=True, is_active=True)
    hr_group = Group.objects.create(name="HR")
    hr_group.permissions.add(
        *Permission.objects.filter(codename__in=["manage_staff", "manage_orders"])
    )
    hr.groups.add(hr_group)
    # Saleor lets HR join: they hold every Saleor permission the group has.
    joined = ApiClient(user=hr).post_graphql(
        GROUP_UPDATE,
        {"id": gid("Group", team.pk), "input": {"addUsers": [gid("User", hr.pk)]}},
    )
    assert joined.json()["data"]["permissionGroupUpdate"]["errors"] == []
    assert team.user_set.filter(pk=hr.pk).exists()

    viewer = TakeoverClient(hr).post(VIEWER).data["viewer"]

    assert viewer["canTakeOver"] is False
    assert viewer["canManageGrants"] is False
    # Members a grant holder confirms (granting the group again) are in.
    boss = TakeoverClient(_staff_manager("boss@example.com"))
    assert (
        boss.post(GRANT, {"group": "Customer service"}).payload(
            "takeoverPermissionGrant"
        )["changed"]
        is True
    )
    assert TakeoverClient(hr).post(VIEWER).data["viewer"]["canTakeOver"] is True
    # The team's existing members kept it throughout.
    assert TakeoverClient(csr).post(VIEWER).data["viewer"]["canTakeOver"] is True


# --- 10: dashboard sessions end on a password change; framing ------------------

PASSWORD_CHANGE = """
mutation($old: String!, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) { errors { field code } }
}"""
SESSION_VIEWER = "{ viewer { email canTakeOver } }"


def test_a_password_change_ends_every_dashboard_session(csr_client, csr):
    from saleor_cart_takeover.dashboard.installation import install_app

    app = install_app("http://localhost:8000")
    csr.set_password("old-Password-1")
    csr.save(update_fields=["password"])
    popup = extension_token(app, csr)
    session = (
        TakeoverClient(token=popup)
        .post("mutation { dashboardSessionCreate { token } }")
        .data["dashboardSessionCreate"]["token"]
    )
    assert TakeoverClient(token=session).post(SESSION_VIEWER).status == 200

    changed = ApiClient(user=csr).post_graphql(
        PASSWORD_CHANGE, {"old": "old-Password-1", "new": "new-Password-2"}
    )
    assert changed.json()["data"]["passwordChange"]["errors"] == []

    after = TakeoverClient(token=session).post(SESSION_VIEWER)
    assert after.status == 401
    assert after.error_codes == ["Unauthenticated"]


def _page_csp(client_settings=None) -> str:
    from django.test import Client

    from saleor_cart_takeover.const import PLUGIN_ID

    response = Client().get(f"/plugins/global/{PLUGIN_ID}/dashboard/sessions")
    return response["Content-Security-Policy"]


def test_pages_may_be_framed_only_by_the_dashboards_saleor_knows(
    takeover_plugin, settings, monkeypatch
):
    settings.ALLOWED_CLIENT_HOSTS = ["dashboard.example.com"]
    monkeypatch.setenv("DASHBOARD_URL", "https://admin.example.net/dashboard/")
    csp = _page_csp()
    ancestors = csp.split("frame-ancestors ", 1)[1].split(";")[0].split()
    assert "*" not in ancestors
    assert "'self'" in ancestors
    assert "https://admin.example.net" in ancestors
    assert "dashboard.example.com:*" in ancestors

    settings.CART_TAKEOVER_FRAME_ANCESTORS = "*"
    assert "frame-ancestors *" in _page_csp()


# --- 11: contact and metadata input is cleaned ----------------------------------

CONTACTS_UPDATE = """
mutation($checkout: ID!, $primary: PickupContactInput, $alternate: PickupContactInput) {
  pickupContactsUpdate(checkoutId: $checkout, primary: $primary, alternate: $alternate) {
    pickupContacts { primary { firstName } alternate { firstName } }
    errors { field code message }
  }
}"""
ANN = {"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com"}


@pytest.mark.parametrize(
    "first_name",
    [
        "An\u200bn",  # zero-width space
        "\u202eAnn",  # right-to-left override
        "Ann\u2066",  # left-to-right isolate
        "\ufeffAnn",  # byte order mark
        "A\u00adnn",  # soft hyphen
    ],
)
def test_invisible_and_bidi_characters_in_contact_names_are_refused(
    takeover_plugin, shop, channel_USD, first_name
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    twin = {**ANN, "firstName": first_name, "email": "eve@example.com"}

    answer = TakeoverClient().post(
        CONTACTS_UPDATE, {"checkout": cart["id"], "primary": ANN, "alternate": twin}
    )

    errors = answer.data["pickupContactsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("alternate.firstName", "INVALID")
    ]
    assert "cart_takeover.pickup_contacts" not in (
        Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata
    )


def test_pickup_contacts_cannot_be_changed_in_an_inactive_channel(
    takeover_plugin, shop, channel_USD
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    channel_USD.is_active = False
    channel_USD.save(update_fields=["is_active"])

    answer = TakeoverClient().post(
        CONTACTS_UPDATE, {"checkout": cart["id"], "primary": ANN}
    )

    errors = answer.data["pickupContactsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("checkoutId", "CHANNEL_INACTIVE")
    ]
    assert "cart_takeover.pickup_contacts" not in (
        Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata
    )


LINES_ADD_WITH_METADATA = """
mutation($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { errors { field code message } }
}"""


def test_keys_only_the_plugin_writes_are_stripped_when_a_storefront_writes_them(
    takeover_plugin, shop, channel_USD, shipping_method
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    contacts = (
        '{"primary": {"firstName": "Ann", "lastName": "Lee", "email": "a@example.com"}}'
    )
    for key, value in (
        ("cart_takeover.active", "true"),
        ("cart_takeover.consent_requested", "42"),
        ("cart_takeover.source", "customer_service"),
        ("cart_takeover.pickup_contacts", contacts),
        ("cart_takeover.consent", "42"),
    ):
        assert shopper.set_metadata(cart["id"], key, value)["errors"] == []
    # A line that claims a rep added it.
    added = shopper.call(
        LINES_ADD_WITH_METADATA,
        {
            "id": cart["id"],
            "lines": [
                {
                    "variantId": gid("ProductVariant", shop[1].pk),
                    "quantity": 1,
                    "metadata": [
                        {"key": "cart_takeover.source", "value": "customer_service"}
                    ],
                }
            ],
        },
    )
    assert added["checkoutLinesAdd"]["errors"] == []

    stored = Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata
    # `cart_takeover.consent` is reserved too: no longer read, so dropped.
    assert stored == {"cart_takeover.pickup_contacts": contacts}

    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert set(order.metadata) == {"cart_takeover.pickup_contacts"}
    assert all(
        "cart_takeover.source" not in line.metadata for line in order.lines.all()
    )


# --- 3: the "draft deleted" webhook carries the order id and goes out once ------

DRAFT_DELETED_SUBSCRIPTION = """
subscription { event { ... on DraftOrderDeleted { order { id number } } } }
"""


def test_the_draft_deleted_webhook_names_the_draft_once(
    settings,
    csr_client,
    csr,
    customer_user,
    channel_USD,
    shop,
    shipping_method,
    subscription_webhook,
):
    from unittest.mock import patch

    from saleor.core.models import EventDelivery
    from saleor.webhook.event_types import WebhookEventAsyncType

    from ..operations import COPY

    settings.PLUGINS = [
        *settings.PLUGINS,
        "saleor.plugins.webhook.plugin.WebhookPlugin",
    ]
    webhook = subscription_webhook(
        DRAFT_DELETED_SUBSCRIPTION, WebhookEventAsyncType.DRAFT_ORDER_DELETED
    )
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    draft_number = Order.objects.get(pk=pk_of(draft_id)).number
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))

    # Only the network send is held back; Saleor builds and stores the delivery.
    with patch(
        "saleor.webhook.transport.asynchronous.transport."
        "send_webhook_request_async.apply_async"
    ):
        placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    assert not Order.objects.filter(pk=pk_of(draft_id)).exists()
    deliveries = list(EventDelivery.objects.filter(webhook=webhook))
    assert len(deliveries) == 1
    payload = json.loads(deliveries[0].payload.get_payload())
    assert payload["order"] == {"id": draft_id, "number": str(draft_number)}


# --- 5: the draft's customer is checked again at copy time ----------------------

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


# --- 1: the CSR's API holds only what a CSR needs --------------------------------

CART_FIELDS = "id code channel email customerId lines { id quantity } takenOver"
CUSTOMER_CARTS = f"""
query($customer: ID!) {{ customerCarts(customerId: $customer) {{ {CART_FIELDS} }} }}
"""
CART_BY_CODE = (
    f"query($code: String!) {{ cartByCode(code: $code) {{ {CART_FIELDS} }} }}"
)
START_BY_CART_ID = """
mutation($draft: ID!, $cart: ID!) {
  takeoverStart(draftOrderId: $draft, cartId: $cart) {
    session { id cart { id code } } errors { field code message }
  }
}"""


def _leaks(text: str, token: str) -> bool:
    import base64
    import re

    decoded = []
    for candidate in re.findall(r"[A-Za-z0-9+/=]{12,}", text):
        try:
            decoded.append(base64.b64decode(candidate).decode(errors="ignore"))
        except ValueError:
            continue
    everything = text + " ".join(decoded)
    return token in everything or token.replace("-", "") in everything


def test_no_checkout_token_or_checkout_id_reaches_a_csr(
    csr_client, csr, customer_user, channel_USD, shop
):
    from saleor_cart_takeover.takeover.carts import cart_code

    cart = Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    token = cart["token"]
    by_customer = csr_client.post(
        CUSTOMER_CARTS, {"customer": gid("User", customer_user.pk)}
    )
    by_code = csr_client.post(CART_BY_CODE, {"code": cart_code(token)})
    cart_id = by_code.data["cartByCode"]["id"]
    assert by_customer.data["customerCarts"][0]["id"] == cart_id
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    started = csr_client.post(START_BY_CART_ID, {"draft": draft_id, "cart": cart_id})
    session = started.payload("takeoverStart")["session"]
    assert session["cart"]["id"] == cart_id
    listed = csr_client.post(
        "query($cart: ID) { takeoverSessions(cartId: $cart) { id cart { id } } }",
        {"cart": cart_id},
    )
    assert [s["id"] for s in listed.data["takeoverSessions"]] == [session["id"]]

    for answer in (by_customer, by_code, started, listed):
        text = json.dumps(answer.body)
        assert not _leaks(text, token), text
        assert gid("Checkout", token) not in text
    # The opaque id is no credential for Saleor's checkout API.
    saleor = ApiClient().post_graphql(
        "query($id: ID!) { checkout(id: $id) { id } }", {"id": cart_id}
    )
    assert saleor.json()["data"]["checkout"] is None


def test_fragments_do_not_get_around_the_root_field_limit(csr_client):
    def lookups(i: int) -> str:
        return " ".join(
            f'a{i}_{j}: cartByCode(code: "0000000{j}") {{ code }}' for j in range(3)
        )

    fragments = "\n".join(
        f"fragment F{i} on Query {{ {lookups(i)} }}" for i in range(10)
    )
    spreads = " ".join(f"...F{i}" for i in range(10))
    answer = csr_client.post(f"query {{ {spreads} }}\n{fragments}")
    assert answer.status == 400
    assert answer.error_codes == ["QueryTooComplex"]

    inline = " ".join(f"... on Query {{ {lookups(i)} }}" for i in range(10))
    assert csr_client.post(f"query {{ {inline} }}").error_codes == ["QueryTooComplex"]
    # Ten root fields, however they are written, are still fine.
    ten = (
        " ".join(f"...F{i}" for i in range(3))
        + ' x: cartByCode(code: "00000009") { code }'
    )
    fine = csr_client.post(
        f"query {{ {ten} }}\n"
        + "\n".join(f"fragment F{i} on Query {{ {lookups(i)} }}" for i in range(3))
    )
    assert fine.status == 200, fine.body


# Rate-limit windows are fixed slices of the clock; a test running across a
# slice's end would see its count reset. Time stands still in the middle of one
# (10-minute and hourly slices alike), and the tokens are minted inside it.
MID_WINDOW = "2026-01-01 12:35:00"


def test_code_lookups_are_rate_limited_per_caller_and_per_code_and_audited(
    csr_client, other_csr_client, csr, channel_USD, shop
):
    from django.core.cache import cache

    from saleor_cart_takeover.access import rate_limits
    from saleor_cart_takeover.models import CodeLookup

    cache.clear()
    with freeze_time(MID_WINDOW):
        rep = TakeoverClient(csr_client.user)
        other_rep = TakeoverClient(other_csr_client.user)
        codes = [f"{i:08X}" for i in range(rate_limits.CODE_LOOKUPS_PER_CALLER.limit)]
        for code in codes:
            answer = rep.post(CART_BY_CODE, {"code": code})
            assert answer.data["cartByCode"] is None
        refused = rep.post(CART_BY_CODE, {"code": "FFFFFFFF"})
        assert refused.error_codes == ["RATE_LIMITED"]
        # Another rep is not held back by the first one's lookups...
        assert other_rep.post(CART_BY_CODE, {"code": "EEEEEEEE"}).status == 200
        # ...but one cart's code cannot be tried over and over by many reps.
        per_code = rate_limits.LOOKUPS_PER_CODE.limit
        for _ in range(per_code - 1):
            other_rep.post(CART_BY_CODE, {"code": "EEEEEEEE"})
        assert other_rep.post(CART_BY_CODE, {"code": "eeee-eeee"}).error_codes == [
            "RATE_LIMITED"
        ]
    # Every lookup left a trace, refused ones included.
    assert CodeLookup.objects.filter(user=csr).count() == len(codes) + 1
    assert CodeLookup.objects.filter(
        user=csr, found=False, refused=False
    ).count() == len(codes)
    assert CodeLookup.objects.filter(user=csr, refused=True).count() == 1
    cache.clear()


def test_repeated_starts_cannot_keep_a_shoppers_cart_blocked(
    csr_client, other_csr_client, csr, customer_user, channel_USD, shop
):
    """Counted per cart however the rep names it: here by the draft alone, the
    way "View user's cart" starts, which names no cart at all."""
    from django.core.cache import cache

    from saleor_cart_takeover.access import rate_limits

    cache.clear()
    with freeze_time(MID_WINDOW):
        rep = TakeoverClient(csr_client.user)
        other_rep = TakeoverClient(other_csr_client.user)
        shopper = Shopper(customer_user)
        cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
        draft_id = create_draft(csr, channel_USD, user=customer_user)
        for _ in range(rate_limits.STARTS_PER_CART.limit):
            session = rep.post(START, {"draft": draft_id}).payload("takeoverStart")
            rep.post(END, {"session": session["session"]["id"]}).payload("takeoverEnd")

        for caller in (rep, other_rep):
            other_draft = create_draft(csr, channel_USD, user=customer_user)
            refused = caller.post(START, {"draft": other_draft}).result("takeoverStart")
            assert refused["session"] is None
            assert [(e["field"], e["code"]) for e in refused["errors"]] == [
                ("cartId", "RATE_LIMITED")
            ]
        # Nothing was opened, so nothing blocks the shopper's checkout...
        assert not TakeoverSession.objects.filter(
            status__in=["active", "pending"]
        ).exists()
        assert not Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata.get(
            "cart_takeover.active"
        )
        # ...and the rep can still help the next shopper (a new cart).
        next_shopper = User.objects.create(email="next@example.com", is_active=True)
        fresh = create_draft(csr, channel_USD, user=next_shopper)
        rep.post(START, {"draft": fresh}).payload("takeoverStart")
    cache.clear()


# --- 9: the order note reports what was really taken out of the cart -----------


def test_the_phone_order_note_counts_the_items_taken_out_of_the_cart(
    csr_client, csr, customer_user, channel_USD, shop, shipping_method
):
    from ..operations import COPY
    from ..test_reconciliation import complete_draft

    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 2), (shop[1], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    shopper.add(cart["id"], shop[0], 1)  # 3 of the first item now, 2 of them copied

    complete_draft(csr, draft_id, shipping_method)

    order = Order.objects.get(pk=pk_of(draft_id))
    notes = [e.parameters["message"] for e in order.events.filter(type="note_added")]
    assert any("3 copied item(s) were taken out" in note for note in notes), notes
    left = shopper.cart(cart["id"])["lines"]
    assert [line["quantity"] for line in left] == [1]


def test_reservations_follow_the_items_taken_out_after_a_phone_order(
    csr_client, csr, customer_user, channel_USD, shop, shipping_method, site_settings
):
    from django.db.models import Sum

    from ..operations import COPY
    from ..test_reconciliation import complete_draft

    site_settings.reserve_stock_duration_authenticated_user = 10
    site_settings.save(update_fields=["reserve_stock_duration_authenticated_user"])
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 2), (shop[1], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    shopper.add(cart["id"], shop[0], 1)
    assert Reservation.objects.aggregate(n=Sum("quantity_reserved"))["n"] == 4

    complete_draft(csr, draft_id, shipping_method)

    # The cart keeps 1 item: no more than that stays reserved for it.
    reserved = Reservation.objects.filter(
        checkout_line__checkout_id=cart["token"]
    ).aggregate(n=Sum("quantity_reserved"))["n"]
    assert (reserved or 0) <= 1


# --- 4: copy bookkeeping is kept per cart, not per draft -------------------------

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


# --- 9: a pickup point never overwrites the delivery staff entered --------------

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


# --- 9: promotion gift lines are Saleor's, not the rep's -------------------------

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


# --- 9: the plugin's metadata writes fire Saleor's metadata webhooks --------------

CHECKOUT_METADATA_SUBSCRIPTION = """
subscription { event { ... on CheckoutMetadataUpdated {
  checkout { metadata { key value } } } } }
"""


def test_the_takeover_flag_fires_checkout_metadata_updated(
    settings, csr_client, csr, customer_user, channel_USD, shop, subscription_webhook
):
    from unittest.mock import patch

    from saleor.core.models import EventDelivery
    from saleor.webhook.event_types import WebhookEventAsyncType

    settings.PLUGINS = [
        *settings.PLUGINS,
        "saleor.plugins.webhook.plugin.WebhookPlugin",
    ]
    webhook = subscription_webhook(
        CHECKOUT_METADATA_SUBSCRIPTION, WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED
    )
    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    with patch(
        "saleor.webhook.transport.asynchronous.transport."
        "send_webhook_request_async.apply_async"
    ):
        session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
            "session"
        ]
        csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")

    payloads = [
        json.loads(delivery.payload.get_payload())["checkout"]["metadata"]
        for delivery in EventDelivery.objects.filter(webhook=webhook).order_by("pk")
    ]
    assert payloads == [[{"key": "cart_takeover.active", "value": "true"}], []]
