"""Shopper consent: a cart waits for the shopper's own yes.

The storefront reads the request with Saleor's own API (the checkout's public
metadata) and answers on the plugin's endpoint with `takeoverConsentAnswer`:
a registered shopper with their own access token, an anonymous one holding
the checkout id. Saleor runs the plugin's metadata hook when its transaction
commits, which the tests reproduce with `captureOnCommitCallbacks`.
"""

import base64
from datetime import timedelta

import pytest
from dateutil.parser import isoparse
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from saleor.checkout.models import Checkout
from saleor.order.models import Order

from saleor_cart_takeover.dashboard.installation import install_app
from saleor_cart_takeover.models import TakeoverSession
from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import create_draft, line_input, metadata
from ..clients import SaleorClient, TakeoverClient, extension_token
from ..fixtures import QueryCounter, set_config
from ..ids import gid, pk_of
from ..operations import ADD, COPY, END, START
from ..storefront import CONSENT_ANSWER, Shopper

REQUESTED = "cart_takeover.consent_requested"
CONSENT = "cart_takeover.consent"
ACTIVE = "cart_takeover.active"
SESSION = """
query($id: ID!) {
  takeoverSession(id: $id) {
    id status endReason expiresAt cartCode cart { id code } history { type parameters }
  }
}"""


@pytest.fixture
def consent_required(takeover_plugin):
    set_config(takeover_plugin, require_shopper_consent=True)


@pytest.fixture
def shopper(customer_user):
    return Shopper(customer_user)


@pytest.fixture
def requested(
    consent_required, csr_client, csr, shopper, customer_user, channel_USD, shop
):
    """A rep opened the registered shopper's cart from a draft, without a code."""
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    started = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")
    return {"session": started["session"], "cart": cart, "draft_id": draft_id}


def storefront_metadata(shopper: Shopper, checkout_id: str) -> dict[str, str]:
    return metadata(shopper.cart(checkout_id)["metadata"])


def answer(shopper: Shopper, checkout_id: str, session_id: str, accept: bool = True):
    """The storefront's answer: the payload, which must carry no error."""
    result = shopper.answer_consent(checkout_id, session_id, accept)
    payload = result.data["takeoverConsentAnswer"]
    assert payload["errors"] == [], payload["errors"]
    return payload


def status(csr_client, session_id: str) -> dict:
    return csr_client.post(SESSION, {"id": session_id}).data["takeoverSession"]


def test_a_pending_takeover_changes_nothing_until_the_shopper_agrees(
    requested, csr_client, shopper, shop
):
    session, cart = requested["session"], requested["cart"]
    assert session["status"] == "PENDING"
    started = TakeoverSession.objects.get().started_at
    assert isoparse(session["expiresAt"]) - started == timedelta(minutes=10)
    assert storefront_metadata(shopper, cart["id"]) == {REQUESTED: session["id"]}

    for query, variables, field in (
        (ADD, {"lines": [line_input(shop[1], 1)]}, "takeoverLinesAdd"),
        (COPY, {}, "takeoverCopyToDraft"),
    ):
        errors = csr_client.post(
            query, {"session": session["id"], **variables}
        ).errors_of(field)
        assert [e["code"] for e in errors] == ["SESSION_NOT_ACTIVE"]
        assert errors[0]["message"].startswith(
            "The shopper has not agreed to this takeover yet"
        )
    assert len(shopper.cart(cart["id"])["lines"]) == 1

    assert answer(shopper, cart["id"], session["id"])["status"] == "ACTIVE"

    assert status(csr_client, session["id"])["status"] == "ACTIVE"
    assert storefront_metadata(shopper, cart["id"]) == {ACTIVE: "true"}
    added = csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[1], 1)]}
    ).payload("takeoverLinesAdd")
    assert len(added["session"]["cart"]["lines"]) == 2

    # Handing back cleans up every key the takeover put on the cart.
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    assert storefront_metadata(shopper, cart["id"]) == {}


def test_declining_ends_the_request(requested, csr_client, shopper):
    session, cart = requested["session"], requested["cart"]

    assert answer(shopper, cart["id"], session["id"], accept=False)["status"] == (
        "ENDED"
    )

    answered = status(csr_client, session["id"])
    assert answered["status"] == "ENDED"
    assert answered["endReason"] == "The shopper declined"
    assert storefront_metadata(shopper, cart["id"]) == {}
    # A later "yes" to the same, finished request opens nothing.
    late = shopper.answer_consent(cart["id"], session["id"], True)
    assert [e["code"] for e in late.errors_of("takeoverConsentAnswer")] == [
        "SESSION_NOT_ACTIVE"
    ]
    assert status(csr_client, session["id"])["status"] == "ENDED"


def test_consent_metadata_answers_nothing_whoever_writes_it(
    requested, csr, csr_client, shopper, customer_user
):
    """Regression: a rep learnt the checkout id from Saleor's `checkoutIds` and
    wrote `cart_takeover.consent` with `updateMetadata`, without a token; the
    plugin took it for the shopper's yes."""
    session, cart = requested["session"], requested["cart"]
    ids = SaleorClient(csr).call(
        "query($id: ID!) { user(id: $id) { checkoutIds } }",
        {"id": gid("User", customer_user.pk)},
    )["user"]["checkoutIds"]
    assert cart["id"] in ids  # Saleor's API stays as it is

    for writer in (Shopper(), shopper):  # no token, and the shopper's own
        for value in (session["id"], "yes", "declined"):
            with TestCase.captureOnCommitCallbacks(execute=True):
                assert writer.set_metadata(cart["id"], CONSENT, value)["errors"] == []

    assert status(csr_client, session["id"])["status"] == "PENDING"
    # A reserved key now: dropped, so nothing suggests it counted.
    assert storefront_metadata(shopper, cart["id"]) == {REQUESTED: session["id"]}


def test_only_the_signed_in_shopper_answers_for_a_registered_cart(
    requested, csr_client, csr, shopper, customer_user2
):
    """Regression: anyone holding the checkout id answered for the shopper."""
    session, cart = requested["session"], requested["cart"]
    dashboard_app = install_app("http://localhost:8000")
    callers: dict[str, tuple[Shopper | TakeoverClient, str]] = {
        "anonymous": (Shopper(), "Unauthenticated"),
        "another customer": (Shopper(customer_user2), "PermissionDenied"),
        "the rep": (TakeoverClient(csr), "PermissionDenied"),
        "the rep's Dashboard token": (
            TakeoverClient(token=extension_token(dashboard_app, csr)),
            "PermissionDenied",
        ),
    }
    for name, (caller, code) in callers.items():
        for accept in (True, False):
            variables = {"checkout": cart["id"], "session": session["id"]}
            if isinstance(caller, Shopper):
                response = caller.answer_consent(cart["id"], session["id"], accept)
            else:
                response = caller.post(CONSENT_ANSWER, {**variables, "accept": accept})
            assert response.status == 200, name
            assert response.error_codes == [code], (name, response.body)
            assert response.body["errors"][0]["message"], name

    assert status(csr_client, session["id"])["status"] == "PENDING"
    assert storefront_metadata(shopper, cart["id"]) == {REQUESTED: session["id"]}
    # The shopper's own token, with the checkout's token instead of its id.
    assert answer(shopper, cart["token"], session["id"])["status"] == "ACTIVE"


def test_a_cart_without_an_owner_is_answered_by_whoever_holds_its_id(
    requested, csr_client, csr
):
    """The contract's rule for anonymous carts, as for Saleor's checkout
    mutations. Requests go to registered shoppers only (an anonymous shopper's
    code counts as consent), so the state is made directly here: the request's
    cart and session name no shopper."""
    session, cart = requested["session"], requested["cart"]
    Checkout.objects.update(user=None)
    TakeoverSession.objects.update(customer_id=None)

    refused = TakeoverClient(csr).post(
        CONSENT_ANSWER,
        {"checkout": cart["id"], "session": session["id"], "accept": True},
    )
    assert refused.error_codes == ["PermissionDenied"]
    assert status(csr_client, session["id"])["status"] == "PENDING"
    assert answer(Shopper(), cart["id"], session["id"])["status"] == "ACTIVE"


def test_a_detached_cart_stays_its_shoppers_to_answer(requested, csr_client):
    session, cart = requested["session"], requested["cart"]
    Checkout.objects.update(user=None)  # e.g. Saleor's checkoutCustomerDetach

    refused = Shopper().answer_consent(cart["id"], session["id"], True)

    assert refused.error_codes == ["Unauthenticated"]
    assert status(csr_client, session["id"])["status"] == "PENDING"


def test_bad_answers_get_field_errors_and_change_nothing(
    requested, csr_client, shopper
):
    session, cart = requested["session"], requested["cart"]
    for checkout_id, session_id, field, code in (
        ("nonsense", session["id"], "checkoutId", "INVALID"),
        (gid("Order", cart["token"]), session["id"], "checkoutId", "INVALID"),
        (cart["id"], "TakeoverSession:x", "sessionId", "INVALID"),
        (cart["id"], gid("TakeoverSession", 10**9), "sessionId", "NOT_FOUND"),
        (
            gid("Checkout", "8c7b1b5e-0000-4000-8000-000000000000"),
            session["id"],
            "checkoutId",
            "NOT_FOUND",
        ),
    ):
        errors = shopper.answer_consent(checkout_id, session_id, True).errors_of(
            "takeoverConsentAnswer"
        )
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)]

    assert status(csr_client, session["id"])["status"] == "PENDING"


def test_an_unanswered_request_expires_after_ten_minutes(
    requested, csr_client, shopper
):
    session, cart = requested["session"], requested["cart"]
    TakeoverSession.objects.update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )  # ten minutes later

    call_command("cart_takeover", "expire")

    expired = status(csr_client, session["id"])
    assert expired["status"] == "EXPIRED"
    assert expired["endReason"] == "The shopper did not answer in time"
    assert storefront_metadata(shopper, cart["id"]) == {}
    late = shopper.answer_consent(cart["id"], session["id"], True)
    assert late.errors_of("takeoverConsentAnswer")[0]["code"] == "SESSION_NOT_ACTIVE"
    assert status(csr_client, session["id"])["status"] == "EXPIRED"


def test_an_overdue_request_reads_as_expired_and_no_longer_holds_the_cart(
    requested, csr_client, shopper, customer_user, channel_USD, other_csr_client
):
    TakeoverSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    # Queries never write: the request reads as expired before anything closes it.
    assert status(csr_client, requested["session"]["id"])["status"] == "EXPIRED"
    draft_id = create_draft(other_csr_client.user, channel_USD, user=customer_user)
    taken = other_csr_client.post(
        START, {"draft": draft_id, "checkout": requested["cart"]["id"]}
    ).payload("takeoverStart")["session"]

    # Another rep's start closes it (and asks the shopper again, for them).
    assert taken["id"] != requested["session"]["id"]
    closed = TakeoverSession.objects.get(pk=pk_of(requested["session"]["id"]))
    assert closed.end_reason == "consent_expired"
    assert storefront_metadata(shopper, requested["cart"]["id"]) == {
        REQUESTED: taken["id"]
    }


def test_a_pending_request_holds_the_cart_against_other_reps(
    requested, other_csr_client, customer_user, channel_USD
):
    draft_id = create_draft(other_csr_client.user, channel_USD, user=customer_user)

    errors = other_csr_client.post(
        START, {"draft": draft_id, "checkout": requested["cart"]["id"]}
    ).errors_of("takeoverStart")

    assert [e["code"] for e in errors] == ["ALREADY_TAKEN_OVER"]


def test_an_anonymous_shoppers_read_out_code_counts_as_consent(
    consent_required, csr_client, csr, channel_USD, shop
):
    anonymous = Shopper()
    cart = anonymous.create_cart(
        channel_USD.slug, [(shop[0], 1)], email="anon@example.com"
    )
    draft_id = create_draft(csr, channel_USD, email="anon@example.com")

    for variables in ({"code": cart_code(cart["token"])}, {"checkout": cart["id"]}):
        session = csr_client.post(START, {"draft": draft_id, **variables}).payload(
            "takeoverStart"
        )["session"]
        assert session["status"] == "ACTIVE"
        assert storefront_metadata(anonymous, cart["id"]) == {ACTIVE: "true"}
        csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")


def test_a_registered_carts_code_is_no_consent(
    consent_required, csr_client, csr, shopper, customer_user, channel_USD, shop
):
    """Regression: starting with the code counted as "the shopper read it out",
    though staff can learn any registered cart's code (`checkoutIds`)."""
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    session = csr_client.post(
        START, {"draft": draft_id, "code": cart_code(cart["token"])}
    ).payload("takeoverStart")["session"]

    assert session["status"] == "PENDING"
    assert storefront_metadata(shopper, cart["id"]) == {REQUESTED: session["id"]}


def test_without_the_setting_no_consent_is_asked(
    csr_client, csr, shopper, customer_user, channel_USD, shop
):
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]

    assert session["status"] == "ACTIVE"
    assert REQUESTED not in storefront_metadata(shopper, cart["id"])


def test_the_hook_reads_one_row_for_other_metadata(
    shopper, channel_USD, shop, takeover_plugin
):
    """Every storefront metadata write of a checkout reaches the hook."""
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])

    def metadata_write(value: str) -> list[str]:
        with QueryCounter() as counter, TestCase.captureOnCommitCallbacks(execute=True):
            shopper.set_metadata(cart["id"], "gift_note", value)
        return [query["sql"] for query in counter.captured_queries]

    consent_off = metadata_write("Happy birthday")
    set_config(takeover_plugin, require_shopper_consent=True)
    consent_on = metadata_write("Happy birthday!")

    # Consent on or off, the hook reads the checkout's metadata row once, by
    # primary key, and nothing more when the write is not a consent answer.
    assert len(consent_on) == len(consent_off)
    hook_read = consent_on[-1]
    assert hook_read.startswith('SELECT "checkout_checkoutmetadata"')
    assert 'WHERE "checkout_checkoutmetadata"."checkout_id" =' in hook_read


def test_reading_the_code_out_while_waiting_opens_nothing(
    requested, csr_client, shopper
):
    """Regression: restarting with the code (shown by the API) opened the cart."""
    session, cart = requested["session"], requested["cart"]

    resumed = csr_client.post(
        START, {"draft": requested["draft_id"], "code": cart_code(cart["token"])}
    ).payload("takeoverStart")["session"]

    assert resumed["id"] == session["id"]
    assert resumed["status"] == "PENDING"
    assert storefront_metadata(shopper, cart["id"]) == {REQUESTED: session["id"]}
    history = [e["type"] for e in status(csr_client, session["id"])["history"]]
    assert history == ["consent_requested", "resumed"]


CUSTOMER_CARTS = """
query($customer: ID!) { customerCarts(customerId: $customer) { id code } }"""
SESSIONS = """
query($draft: ID!) {
  takeoverSessions(draftOrderId: $draft) { cartCode cart { id code } }
}"""


def test_no_answer_shows_the_rep_the_code_of_a_cart_waiting_for_consent(
    requested, csr_client, shopper, customer_user
):
    """Regression: `cartCode`, `Cart.code` and `customerCarts` gave the rep the
    code of the cart they waited for."""
    session, cart = requested["session"], requested["cart"]
    code = cart_code(cart["token"])

    shown = [
        session,
        status(csr_client, session["id"]),
        csr_client.post(SESSIONS, {"draft": requested["draft_id"]}).data,
        csr_client.post(
            CUSTOMER_CARTS, {"customer": gid("User", customer_user.pk)}
        ).data,
    ]
    assert shown[1]["cartCode"] is None
    assert shown[1]["cart"]["code"] is None
    assert shown[3]["customerCarts"][0]["code"] is None
    text = repr(shown)
    cart_ids = [shown[1]["cart"]["id"], shown[3]["customerCarts"][0]["id"]]
    text += "".join(base64.b64decode(cart_id).decode() for cart_id in cart_ids)
    draft = Order.objects.get(pk=pk_of(requested["draft_id"]))
    text += "".join(str(event.parameters) for event in draft.events.all())
    for variant in (code, code.replace("-", ""), code.lower()):
        assert variant not in text

    # Once the shopper agrees, the code is the rep's to see.
    answer(shopper, cart["id"], session["id"])
    opened = status(csr_client, session["id"])
    assert opened["cartCode"] == opened["cart"]["code"] == code
