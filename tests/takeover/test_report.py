"""`takeoverReport`: per rep, how sessions ended and what they brought in."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from saleor.account.models import Group
from saleor.checkout.models import Checkout
from saleor.order.models import Order

from saleor_cart_takeover.models import TakeoverSession
from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import create_draft, make_csr
from ..clients import TakeoverClient
from ..fixtures import QueryCounter
from ..ids import gid, pk_of
from ..operations import COPY, END, START, operation
from ..storefront import Shopper

REPORT = operation("plugin/Report")
TRANSFER = operation("plugin/Transfer")


def period(days_back: int = 1, days_forward: int = 0) -> dict:
    today = timezone.now().date()
    return {
        "from": str(today - timedelta(days=days_back)),
        "to": str(today + timedelta(days=days_forward)),
    }


def lasted(session_id: str, minutes: int) -> None:
    """Pretend the session lasted this long (it ended moments ago in the test)."""
    ended = timezone.now() - timedelta(minutes=5)
    TakeoverSession.objects.filter(pk=pk_of(session_id)).update(
        started_at=ended - timedelta(minutes=minutes), ended_at=ended
    )


@pytest.fixture
def history(
    csr_client,
    other_csr_client,
    csr,
    customer_user,
    channel_USD,
    channel_PLN,
    shop,
    shipping_method,
):
    """Four sessions: csr's two in USD (one became the shopper's order, one was
    handed back); one csr started and handed to csr2, which expired; csr2's own
    in PLN, handed back."""
    csr2 = other_csr_client.user
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 2)])
    draft = create_draft(csr, channel_USD, user=customer_user)
    bought = csr_client.post(START, {"draft": draft}).payload("takeoverStart")
    csr_client.post(COPY, {"session": bought["session"]["id"], "handBack": True})
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    placed = shopper.complete(cart["id"])
    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))

    def anonymous_session(client, user, channel, *, lines) -> str:
        if lines:
            anonymous = Shopper().create_cart(
                channel.slug, lines, email="anon@example.com"
            )
            token = anonymous["token"]
        else:  # an empty cart in a channel without listed products
            token = str(Checkout.objects.create(channel=channel, currency="PLN").pk)
        draft_id = create_draft(user, channel, email="anon@example.com")
        started = client.post(START, {"draft": draft_id, "code": cart_code(token)})
        return started.payload("takeoverStart")["session"]["id"]

    handed_back = anonymous_session(csr_client, csr, channel_USD, lines=[(shop[1], 1)])
    csr_client.post(END, {"session": handed_back}).payload("takeoverEnd")
    expired = anonymous_session(csr_client, csr, channel_USD, lines=[(shop[2], 1)])
    assert (
        csr_client.post(TRANSFER, {"session": expired, "email": csr2.email}).data[
            "takeoverTransfer"
        ]["errors"]
        == []
    )
    TakeoverSession.objects.filter(pk=pk_of(expired)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("cart_takeover", "expire")
    in_pln = anonymous_session(other_csr_client, csr2, channel_PLN, lines=[])
    other_csr_client.post(END, {"session": in_pln}).payload("takeoverEnd")

    for session_id, minutes in (
        (bought["session"]["id"], 10),
        (handed_back, 4),
        (expired, 30),
        (in_pln, 6),
    ):
        lasted(session_id, minutes)
    return {"order": order, "csr2": csr2}


def row(
    email,
    *,
    sessions,
    handed_back=0,
    shopper=0,
    drafts=0,
    expired=0,
    median,
    revenue,
    by_currency,
):
    return {
        "staffEmail": email,
        "sessions": sessions,
        "handedBack": handed_back,
        "shopperCompleted": shopper,
        "draftsCompleted": drafts,
        "expired": expired,
        "medianMinutes": median,
        "revenue": revenue,
        "revenueByCurrency": by_currency,
    }


def money(amount, currency: str) -> dict:
    return {"amount": float(amount), "currency": currency}


def test_one_row_per_rep_and_totals_that_never_mix_currencies(history, csr_client, csr):
    total = history["order"].total_gross_amount
    assert total > 0

    report = csr_client.post(REPORT, period()).data["takeoverReport"]

    # Ordered by email.
    assert report["rows"] == [
        # The expired session was handed to csr2: it counts for csr2.
        row(
            history["csr2"].email,
            sessions=2,
            handed_back=1,
            expired=1,
            median=18.0,
            revenue=None,  # USD and PLN sessions: not added up
            by_currency=[money(0, "PLN"), money(0, "USD")],
        ),
        row(
            csr.email,
            sessions=2,
            handed_back=1,
            shopper=1,
            median=7.0,
            revenue=money(total, "USD"),
            by_currency=[money(total, "USD")],
        ),
    ]
    assert report["totals"] == row(
        None,
        sessions=4,
        handed_back=2,
        shopper=1,
        expired=1,
        median=8.0,
        revenue=None,
        by_currency=[money(0, "PLN"), money(total, "USD")],
    )


def test_a_channel_narrows_the_report_to_one_currency(history, csr_client, channel_USD):
    report = csr_client.post(REPORT, {**period(), "channel": channel_USD.slug}).data[
        "takeoverReport"
    ]

    assert [r["staffEmail"] for r in report["rows"]] == [
        "csr2@example.com",
        "csr@example.com",
    ]
    total = history["order"].total_gross_amount
    assert report["totals"]["sessions"] == 3
    assert report["totals"]["revenue"] == money(total, "USD")


def test_a_rep_restricted_to_a_channel_sees_only_that_channel(
    history, manage_orders, channel_PLN, channel_USD
):
    restricted = Group.objects.create(
        name="PLN only", restricted_access_to_channels=True
    )
    restricted.permissions.add(manage_orders)
    restricted.channels.add(channel_PLN)
    pln_rep = make_csr("pln@example.com", manage_orders)
    pln_rep.groups.set([restricted])
    client = TakeoverClient(pln_rep)

    report = client.post(REPORT, period()).data["takeoverReport"]
    asked_for_usd = client.post(REPORT, {**period(), "channel": channel_USD.slug})

    assert report["totals"]["sessions"] == 1
    assert report["rows"][0]["staffEmail"] == history["csr2"].email
    assert report["totals"]["revenue"] == money(0, "PLN")
    assert asked_for_usd.error_codes == ["PermissionDenied"]


def test_only_sessions_started_in_the_period_count(history, csr_client):
    TakeoverSession.objects.filter(started_by_email="csr2@example.com").update(
        started_at=timezone.now() - timedelta(days=40)
    )

    report = csr_client.post(REPORT, period()).data["takeoverReport"]
    older = csr_client.post(REPORT, period(days_back=45, days_forward=-35)).data[
        "takeoverReport"
    ]
    empty = csr_client.post(REPORT, period(days_back=400, days_forward=-380)).data[
        "takeoverReport"
    ]

    assert report["totals"]["sessions"] == 3  # csr's two and the one handed over
    assert older["totals"]["sessions"] == 1
    assert older["rows"][0]["staffEmail"] == "csr2@example.com"
    assert empty["rows"] == []
    assert empty["totals"]["sessions"] == 0
    assert empty["totals"]["medianMinutes"] is None
    assert empty["totals"]["revenue"] is None


def test_bad_periods_are_refused_with_the_field(csr_client, channel_USD):
    backwards = csr_client.post(REPORT, {"from": "2026-03-02", "to": "2026-03-01"})
    too_long = csr_client.post(REPORT, {"from": "2024-01-01", "to": "2026-01-01"})
    no_channel = csr_client.post(REPORT, {**period(), "channel": "nope"})

    assert backwards.error_codes == ["INVALID"]
    assert backwards.body["errors"][0]["extensions"]["exception"]["field"] == "dateFrom"
    assert too_long.error_codes == ["INVALID"]
    assert no_channel.error_codes == ["NOT_FOUND"]


def test_the_report_needs_the_takeover_permission(
    takeover_plugin, manage_orders, channel_USD
):
    outsider = make_csr("outsider@example.com", manage_orders, grant=False)

    response = TakeoverClient(outsider).post(REPORT, period())

    assert response.error_codes == ["PermissionDenied"]


def test_the_report_costs_the_same_queries_for_more_sessions_and_counts_orders_once(
    history, csr_client
):
    def queries() -> int:
        with QueryCounter() as counter:
            csr_client.post(REPORT, period()).data["takeoverReport"]
        return counter.count

    before = queries()
    for session in list(TakeoverSession.objects.all()):
        for _ in range(3):
            session.pk = None
            session.save()
    assert TakeoverSession.objects.count() == 16

    assert queries() == before
    # Four sessions now lead to the shopper's one order: it still counts once.
    report = csr_client.post(REPORT, period()).data["takeoverReport"]
    total = money(history["order"].total_gross_amount, "USD")
    assert report["rows"][1]["sessions"] == 8
    assert report["rows"][1]["revenue"] == total
    assert report["totals"]["revenueByCurrency"][1] == total
