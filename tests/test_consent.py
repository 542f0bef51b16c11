"""Shopper consent: a registered shopper's cart waits for the shopper's yes.

The storefront side uses only Saleor's own API (`checkout` and `updateMetadata`
with the checkout id); Saleor runs the plugin's hook when its transaction
commits, which the tests reproduce with `captureOnCommitCallbacks`.
"""

from datetime import timedelta

import pytest
from dateutil.parser import isoparse
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from saleor_cart_takeover.carts import cart_code
from saleor_cart_takeover.models import TakeoverSession

from .builders import create_draft, line_input, metadata
from .fixtures import QueryCounter, set_config
from .ids import pk_of
from .operations import ADD, COPY, END, START
from .storefront import Shopper

REQUESTED = "cart_takeover.consent_requested"
CONSENT = "cart_takeover.consent"
ACTIVE = "cart_takeover.active"
SESSION = """
query($id: ID!) {
  takeoverSession(id: $id) { id status endReason expiresAt history { type } }
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


def answer(shopper: Shopper, checkout_id: str, value: str) -> None:
    """The storefront writes the answer with Saleor's updateMetadata; Saleor's
    hooks run once its transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = shopper.set_metadata(checkout_id, CONSENT, value)
    assert result["errors"] == []


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

    answer(shopper, cart["id"], session["id"])

    assert status(csr_client, session["id"])["status"] == "ACTIVE"
    assert storefront_metadata(shopper, cart["id"]) == {
        CONSENT: session["id"],
        ACTIVE: "true",
    }
    added = csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[1], 1)]}
    ).payload("takeoverLinesAdd")
    assert len(added["session"]["cart"]["lines"]) == 2

    # Handing back cleans up every key the takeover put on the cart.
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    assert storefront_metadata(shopper, cart["id"]) == {}


def test_declining_ends_the_request(requested, csr_client, shopper):
    session, cart = requested["session"], requested["cart"]

    answer(shopper, cart["id"], "declined")

    answered = status(csr_client, session["id"])
    assert answered["status"] == "ENDED"
    assert answered["endReason"] == "The shopper declined"
    assert storefront_metadata(shopper, cart["id"]) == {}
    # A later "yes" to the same, finished request opens nothing.
    answer(shopper, cart["id"], session["id"])
    assert status(csr_client, session["id"])["status"] == "ENDED"


def test_other_answers_leave_the_request_waiting(requested, csr_client, shopper):
    session, cart = requested["session"], requested["cart"]

    for value in ("yes", "TakeoverSession:999", "", "DECLINED"):
        answer(shopper, cart["id"], value)

    assert status(csr_client, session["id"])["status"] == "PENDING"
    assert storefront_metadata(shopper, cart["id"])[REQUESTED] == session["id"]


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
    answer(shopper, cart["id"], session["id"])  # too late
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


def test_a_read_out_cart_code_counts_as_consent(
    consent_required, csr_client, csr, shopper, customer_user, channel_USD, shop
):
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    session = csr_client.post(
        START, {"draft": draft_id, "code": cart_code(cart["token"])}
    ).payload("takeoverStart")["session"]

    assert session["status"] == "ACTIVE"
    assert storefront_metadata(shopper, cart["id"]) == {ACTIVE: "true"}


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


def test_reading_the_code_out_while_waiting_counts_as_consent(
    requested, csr_client, shopper
):
    session, cart = requested["session"], requested["cart"]

    resumed = csr_client.post(
        START, {"draft": requested["draft_id"], "code": cart_code(cart["token"])}
    ).payload("takeoverStart")["session"]
    waiting = csr_client.post(START, {"draft": requested["draft_id"]})

    assert resumed["id"] == session["id"]
    assert resumed["status"] == "ACTIVE"
    assert waiting.payload("takeoverStart")["session"]["status"] == "ACTIVE"
    assert storefront_metadata(shopper, cart["id"]) == {ACTIVE: "true"}
    history = [e["type"] for e in status(csr_client, session["id"])["history"]]
    assert history == ["consent_requested", "consent_given", "resumed", "resumed"]
