"""Revert: the rep puts the shopper's cart back as it was at the start."""

import pytest
from saleor.checkout.models import Checkout
from saleor.order.models import OrderEvent
from saleor.product.models import ProductChannelListing
from saleor.warehouse.models import Stock

from saleor_cart_takeover.models import TakeoverEvent

from ..ids import gid
from ..operations import (
    ADD,
    DELETE,
    END,
    REVERT,
    START,
    UPDATE,
    cart_token,
    create_draft,
    line_input,
    pk_of,
)
from ..storefront import UPDATE_METADATA, Shopper


def lines_of(token):
    """Each line as (id, variant, quantity, metadata, private metadata)."""
    return sorted(
        (
            str(line.pk),
            line.variant_id,
            line.quantity,
            line.metadata,
            line.private_metadata,
        )
        for line in Checkout.objects.get(pk=token).lines.all()
    )


@pytest.fixture
def started(csr_client, csr, customer_user, channel_USD, shop):
    """The shopper's cart of two configured lines, taken over."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1), (shop[1], 2)])
    for line in cart["lines"]:
        result = shopper.call(
            UPDATE_METADATA,
            {"id": line["id"], "input": [{"key": "gift", "value": line["id"][-4:]}]},
        )
        assert result["updateMetadata"]["errors"] == []
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    return session, draft_id, lines_of(cart["token"])


def _edit_everything(csr_client, session, shop):
    """Change one line, remove the other, add a third."""
    by_variant = {line["variantId"]: line for line in session["cart"]["lines"]}
    first = by_variant[gid("ProductVariant", shop[0].pk)]["id"]
    second = by_variant[gid("ProductVariant", shop[1].pk)]["id"]
    csr_client.post(
        UPDATE,
        {
            "session": session["id"],
            "lines": [
                {
                    "lineId": first,
                    "quantity": 5,
                    "metadata": [{"key": "gift", "value": "changed"}],
                }
            ],
        },
    ).payload("takeoverLinesUpdate")
    csr_client.post(DELETE, {"session": session["id"], "ids": [second]}).payload(
        "takeoverLinesDelete"
    )
    csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[2], 1)]}
    ).payload("takeoverLinesAdd")


def test_revert_puts_back_variants_quantities_and_metadata(csr_client, started, shop):
    session, draft_id, before = started
    token = cart_token(session)
    _edit_everything(csr_client, session, shop)
    assert lines_of(token) != before

    reverted = csr_client.post(REVERT, {"session": session["id"]}).payload(
        "takeoverRevert"
    )

    after = lines_of(token)
    # Same variants, quantities, metadata; no attribution left behind.
    assert sorted(line[1:] for line in after) == sorted(line[1:] for line in before)
    # The line that never left the cart keeps its id.
    kept = next(line for line in before if line[1] == shop[0].pk)
    assert kept in after
    assert reverted["session"]["status"] == "ACTIVE"
    assert len(reverted["session"]["cart"]["lines"]) == 2
    event = TakeoverEvent.objects.filter(type="reverted").get()
    assert event.parameters["restored"] == 2
    assert event.parameters["removed"] == 1
    assert OrderEvent.objects.filter(
        order_id=pk_of(draft_id),
        type="note_added",
        parameters__message__icontains="reverted the shopper's cart",
    ).exists()


def test_lines_that_cannot_come_back_are_reported_and_the_rest_return(
    csr_client, started, shop
):
    session, _, before = started
    token = cart_token(session)
    _edit_everything(csr_client, session, shop)
    # Meanwhile the removed line's variant sells out.
    Stock.objects.filter(product_variant=shop[1]).update(quantity=0)

    response = csr_client.post(REVERT, {"session": session["id"]})

    payload = response.data["takeoverRevert"]
    # `lines.N`: the line's place in the cart at the start (the shopper added
    # shop[0] first, then shop[1]).
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("lines.1", "INSUFFICIENT_STOCK")
    ]
    assert "could not be restored" in payload["errors"][0]["message"]
    assert payload["session"]["status"] == "ACTIVE"
    kept = next(line for line in before if line[1] == shop[0].pk)
    assert lines_of(token) == [kept]


def test_an_unpublished_product_is_reported_as_not_available(csr_client, started, shop):
    session, _, _ = started
    token = cart_token(session)
    _edit_everything(csr_client, session, shop)
    ProductChannelListing.objects.filter(product=shop[0].product).update(
        is_published=False
    )

    payload = csr_client.post(REVERT, {"session": session["id"]}).data["takeoverRevert"]

    assert sorted(e["code"] for e in payload["errors"]) == [
        "NOT_AVAILABLE",
        "NOT_AVAILABLE",
    ]
    # The changed line stays as the rep left it; the rep's new line goes.
    assert [line[1:3] for line in lines_of(token)] == [(shop[0].pk, 5)]


def test_a_new_cart_reverts_to_empty(csr_client, csr, channel_USD, shop, customer_user):
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[0], 2)]}
    ).payload("takeoverLinesAdd")

    reverted = csr_client.post(REVERT, {"session": session["id"]}).payload(
        "takeoverRevert"
    )

    assert reverted["session"]["cart"]["lines"] == []


def test_only_the_holder_of_an_active_session_reverts(
    csr_client, other_csr_client, started, shop
):
    session, _, before = started
    _edit_everything(csr_client, session, shop)
    edited = lines_of(cart_token(session))

    other = other_csr_client.post(REVERT, {"session": session["id"]})
    assert other.errors_of("takeoverRevert")[0]["code"] == "ALREADY_TAKEN_OVER"
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    ended = csr_client.post(REVERT, {"session": session["id"]})
    assert ended.errors_of("takeoverRevert")[0]["code"] == "SESSION_NOT_ACTIVE"
    assert lines_of(cart_token(session)) == edited
