"""Faults: PostgreSQL fails in the middle of an operation, Saleor removes what a
session points at, the plugin is switched off mid-session.

Database errors are real: a trigger makes PostgreSQL reject one write that the
operation makes late, after everything else it writes. The tests are
committed (autocommit, as in production), so a half-done operation would stay
visible; each test then removes the fault and shows that the next call works.
"""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from saleor.checkout.models import Checkout
from saleor.checkout.tasks import delete_expired_checkouts
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.plugins.models import PluginConfiguration

from saleor_cart_takeover.models import TakeoverSession, TakeoverStatus

from ..builders import line_input
from ..clients import SaleorClient, call
from ..ids import gid, pk_of
from ..operations import ADD, COPY, END, START
from ..storefront import COMPLETE
from .conftest import World, failing_statement, state

EVENTS = "saleor_cart_takeover_takeoverevent"
SESSIONS = "saleor_cart_takeover_takeoversession"


def internal_error(answer) -> bool:
    """A structured GraphQL error that hides the internals (HTTP 200, JSON)."""
    return answer.status == 200 and answer.top_codes == ["InternalServerError"]


@pytest.fixture
def log_errors(caplog):
    caplog.set_level(logging.ERROR)
    return caplog


@pytest.mark.usefixtures("committed")
class TestDatabaseErrorMidOperation:
    def test_start(self, world: World, log_errors):
        before = state()
        with failing_statement(EVENTS):  # the audit record: start's last write
            answer = call(world.token, START, start_vars(world))

        assert internal_error(answer), answer.body
        assert "injected failure" not in str(answer.body)
        assert "Cart takeover API error" in log_errors.text
        # No session, no "takeover active" flag on the cart, no order note.
        assert state() == before
        assert world.start()["status"] == "ACTIVE"

    def test_edit(self, world: World, log_errors):
        session = world.start()
        before = state()
        lines = [line_input(world.variants[2], 3, engraving="For Ada")]
        with failing_statement(EVENTS):
            answer = call(world.token, ADD, {"session": session["id"], "lines": lines})

        assert internal_error(answer), answer.body
        assert state() == before  # no line, no quantity, timeout not extended
        again = call(world.token, ADD, {"session": session["id"], "lines": lines})
        assert again.result("takeoverLinesAdd")["errors"] == []
        assert len(state()["checkout_lines"]) == 3

    def test_copy(self, world: World, log_errors):
        session = world.start()
        before = state()
        # The draft's own save comes after its lines and Saleor's order events.
        with failing_statement("order_order", on="UPDATE"):
            answer = call(world.token, COPY, {"session": session["id"]})

        assert internal_error(answer), answer.body
        assert state() == before  # no draft line, no copy record, no event
        again = call(world.token, COPY, {"session": session["id"]})
        result = again.result("takeoverCopyToDraft")
        assert result["errors"] == []
        assert result["result"]["added"] == 2

    def test_end(self, world: World, log_errors):
        session = world.start()
        before = state()
        with failing_statement(EVENTS):
            answer = call(world.token, END, {"session": session["id"]})

        assert internal_error(answer), answer.body
        assert state() == before  # still active, the cart still flagged
        ended = call(world.token, END, {"session": session["id"]})
        assert ended.result("takeoverEnd")["session"]["status"] == "ENDED"

    @pytest.mark.parametrize("retry", ["command", "beat task"])
    def test_reconciliation_after_checkout(
        self, world: World, shipping_method, log_errors, retry
    ):
        """The shopper checks out the cart the rep prepared and handed back;
        reconciling fails once. The shopper still gets the order; the failure
        is logged; once the database is healthy the expiry job (the documented
        retry: `cart_takeover expire`, or the beat task, which does the same)
        ties the session to the order and retires the draft."""
        session = world.start()
        assert call(world.token, COPY, {"session": session["id"]}).status == 200
        call(world.token, END, {"session": session["id"]})
        world.shopper.prepare_delivery(
            world.checkout_id, gid("ShippingMethod", shipping_method.pk)
        )
        with failing_statement(SESSIONS, on="UPDATE"):
            result = world.shopper.complete(world.checkout_id)

        assert result["errors"] == []
        assert result["order"]["id"]
        assert "reconciling session" in log_errors.text
        if retry == "command":
            call_command("cart_takeover", "expire")
        else:
            from saleor_cart_takeover.tasks import expire_takeover_sessions_task

            expire_takeover_sessions_task.delay()  # eager: no broker in tests

        reconciled = TakeoverSession.objects.get(pk=pk_of(session["id"]))
        assert reconciled.status == TakeoverStatus.COMPLETED
        assert str(reconciled.order_id) == pk_of(result["order"]["id"])
        assert not Order.objects.filter(pk=pk_of(world.draft_id)).exists()


def start_vars(world: World) -> dict[str, str]:
    return {"draft": world.draft_id, "checkout": world.checkout_id}


def test_cart_removed_by_saleors_expiry_job_ends_the_session(world: World, settings):
    """Saleor's own `delete_expired_checkouts` removes an abandoned cart under an
    open session: the rep's next step says why, and nothing crashes."""
    session = world.start()
    Checkout.objects.filter(pk=pk_of(world.checkout_id)).update(
        last_change=timezone.now()
        - settings.USER_CHECKOUTS_TIMEDELTA
        - timedelta(days=1)
    )
    delete_expired_checkouts()
    assert not Checkout.objects.filter(pk=pk_of(world.checkout_id)).exists()

    answer = call(
        world.token,
        ADD,
        {"session": session["id"], "lines": [line_input(world.variants[0], 1)]},
    )

    error = answer.result("takeoverLinesAdd")["errors"][0]
    assert error["code"] == "SESSION_NOT_ACTIVE"
    assert "cart no longer exists" in error["message"]
    closed = TakeoverSession.objects.get(pk=pk_of(session["id"]))
    assert (closed.status, closed.end_reason) == ("ended", "checkout_deleted")


def test_plugin_deactivated_mid_session_leaves_saleor_working(
    world: World, shipping_method, csr, takeover_plugin
):
    session = world.start()
    call(world.token, COPY, {"session": session["id"]})
    PluginConfiguration.objects.filter(pk=takeover_plugin.pk).update(active=False)

    # Its endpoint is gone (Saleor answers 404 for an inactive plugin) ...
    assert call(world.token, END, {"session": session["id"]}).status == 404
    # ... and the shopper edits and checks out as if it had never been there,
    # even though a session was still open when it was switched off.
    shopper = world.shopper
    added = shopper.add(world.checkout_id, world.variants[2], 1)
    assert added["errors"] == []
    shopper.prepare_delivery(
        world.checkout_id, gid("ShippingMethod", shipping_method.pk)
    )
    result = shopper.complete(world.checkout_id)
    assert result["errors"] == []
    # Staff can still work on the draft the rep filled.
    deleted = SaleorClient(csr).post(
        "mutation($id: ID!) { draftOrderDelete(id: $id) { errors { message } } }",
        {"id": world.draft_id},
    )
    assert deleted.body["data"]["draftOrderDelete"]["errors"] == []

    # Switched on again, it notices the cart is gone and closes the session.
    PluginConfiguration.objects.filter(pk=takeover_plugin.pk).update(active=True)
    answer = call(world.token, END, {"session": session["id"]})
    assert answer.result("takeoverEnd")["errors"][0]["code"] == "SESSION_NOT_ACTIVE"
    assert TakeoverSession.objects.get().status != TakeoverStatus.ACTIVE
    assert Order.objects.exclude(status=OrderStatus.DRAFT).count() == 1


def test_shopper_checkout_is_not_blocked_by_a_plugin_that_is_off(
    world: World, shipping_method
):
    """A session left active while the plugin is off must not block checkout."""
    world.start()
    world.shopper.prepare_delivery(
        world.checkout_id, gid("ShippingMethod", shipping_method.pk)
    )
    # The checkout is complete enough for Saleor: while the plugin is on, only
    # its hook refuses it ...
    held = SaleorClient().post(COMPLETE, {"id": world.checkout_id})
    errors = held.result("checkoutComplete")["errors"]
    assert [e["code"] for e in errors] == ["INVALID"], errors
    assert "representative" in errors[0]["message"]

    PluginConfiguration.objects.update(active=False)
    # ... and once it is off, the same checkout becomes the shopper's order.
    placed = SaleorClient().post(COMPLETE, {"id": world.checkout_id})

    result = placed.result("checkoutComplete")
    assert result["errors"] == [], result["errors"]
    order = Order.objects.get(pk=pk_of(result["order"]["id"]))
    assert order.status != OrderStatus.DRAFT
    assert order.user == world.customer
