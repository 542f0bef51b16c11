"""The configured idle timeout, run on a controlled clock: each step of the
rep's counts as activity and starts the timeout again; once idle for longer
than the timeout, the cart is the shopper's again, and the beat task and
`cart_takeover expire` close the session (`takeover/expiry.py`)."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from saleor.order import OrderStatus
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


def test_idle_sessions_expire_and_stop_blocking(
    csr, customer_user, channel_USD, shop, shipping_method, takeover_plugin
):
    """A session idle for longer than the configured timeout no longer blocks
    the shopper: checkoutComplete places the order, even before anything
    marks the session expired; the rep's next step is refused."""
    set_config(takeover_plugin, session_timeout_minutes="10")
    start = timezone.now()
    with freeze_time(start):
        shopper = Shopper(customer_user)
        cart = shopper.create_cart(channel_USD.slug, [(shop[0], 2)])
        shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
        draft_id = create_draft(csr, channel_USD, user=customer_user)
        TakeoverClient(csr).post(START, {"draft": draft_id}).payload("takeoverStart")
    with freeze_time(start + timedelta(minutes=9)):
        held = Shopper().complete(cart["id"])
        assert [e["code"] for e in held["errors"]] == ["INVALID"], held
    with freeze_time(start + timedelta(minutes=11)):
        assert TakeoverSession.objects.get().status == "active"  # not marked yet

        placed = Shopper().complete(cart["id"])

        assert placed["errors"] == [], placed["errors"]
        order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
        assert order.status != OrderStatus.DRAFT
        assert order.lines.get().quantity == 2
    # The order ended the session: nothing is left for the rep to edit.
    assert TakeoverSession.objects.get().status == "completed"


# Closing timed-out sessions: the beat task and `cart_takeover expire` (from
# tests/checkout/test_reconciliation.py).


def test_the_beat_task_closes_timed_out_sessions(started):
    from saleor_cart_takeover.tasks import expire_takeover_sessions_task

    TakeoverSession.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    expire_takeover_sessions_task.delay()

    session = TakeoverSession.objects.get()
    assert (session.status, session.end_reason) == ("expired", "expired")


def test_expire_command_closes_idle_and_orphaned_sessions(started, capsys):
    TakeoverSession.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("cart_takeover", "expire")

    assert "Closed 1" in capsys.readouterr().out
    session = TakeoverSession.objects.get()
    assert (session.status, session.end_reason) == ("expired", "expired")
