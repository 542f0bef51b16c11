"""Hygiene: headers on everything served, nothing secret or personal in the logs,
limits a caller cannot get around."""

import json
import logging

import pytest
from django.test import Client, TestCase
from django.utils import timezone
from saleor.order.models import Order

from saleor_cart_takeover import PLUGIN_ID
from saleor_cart_takeover.dashboard.installation import install_app
from saleor_cart_takeover.models import TakeoverSession, TakeoverStatus

from ..builders import line_input
from ..clients import PLUGIN_ENDPOINT as ENDPOINT
from ..clients import call, extension_token
from ..fixtures import set_config
from ..ids import gid, pk_of
from ..operations import ADD, COPY, END
from .conftest import World, failing_statement

ROOT = f"/plugins/global/{PLUGIN_ID}"


@pytest.mark.parametrize(
    "page", ["/dashboard", "/dashboard/takeover", "/dashboard/sessions"]
)
def test_pages_lock_down_what_the_browser_may_do(takeover_plugin, built_pages, page):
    response = Client().get(ROOT + page)

    assert response.status_code == 200
    csp = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    # Scripts only from this origin: no inline code, no eval, no plugins.
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert "frame-ancestors" in csp
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # The app-bridge needs the Dashboard's origin in document.referrer, but no
    # more than the origin leaves the page.
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "<script>" not in response.content.decode()


def test_every_response_of_the_endpoint_is_typed_json_and_not_sniffable(
    takeover_plugin, csr
):
    client = Client()
    responses = [
        client.get(ENDPOINT),
        client.post(ENDPOINT, "{", content_type="application/json"),
        client.post(
            ENDPOINT,
            json.dumps({"query": "{ viewer { email } }"}),
            content_type="application/json",
        ),
        client.get(f"{ROOT}/manifest"),
        client.get(f"{ROOT}/token"),
    ]
    for response in responses:
        assert response["Content-Type"] == "application/json", response
        assert response["X-Content-Type-Options"] == "nosniff", response


SECRET_CONTACT = {
    "firstName": "Grace",
    "lastName": "Hopperova-Secret",
    "email": "grace.secret@example.com",
    "phone": "+14155550123",
}
PICKUP = """mutation($c: ID!, $p: PickupContactInput) {
  pickupContactsUpdate(checkoutId: $c, primary: $p) { errors { field code message } } }"""
EXCHANGE = "mutation { dashboardSessionCreate { token } }"


def test_no_tokens_or_contact_details_in_the_logs(world: World, caplog):
    """A whole working session, a refused one and a failing one, logged at DEBUG
    by every logger: neither a bearer token nor the contact's details appear."""
    caplog.set_level(logging.DEBUG)
    app = install_app("http://localhost:8000")
    popup = extension_token(app, world.csr)
    session_token = call(popup, EXCHANGE).result("dashboardSessionCreate")["token"]
    tokens = [world.token, popup, session_token]

    session = world.start()
    lines = [line_input(world.variants[2], 1, engraving="For Grace")]
    call(session_token, ADD, {"session": session["id"], "lines": lines})
    stored = call(None, PICKUP, {"c": world.checkout_id, "p": SECRET_CONTACT})
    assert stored.result("pickupContactsUpdate")["errors"] == []
    bad = {**SECRET_CONTACT, "email": "not-an-email " + SECRET_CONTACT["email"]}
    refused = call(world.token, PICKUP, {"c": world.checkout_id, "p": bad})
    assert refused.result("pickupContactsUpdate")["errors"]
    call("garbage." + world.token, ADD, {"session": session["id"], "lines": lines})
    with failing_statement("order_order", on="UPDATE"):
        failed = call(world.token, COPY, {"session": session["id"]})
    assert failed.top_codes == ["InternalServerError"]
    call(world.token, END, {"session": session["id"]})

    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.__dict__}"
        for record in caplog.records
    )
    assert "Cart takeover API error" in logged  # the failure itself is logged
    for secret in [*tokens, *SECRET_CONTACT.values(), "+1 415 555 0123"]:
        assert secret not in logged, secret


def test_page_size_is_capped(takeover_plugin, csr, world: World):
    """`first` cannot make the server load every session there is."""
    now = timezone.now()
    TakeoverSession.objects.bulk_create(
        TakeoverSession(
            checkout_token=f"00000000-0000-4000-8000-{i:012d}",
            status=TakeoverStatus.ENDED,
            started_by=csr,
            started_by_email=csr.email,
            started_at=now,
            last_activity_at=now,
        )
        for i in range(120)
    )
    answer = call(world.token, "{ takeoverSessions(first: 100000) { id } }")
    assert len(answer.result("takeoverSessions")) == 100


def test_an_order_never_claims_a_takeover_is_active(
    world: World, takeover_plugin, shipping_method
):
    """The flag tells storefronts a rep holds the cart; on an order it would be
    a lie that never goes away (the session is COMPLETED)."""
    set_config(takeover_plugin, block_checkout_during_takeover=False)
    world.start()
    world.shopper.prepare_delivery(
        world.checkout_id, gid("ShippingMethod", shipping_method.pk)
    )

    with TestCase.captureOnCommitCallbacks(execute=True):  # order_created
        result = world.shopper.complete(world.checkout_id)

    assert result["errors"] == []
    # What the storefront reads from the order from now on.
    order = Order.objects.get(pk=pk_of(result["order"]["id"]))
    assert "cart_takeover.active" not in order.metadata
