"""Opening a cart from a draft: which cart, and who may hold it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from saleor.checkout.models import Checkout
from saleor.order import OrderStatus
from saleor.order.models import Order

from saleor_cart_takeover.models import TakeoverSession
from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import create_draft, metadata
from ..ids import gid, pk_of
from ..operations import START, cart_token
from ..storefront import Shopper


def start(client, draft_id, **variables):
    return client.post(START, {"draft": draft_id, **variables})


def test_anonymous_shopper_reads_out_the_cart_code(csr_client, csr, channel_USD, shop):
    cart = Shopper().create_cart(
        channel_USD.slug, [(shop[0], 2)], email="ann@example.com"
    )
    draft_id = create_draft(csr, channel_USD, email="ann@example.com")
    code = cart_code(cart["token"])

    spoken = code.lower().replace("-", " ")  # "1a2b 3c4d", as typed while on the phone
    session = start(csr_client, draft_id, code=spoken).payload("takeoverStart")[
        "session"
    ]

    assert cart_token(session) == cart["token"]
    assert session["cart"]["code"] == code
    assert session["cart"]["lines"][0]["quantity"] == 2
    assert session["customerEmail"] == "ann@example.com"


def test_draft_with_only_an_email_gets_a_new_anonymous_cart(
    csr_client, csr, channel_USD, shop
):
    draft_id = create_draft(csr, channel_USD, email="new@example.com")

    session = start(csr_client, draft_id).payload("takeoverStart")["session"]

    checkout = Checkout.objects.get(pk=cart_token(session))
    assert checkout.user is None
    assert checkout.email == "new@example.com"
    assert checkout.channel == channel_USD
    assert session["cart"]["lines"] == []


def test_registered_customer_without_a_cart_gets_a_new_one_of_their_own(
    csr_client, csr, customer_user, channel_USD, shop
):
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    session = start(csr_client, draft_id).payload("takeoverStart")["session"]

    checkout = Checkout.objects.get(pk=cart_token(session))
    assert checkout.user == customer_user
    assert session["cart"]["customerId"] == gid("User", customer_user.pk)


def test_most_recently_changed_cart_in_the_drafts_channel_is_chosen(
    csr_client, csr, customer_user, channel_USD, channel_PLN, shop
):
    shopper = Shopper(customer_user)
    older = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    newer = shopper.create_cart(channel_USD.slug, [(shop[1], 1)])
    Checkout.objects.create(
        user=customer_user, channel=channel_PLN, currency="PLN"
    )  # newest of all, but in another channel
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    session = start(csr_client, draft_id).payload("takeoverStart")["session"]

    assert cart_token(session) == newer["token"] != older["token"]


def test_start_refuses_carts_that_do_not_fit_the_draft(
    csr_client, csr, customer_user, customer_user2, channel_USD, channel_PLN, shop
):
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    someone_elses = Shopper(customer_user2).create_cart(
        channel_USD.slug, [(shop[0], 1)]
    )
    other_channel = Checkout.objects.create(channel=channel_PLN, currency="PLN")

    mismatch = start(csr_client, draft_id, checkout=someone_elses["id"])
    assert mismatch.errors_of("takeoverStart") == [
        {
            "field": "checkoutId",
            "code": "CUSTOMER_MISMATCH",
            "message": "This cart belongs to another customer than the draft order's.",
        }
    ]
    wrong_channel = start(
        csr_client, draft_id, checkout=gid("Checkout", other_channel.pk)
    )
    assert wrong_channel.errors_of("takeoverStart")[0]["code"] == "CHANNEL_MISMATCH"
    assert not TakeoverSession.objects.exists()


def test_only_drafts_can_start_a_takeover(csr_client, csr, order_with_lines, shop):
    order_with_lines.status = OrderStatus.UNFULFILLED
    order_with_lines.save(update_fields=["status"])

    response = start(csr_client, gid("Order", order_with_lines.pk))

    assert response.errors_of("takeoverStart")[0]["code"] == "NOT_DRAFT"
    assert not TakeoverSession.objects.exists()


def test_second_csr_is_told_who_holds_the_cart_and_first_csr_resumes(
    csr_client, other_csr_client, csr, customer_user, channel_USD, shop
):
    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    first = start(csr_client, draft_id).payload("takeoverStart")["session"]

    second_draft = create_draft(csr, channel_USD, user=customer_user)
    refused = start(other_csr_client, second_draft)
    again = start(csr_client, draft_id).payload("takeoverStart")["session"]

    error = refused.errors_of("takeoverStart")[0]
    assert error["code"] == "ALREADY_TAKEN_OVER"
    assert "csr@example.com" in error["message"]
    assert again["id"] == first["id"]
    assert TakeoverSession.objects.count() == 1


def test_cart_codes_that_match_several_carts_are_ambiguous(
    csr_client, csr, channel_USD, shop
):
    import uuid

    for suffix in ("1", "2"):
        Checkout.objects.create(
            token=uuid.UUID("abcd1234-0000-4000-8000-00000000000" + suffix),
            channel=channel_USD,
            currency="USD",
        )
    draft_id = create_draft(csr, channel_USD, email="a@example.com")

    response = start(csr_client, draft_id, code="ABCD-1234")
    malformed = start(csr_client, draft_id, code="ABCD-12")

    assert response.errors_of("takeoverStart")[0]["code"] == "AMBIGUOUS_CODE"
    assert malformed.errors_of("takeoverStart")[0] == {
        "field": "cartCode",
        "code": "INVALID",
        "message": "A cart code is 8 letters and digits (0-9, A-F), like 1A2B-3C4D.",
    }


def test_start_marks_the_cart_for_storefronts(csr_client, csr, channel_USD, shop):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="b@example.com")
    draft_id = create_draft(csr, channel_USD, email="b@example.com")

    start(csr_client, draft_id, checkout=cart["id"]).payload("takeoverStart")

    assert metadata(shopper.cart(cart["id"])["metadata"]) == {
        "cart_takeover.active": "true"
    }
    draft = Order.objects.get(pk=pk_of(draft_id))
    notes = list(
        draft.events.filter(type="note_added").values_list("parameters", flat=True)
    )
    assert any("started by csr@example.com" in note["message"] for note in notes)


@pytest.mark.parametrize("bad_id", ["nonsense", "UHJvZHVjdDox"])  # garbage, Product:1
def test_ids_of_the_wrong_type_are_field_errors(csr_client, bad_id):
    response = start(csr_client, bad_id)

    assert response.errors_of("takeoverStart") == [
        {
            "field": "draftOrderId",
            "code": "INVALID",
            "message": "Expected an id of type Order.",
        }
    ]


def test_a_timed_out_takeover_does_not_keep_the_cart_from_others(
    csr_client, other_csr_client, csr, channel_USD, shop
):
    from django.utils import timezone

    cart = Shopper().create_cart(
        channel_USD.slug, [(shop[0], 1)], email="c@example.com"
    )
    first_draft = create_draft(csr, channel_USD, email="c@example.com")
    start(csr_client, first_draft, checkout=cart["id"]).payload("takeoverStart")
    TakeoverSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    second_draft = create_draft(csr, channel_USD, email="c@example.com")
    session = start(
        other_csr_client, second_draft, code=cart_code(cart["token"])
    ).payload("takeoverStart")["session"]

    assert session["startedByEmail"] == "csr2@example.com"
    assert list(
        TakeoverSession.objects.order_by("pk").values_list("status", flat=True)
    ) == [
        "expired",
        "active",
    ]


# Hardening (issue 15), item 8: an abandoned completion does not block takeover for ever.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).


@pytest.mark.parametrize(
    ("minutes_ago", "blocked"),
    [(1, True), (4, False), (600, False), (24 * 60 + 1, False)],
)
def test_only_a_live_completion_lock_keeps_the_rep_out(
    csr_client, csr, customer_user, channel_USD, shop, minutes_ago, blocked
):
    """Saleor treats `completing_started_at` as expired after
    CHECKOUT_COMPLETION_LOCK_TIME (3 minutes): a crashed completion leaves it set."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    Checkout.objects.filter(pk=cart["token"]).update(
        completing_started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    draft_id = create_draft(csr, channel_USD, user=customer_user)

    answer = csr_client.post(START, {"draft": draft_id}).data["takeoverStart"]

    if blocked:
        assert [e["code"] for e in answer["errors"]] == ["INVALID"]
        assert not TakeoverSession.objects.exists()
    else:
        assert answer["errors"] == []
        assert TakeoverSession.objects.get().status == "active"
