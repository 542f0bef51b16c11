"""Whichever way the order is finally placed, nothing lingers and nothing is bought twice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.warehouse.models import Reservation

from saleor_cart_takeover.models import TakeoverSession

from ..builders import ADDRESS, create_draft
from ..clients import SaleorClient
from ..fixtures import set_config
from ..ids import gid, pk_of
from ..operations import COPY, END, SESSION, SESSIONS, START
from ..storefront import Shopper

DRAFT_UPDATE = """
mutation($id: ID!, $input: DraftOrderInput!) {
  draftOrderUpdate(id: $id, input: $input) { errors { field code message } }
}"""
DRAFT_COMPLETE = """
mutation($id: ID!) {
  draftOrderComplete(id: $id) { order { id status } errors { field code message } }
}"""


def complete_draft(csr, draft_id, shipping_method):
    """The CSR finishes the phone order in the Dashboard: addresses, shipping, complete."""
    api = SaleorClient(csr)
    update = api.post(
        DRAFT_UPDATE,
        {
            "id": draft_id,
            "input": {
                "billingAddress": ADDRESS,
                "shippingAddress": ADDRESS,
                "shippingMethod": gid("ShippingMethod", shipping_method.pk),
            },
        },
    ).body["data"]["draftOrderUpdate"]
    assert update["errors"] == []
    result = api.post(DRAFT_COMPLETE, {"id": draft_id}).body["data"]
    assert result["draftOrderComplete"]["errors"] == []


@pytest.fixture
def prepared(csr_client, csr, customer_user, channel_USD, shop, shipping_method):
    """A shopper's cart the CSR took over and copied into a draft."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 2), (shop[1], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    return shopper, cart, draft_id, session


def end(csr_client, session):
    from ..operations import END

    return csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")


def test_blocking_checkout_is_configurable(prepared, takeover_plugin):
    shopper, cart, _, _ = prepared
    set_config(
        takeover_plugin, blocked_checkout_message="Hold on, Sam is editing your cart."
    )
    assert shopper.complete(cart["id"])["errors"][0]["message"] == (
        "Hold on, Sam is editing your cart."
    )

    set_config(takeover_plugin, block_checkout_during_takeover=False)
    placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    session = TakeoverSession.objects.get()
    assert session.status == "completed"
    assert session.order_id is not None


def test_draft_is_kept_with_a_note_when_configured(
    prepared, csr_client, takeover_plugin
):
    shopper, cart, draft_id, session = prepared
    set_config(takeover_plugin, draft_after_checkout="keep")
    end(csr_client, session)

    placed = shopper.complete(cart["id"])

    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.status == OrderStatus.DRAFT
    note = draft.events.filter(type="note_added").last()
    assert f"placed order #{placed['order']['number']}" in note.parameters["message"]


def test_phone_order_takes_the_copied_items_out_of_the_cart(
    prepared, csr_client, csr, shipping_method, shop
):
    shopper, cart, draft_id, session = prepared
    end(csr_client, session)
    # Meanwhile the shopper added one more of the first item themselves.
    shopper.add(cart["id"], shop[0], 1)

    complete_draft(csr, draft_id, shipping_method)

    left = shopper.cart(cart["id"])["lines"]
    assert [(line["variant"]["id"], line["quantity"]) for line in left] == [
        (gid("ProductVariant", shop[0].pk), 1)
    ]
    session_row = TakeoverSession.objects.get()
    assert session_row.status == "completed"
    assert str(session_row.order_id) == pk_of(draft_id)


def test_a_cart_taken_over_twice_for_one_draft_gives_its_items_up_once(
    prepared, csr_client, csr, shipping_method, shop
):
    """Two sessions on one cart and one draft: the copied items leave the cart
    once, and the units the shopper added themselves stay."""
    shopper, cart, draft_id, session = prepared
    end(csr_client, session)
    again = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")
    csr_client.post(COPY, {"session": again["session"]["id"]}).payload(
        "takeoverCopyToDraft"
    )
    end(csr_client, again["session"])
    shopper.add(cart["id"], shop[0], 1)

    complete_draft(csr, draft_id, shipping_method)

    left = shopper.cart(cart["id"])["lines"]
    assert [(line["variant"]["id"], line["quantity"]) for line in left] == [
        (gid("ProductVariant", shop[0].pk), 1)
    ]
    assert set(TakeoverSession.objects.values_list("status", flat=True)) == {
        "completed"
    }


ORDER_LINE_UPDATE = """
mutation($id: ID!, $quantity: Int!) {
  orderLineUpdate(id: $id, input: {quantity: $quantity}) {
    errors { field code message }
  }
}"""
LINE_METADATA = """
mutation($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) { errors { field code message } }
}"""


def _staff_raises_the_copied_line(csr, draft, shop) -> None:
    line = draft.lines.get(variant=shop[0])
    errors = SaleorClient(csr).call(
        ORDER_LINE_UPDATE, {"id": gid("OrderLine", line.pk), "quantity": 4}
    )["orderLineUpdate"]["errors"]
    assert errors == []


def _staff_changes_the_copied_lines_options(csr, draft, shop) -> None:
    line = draft.lines.get(variant=shop[0])
    errors = SaleorClient(csr).call(
        LINE_METADATA,
        {
            "id": gid("OrderLine", line.pk),
            "input": [{"key": "engraving", "value": "For Bob"}],
        },
    )["updateMetadata"]["errors"]
    assert errors == []


@pytest.mark.parametrize(
    "staff_change",
    [_staff_raises_the_copied_line, _staff_changes_the_copied_lines_options],
)
def test_a_draft_whose_copied_lines_staff_changed_is_kept_with_a_note(
    prepared, csr_client, csr, shop, staff_change
):
    """Staff changed a copied line on the draft (more units, other options);
    the shopper checks out the cart as it was: the draft holds what the order
    lacks, so it stays, and says why."""
    shopper, cart, draft_id, session = prepared
    end(csr_client, session)
    draft = Order.objects.get(pk=pk_of(draft_id))
    staff_change(csr, draft, shop)

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == [], placed["errors"]
    draft = Order.objects.filter(pk=pk_of(draft_id)).first()
    assert draft is not None
    assert draft.status == OrderStatus.DRAFT
    note = draft.events.filter(type="note_added").last()
    assert f"placed order #{placed['order']['number']}" in note.parameters["message"]
    assert "staff changed items copied from the cart" in note.parameters["message"]


def test_phone_order_leaves_the_cart_alone_when_configured(
    prepared, csr_client, csr, takeover_plugin, shipping_method
):
    shopper, cart, draft_id, session = prepared
    set_config(takeover_plugin, clear_cart_after_draft_completed=False)
    end(csr_client, session)

    complete_draft(csr, draft_id, shipping_method)

    assert sum(line["quantity"] for line in shopper.cart(cart["id"])["lines"]) == 3


def test_reading_a_timed_out_session_shows_it_expired_and_writes_nothing(
    prepared, csr_client
):
    shopper, cart, draft_id, session = prepared
    TakeoverSession.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    notes_before = Order.objects.get(pk=pk_of(draft_id)).events.count()

    listed = csr_client.post(SESSIONS, {"draft": draft_id}).data["takeoverSessions"]
    one = csr_client.post(SESSION, {"id": session["id"]}).data["takeoverSession"]

    assert [s["status"] for s in listed] == ["EXPIRED"]
    assert one["status"] == "EXPIRED"
    assert one["cart"]["takenOver"] is False
    # A query never writes: the row, the draft's history and the cart stay as they were.
    assert TakeoverSession.objects.get().status == "active"
    assert Order.objects.get(pk=pk_of(draft_id)).events.count() == notes_before
    assert "cart_takeover.active" in {
        m["key"] for m in shopper.cart(cart["id"])["metadata"]
    }


# Hardening (issue 15), item 9: the order note reports what was really taken out of the cart.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).


def test_the_phone_order_note_counts_the_items_taken_out_of_the_cart(
    csr_client, csr, customer_user, channel_USD, shop, shipping_method
):
    from ..operations import COPY

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
