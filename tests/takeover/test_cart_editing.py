"""The CSR edits the cart through Saleor's own checkout services and checks."""

import pytest
from saleor.checkout.models import Checkout
from saleor.warehouse.models import Stock
from saleor.webhook.event_types import WebhookEventAsyncType

from saleor_cart_takeover.lines.attribution import configuration
from saleor_cart_takeover.models import TakeoverEvent

from ..builders import create_draft, line_input, metadata
from ..ids import gid
from ..operations import ADD, DELETE, START, UPDATE, cart_token
from ..storefront import Shopper
from ..webhooks import subscribe


@pytest.fixture
def session(csr_client, csr, customer_user, channel_USD, shop):
    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    return csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]


def cart_state(session):
    """Variant, quantity and configuration of each line (attribution aside:
    tests/test_attribution.py covers it)."""
    checkout = Checkout.objects.get(pk=cart_token(session))
    return sorted(
        (
            line.variant_id,
            line.quantity,
            tuple(sorted(configuration(line.metadata).items())),
        )
        for line in checkout.lines.all()
    )


def test_same_configuration_adds_up_other_configuration_gets_its_own_line(
    csr_client, session, shop
):
    add = lambda *lines: csr_client.post(  # noqa: E731
        ADD, {"session": session["id"], "lines": list(lines)}
    ).payload("takeoverLinesAdd")["session"]

    add(line_input(shop[1], 1, engraving="Ada"))
    add(line_input(shop[1], 2, engraving="Ada"), line_input(shop[1], 1, engraving="Bo"))
    result = add(line_input(shop[0], 1))

    assert cart_state(session) == sorted(
        [
            (shop[0].pk, 2, ()),
            (shop[1].pk, 3, (("engraving", "Ada"),)),
            (shop[1].pk, 1, (("engraving", "Bo"),)),
        ]
    )
    assert len(result["cart"]["lines"]) == 3


CHECKOUT_UPDATED = """
subscription {
  event {
    ... on CheckoutUpdated {
      checkout { id lines { quantity variant { id } metadata { key value } } }
    }
  }
}"""


def test_changes_and_removals_fire_saleors_checkout_updated(
    csr_client, session, shop, receiver
):
    """Another app subscribed to CHECKOUT_UPDATED receives each edit, with the
    payload Saleor builds for the shopper's own edits."""
    subscribe(receiver, CHECKOUT_UPDATED, WebhookEventAsyncType.CHECKOUT_UPDATED)
    line = session["cart"]["lines"][0]
    # Saleor's payload names the checkout; the plugin's Cart id is opaque.
    cart_id = gid("Checkout", cart_token(session))

    updated = csr_client.post(
        UPDATE,
        {
            "session": session["id"],
            "lines": [
                {
                    "lineId": line["id"],
                    "quantity": 4,
                    "metadata": [{"key": "gift", "value": "yes"}],
                }
            ],
        },
    ).payload("takeoverLinesUpdate")["session"]
    assert updated["cart"]["lines"][0]["quantity"] == 4
    assert configuration(metadata(updated["cart"]["lines"][0]["metadata"])) == {
        "gift": "yes"
    }
    assert receiver.of("checkout_updated") == [
        {
            "checkout": {
                "id": cart_id,
                "lines": [
                    {
                        "quantity": 4,
                        "variant": {"id": gid("ProductVariant", shop[0].pk)},
                        # The rep's change is attributed (test_attribution.py).
                        "metadata": [
                            {
                                "key": "cart_takeover.source",
                                "value": "customer_service",
                            },
                            {"key": "gift", "value": "yes"},
                        ],
                    }
                ],
            }
        }
    ]

    removed = csr_client.post(
        DELETE, {"session": session["id"], "ids": [line["id"]]}
    ).payload("takeoverLinesDelete")["session"]
    assert removed["cart"]["lines"] == []
    assert receiver.of("checkout_updated")[1:] == [
        {"checkout": {"id": cart_id, "lines": []}}
    ]


def test_quantity_zero_removes_the_line(csr_client, session):
    line = session["cart"]["lines"][0]
    result = csr_client.post(
        UPDATE,
        {"session": session["id"], "lines": [{"lineId": line["id"], "quantity": 0}]},
    ).payload("takeoverLinesUpdate")
    assert result["session"]["cart"]["lines"] == []


def test_stock_is_checked_the_way_saleor_checks_it(csr_client, session, shop):
    Stock.objects.filter(product_variant=shop[2]).update(quantity=3)
    before = cart_state(session)

    response = csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[2], 5)]}
    )

    assert response.errors_of("takeoverLinesAdd") == [
        {
            "field": "lines.0.quantity",
            "code": "INSUFFICIENT_STOCK",
            "message": "Could not add items L. Only 3 remaining in stock.",
        }
    ]
    assert cart_state(session) == before


def test_unavailable_variants_are_refused(csr_client, session, shop, channel_USD):
    shop[2].channel_listings.all().delete()
    before = cart_state(session)

    response = csr_client.post(
        ADD,
        {
            "session": session["id"],
            "lines": [line_input(shop[0], 1), line_input(shop[2], 1)],
        },
    )

    errors = response.errors_of("takeoverLinesAdd")
    assert [e["code"] for e in errors] == ["NOT_AVAILABLE"]
    assert errors[0]["field"] == "lines.1"
    assert cart_state(session) == before


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        ({"quantity": 0}, "lines.0.quantity", "INVALID"),
        ({"quantity": -3}, "lines.0.quantity", "INVALID"),
        ({"quantity": 10_001}, "lines.0.quantity", "INVALID"),
        ({"variantId": "UHJvZHVjdDox"}, "lines.0.variantId", "INVALID"),
        (
            {"variantId": gid("ProductVariant", 987654)},
            "lines.0.variantId",
            "NOT_FOUND",
        ),
        ({"metadata": [{"key": " ", "value": "x"}]}, "lines.0.metadata", "INVALID"),
        (
            {"metadata": [{"key": "note", "value": "x" * 2001}]},
            "lines.0.metadata",
            "INVALID",
        ),
        (
            {"metadata": [{"key": "a\x00b", "value": "x"}]},
            "lines.0.metadata",
            "INVALID",
        ),
        (
            {"metadata": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]},
            "lines.0.metadata",
            "DUPLICATED_INPUT",
        ),
    ],
)
def test_bad_lines_get_a_field_error_and_change_nothing(
    csr_client, session, shop, line, field, code
):
    before = cart_state(session)
    events = TakeoverEvent.objects.count()

    response = csr_client.post(
        ADD, {"session": session["id"], "lines": [{**line_input(shop[0], 1), **line}]}
    )

    errors = response.errors_of("takeoverLinesAdd")
    assert (errors[0]["field"], errors[0]["code"]) == (field, code)
    assert errors[0]["message"]
    assert cart_state(session) == before
    assert TakeoverEvent.objects.count() == events


def test_lines_of_another_cart_cannot_be_touched(
    csr_client, session, channel_USD, shop
):
    stranger = Shopper().create_cart(
        channel_USD.slug, [(shop[0], 1)], email="s@example.com"
    )
    foreign_line = stranger["lines"][0]["id"]

    update = csr_client.post(
        UPDATE,
        {"session": session["id"], "lines": [{"lineId": foreign_line, "quantity": 9}]},
    )
    delete = csr_client.post(DELETE, {"session": session["id"], "ids": [foreign_line]})

    assert update.errors_of("takeoverLinesUpdate")[0]["code"] == "NOT_FOUND"
    assert delete.errors_of("takeoverLinesDelete")[0]["code"] == "NOT_FOUND"
    assert Checkout.objects.get(pk=stranger["token"]).lines.get().quantity == 1


def test_only_the_holder_edits_the_cart(other_csr_client, session, shop):
    response = other_csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[0], 1)]}
    )

    assert response.errors_of("takeoverLinesAdd")[0]["code"] == "ALREADY_TAKEN_OVER"
