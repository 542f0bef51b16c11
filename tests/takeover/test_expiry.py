"""The configured idle timeout, run on a controlled clock: each step of the
rep's counts as activity and starts the timeout again; once idle for longer
than the timeout, the cart is the shopper's again."""

from datetime import timedelta

from django.utils import timezone
from freezegun import freeze_time
from saleor.order.models import Order

from saleor_cart_takeover.models import TakeoverSession

from ..builders import create_draft, line_input
from ..clients import TakeoverClient
from ..fixtures import set_config
from ..ids import gid, pk_of
from ..operations import ADD, START
from ..storefront import Shopper


def test_activity_extends_the_session_and_idleness_ends_it(
    takeover_plugin, csr, customer_user, channel_USD, shop, shipping_method
):
    set_config(takeover_plugin, session_timeout_minutes="10")
    start = timezone.now()
    with freeze_time(start):
        shopper = Shopper(customer_user)
        cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
        shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
        draft_id = create_draft(csr, channel_USD, user=customer_user)
        session = TakeoverClient(csr).post(START, {"draft": draft_id})
        session = session.payload("takeoverStart")["session"]

    with freeze_time(start + timedelta(minutes=8)):
        lines = [line_input(shop[1], 1)]
        TakeoverClient(csr).post(ADD, {"session": session["id"], "lines": lines})

    # 15 minutes after the start but only 7 after the last step: still held.
    with freeze_time(start + timedelta(minutes=15)):
        held = Shopper().complete(cart["id"])
        assert [e["code"] for e in held["errors"]] == ["INVALID"], held
        assert "representative" in held["errors"][0]["message"]

    # 11 minutes after the last step: the shopper checks out what the rep left.
    with freeze_time(start + timedelta(minutes=19)):
        placed = Shopper().complete(cart["id"])
    assert placed["errors"] == [], placed["errors"]
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert sorted((line.variant_id, line.quantity) for line in order.lines.all()) == [
        (shop[0].pk, 1),
        (shop[1].pk, 1),
    ]
    assert TakeoverSession.objects.get().status == "completed"
