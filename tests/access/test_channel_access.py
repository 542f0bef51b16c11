"""A CSR whose group is restricted to some channels does the whole job there:
finds the shopper's cart, takes it over, edits it and copies it to the draft."""

import pytest
from saleor.account.models import Group

from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import create_draft, line_input, make_csr
from ..clients import TakeoverClient
from ..ids import gid
from ..operations import ADD, COPY, START
from ..storefront import Shopper

CARTS = """
query($customer: ID!) { customerCarts(customerId: $customer) { code channel } }"""
BY_CODE = """query($code: String!) { cartByCode(code: $code) { code channel } }"""
SESSIONS = """query { takeoverSessions { id cart { id } } }"""


@pytest.fixture
def usd_rep(takeover_plugin, manage_orders, channel_USD):
    rep = make_csr("usd-rep@example.com", manage_orders, group_name="USD reps")
    group = Group.objects.get(name="USD reps")
    group.restricted_access_to_channels = True
    group.save(update_fields=["restricted_access_to_channels"])
    group.channels.add(channel_USD)
    return rep


def test_a_channel_restricted_csr_works_in_their_own_channel(
    usd_rep, customer_user, channel_USD, shop
):
    shopper = Shopper(customer_user)
    usd_cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    rep = TakeoverClient(usd_rep)
    # Reps see carts by their code and an opaque id, never the checkout token.
    code = cart_code(usd_cart["token"])

    # The shopper's carts as this rep sees them: their channel's only.
    carts = rep.post(CARTS, {"customer": gid("User", customer_user.pk)})
    assert carts.data["customerCarts"] == [{"code": code, "channel": channel_USD.slug}]

    draft_id = create_draft(usd_rep, channel_USD, user=customer_user)
    session = rep.post(START, {"draft": draft_id, "checkout": usd_cart["id"]})
    session = session.payload("takeoverStart")["session"]
    assert session["cart"]["code"] == code
    found = rep.post(BY_CODE, {"code": code}).data["cartByCode"]
    assert found == {"code": code, "channel": channel_USD.slug}

    lines = [line_input(shop[1], 2, engraving="Ada")]
    added = rep.post(ADD, {"session": session["id"], "lines": lines})
    assert len(added.payload("takeoverLinesAdd")["session"]["cart"]["lines"]) == 2
    copied = rep.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    assert copied["result"]["added"] == 2

    listed = rep.post(SESSIONS).data["takeoverSessions"]
    assert [s["id"] for s in listed] == [session["id"]]
