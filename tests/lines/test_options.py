"""Configured line options: a product type declares them, reps must follow them,
and checkout enforces them when the merchant turns that on."""

import json

import pytest
from saleor.checkout.models import Checkout

from saleor_cart_takeover.const import MAX_LINE_METADATA_VALUE_LENGTH
from saleor_cart_takeover.errors import TakeoverErrorCode
from saleor_cart_takeover.lines.attribution import configuration
from saleor_cart_takeover.lines.options import (
    DeclarationError,
    check_values,
    parse_declaration,
)
from saleor_cart_takeover.models import TakeoverEvent

from ..fixtures import QueryCounter, set_config
from ..ids import gid
from ..operations import (
    ADD,
    START,
    UPDATE,
    cart_token,
    create_draft,
    line_input,
    metadata,
)
from ..storefront import Shopper

OPTIONS = [
    {
        "key": "engraving",
        "label": "Engraving",
        "type": "text",
        "required": True,
        "maxLength": 12,
    },
    {
        "key": "font",
        "label": "Font",
        "type": "choice",
        "required": False,
        "choices": ["Serif", "Script"],
    },
]

CHECKOUT_CREATE_WITH_META = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token lines { id } }
    errors { field code message }
  }
}"""

PRODUCT_TYPE_OPTIONS = """
query($id: ID!, $channel: String!) {
  product(id: $id, channel: $channel) {
    productType { metafield(key: "cart_takeover.line_options") }
  }
}"""


def declare(product_type, value) -> None:
    """What a merchant does in the Dashboard: product type → metadata."""
    product_type.store_value_in_metadata(
        {"cart_takeover.line_options": value}
        if isinstance(value, str)
        else {"cart_takeover.line_options": json.dumps(value)}
    )
    product_type.save(update_fields=["metadata"])


@pytest.fixture
def engravable(shop):
    declare(shop[0].product.product_type, OPTIONS)
    return shop


@pytest.fixture
def session(csr_client, csr, customer_user, channel_USD, engravable):
    Shopper(customer_user).create_cart(channel_USD.slug, [(engravable[2], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    return csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]


def cart_state(session):
    checkout = Checkout.objects.get(pk=cart_token(session))
    return sorted(
        (line.variant_id, line.quantity, tuple(sorted((line.metadata or {}).items())))
        for line in checkout.lines.all()
    )


def test_a_configured_line_is_stored_under_the_option_keys(
    csr_client, session, engravable
):
    result = csr_client.post(
        ADD,
        {
            "session": session["id"],
            "lines": [line_input(engravable[0], 1, engraving="For Ada", font="Script")],
        },
    ).payload("takeoverLinesAdd")["session"]

    added = next(
        line
        for line in result["cart"]["lines"]
        if line["variantId"] == gid("ProductVariant", engravable[0].pk)
    )
    assert configuration(metadata(added["metadata"])) == {
        "engraving": "For Ada",
        "font": "Script",
    }


@pytest.mark.parametrize(
    ("options", "field", "code"),
    [
        (
            {"engraving": "Ada", "colour": "red"},
            "lines.1.metadata.colour",
            "INVALID",
        ),
        ({"engraving": "x" * 13}, "lines.1.metadata.engraving", "INVALID"),
        ({"engraving": "Ada", "font": "Comic"}, "lines.1.metadata.font", "INVALID"),
        ({"font": "Serif"}, "lines.1.metadata.engraving", "REQUIRED"),
        ({"engraving": "   "}, "lines.1.metadata.engraving", "REQUIRED"),
    ],
)
def test_a_bad_line_is_refused_and_the_request_changes_nothing(
    csr_client, session, engravable, options, field, code
):
    before = cart_state(session)
    events = TakeoverEvent.objects.count()

    response = csr_client.post(
        ADD,
        {
            "session": session["id"],
            "lines": [
                line_input(engravable[0], 1, engraving="Fine"),
                line_input(engravable[1], 1, **options),
            ],
        },
    )

    errors = response.errors_of("takeoverLinesAdd")
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert errors[0]["message"]
    assert cart_state(session) == before
    assert TakeoverEvent.objects.count() == events


def test_updates_are_checked_against_the_line_as_it_will_be(
    csr_client, session, engravable
):
    line = csr_client.post(
        ADD,
        {
            "session": session["id"],
            "lines": [line_input(engravable[0], 1, engraving="For Ada")],
        },
    ).payload("takeoverLinesAdd")["session"]["cart"]["lines"][-1]
    update = lambda *meta: csr_client.post(  # noqa: E731
        UPDATE,
        {
            "session": session["id"],
            "lines": [
                {"lineId": line["id"], "metadata": [dict(m) for m in meta]},
            ],
        },
    )

    refused = update({"key": "font", "value": "Gothic"}).errors_of(
        "takeoverLinesUpdate"
    )
    assert [(e["field"], e["code"]) for e in refused] == [
        ("lines.0.metadata.font", "INVALID")
    ]
    cleared = update({"key": "engraving", "value": ""}).errors_of("takeoverLinesUpdate")
    assert [(e["field"], e["code"]) for e in cleared] == [
        ("lines.0.metadata.engraving", "REQUIRED")
    ]
    # The engraving is already on the line: choosing a font alone is enough.
    changed = update({"key": "font", "value": "Serif"}).payload("takeoverLinesUpdate")
    updated = next(
        item for item in changed["session"]["cart"]["lines"] if item["id"] == line["id"]
    )
    assert configuration(metadata(updated["metadata"])) == {
        "engraving": "For Ada",
        "font": "Serif",
    }


@pytest.mark.parametrize(
    "declaration",
    [
        "{not json",
        json.dumps({"key": "engraving"}),
        json.dumps([{"key": "font", "label": "Font", "type": "choice"}]),
        json.dumps([{"key": "a", "label": "A", "type": "colour"}]),
    ],
)
def test_a_broken_declaration_is_the_merchants_error_not_a_crash(
    csr_client, session, engravable, declaration
):
    declare(engravable[0].product.product_type, declaration)
    before = cart_state(session)

    response = csr_client.post(
        ADD,
        {"session": session["id"], "lines": [line_input(engravable[0], 1, note="x")]},
    )

    assert response.status == 200
    errors = response.errors_of("takeoverLinesAdd")
    assert [(e["field"], e["code"]) for e in errors] == [
        ("lines.0.variantId", "INVALID")
    ]
    assert "cart_takeover.line_options" in errors[0]["message"]
    assert engravable[0].product.product_type.name in errors[0]["message"]
    assert cart_state(session) == before


def test_reps_cannot_set_the_plugins_own_keys(csr_client, session, engravable):
    engravable[0].product.product_type.metadata = {}
    engravable[0].product.product_type.save(update_fields=["metadata"])

    response = csr_client.post(
        ADD,
        {
            "session": session["id"],
            "lines": [
                {
                    **line_input(engravable[0], 1),
                    "metadata": [{"key": "cart_takeover.staff", "value": "VXNlcjox"}],
                }
            ],
        },
    )

    assert response.errors_of("takeoverLinesAdd")[0]["code"] == "INVALID"


def test_storefronts_read_the_declaration_through_saleors_api(engravable, channel_USD):
    product = engravable[0].product
    data = Shopper().call(
        PRODUCT_TYPE_OPTIONS,
        {"id": gid("Product", product.pk), "channel": channel_USD.slug},
    )
    assert json.loads(data["product"]["productType"]["metafield"]) == OPTIONS


def _storefront_cart(shopper, channel, variant, shipping_method, **options):
    data = shopper.call(
        CHECKOUT_CREATE_WITH_META,
        {
            "input": {
                "channel": channel.slug,
                "email": "shopper@example.com",
                "lines": [
                    {
                        "variantId": gid("ProductVariant", variant.pk),
                        "quantity": 1,
                        "metadata": [
                            {"key": k, "value": v} for k, v in options.items()
                        ],
                    }
                ],
            }
        },
    )["checkoutCreate"]
    assert data["errors"] == []
    cart = data["checkout"]
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    return cart


@pytest.mark.parametrize(
    ("enforce", "options", "refused"),
    [
        (True, {"font": "Serif"}, "Engraving is required"),
        (True, {"engraving": "Ada", "font": "Comic"}, "Font must be one of"),
        (True, {"engraving": "Ada", "font": "Serif", "gift": "yes"}, None),
        (False, {"font": "Comic"}, None),
    ],
)
def test_checkout_enforces_the_declaration_when_the_merchant_turns_it_on(
    takeover_plugin, engravable, channel_USD, shipping_method, enforce, options, refused
):
    set_config(takeover_plugin, enforce_line_options=enforce)
    shopper = Shopper()
    cart = _storefront_cart(
        shopper, channel_USD, engravable[0], shipping_method, **options
    )

    result = shopper.complete(cart["id"])

    if refused:
        assert result["order"] is None
        assert [e["field"] for e in result["errors"]] == ["lines"]
        message = result["errors"][0]["message"]
        assert refused in message
        # The error names the line the shopper has to fix.
        assert message.startswith("Line 1, ")
        assert engravable[0].product.name in message
    else:
        assert result["errors"] == []
        assert result["order"] is not None


def test_enforcement_costs_checkout_no_query(
    takeover_plugin, engravable, channel_USD, shipping_method
):
    """The hook reads the product types Saleor already loaded for completion."""
    counts = {}
    for enforce in (False, True, False, True):  # the first round warms caches
        set_config(takeover_plugin, enforce_line_options=enforce)
        shopper = Shopper()
        cart = _storefront_cart(
            shopper, channel_USD, engravable[0], shipping_method, engraving="Ada"
        )
        with QueryCounter() as counter:
            result = shopper.complete(cart["id"])
        assert result["errors"] == []
        counts[enforce] = counter.count
    assert counts[True] == counts[False], counts


# A product type's declared line options and a rep's values against them. (Reads the rules directly,
# no request: these were tests/unit/test_line_options.py.)


DECLARATION = [
    {"key": "engraving", "label": "Engraving", "type": "text", "maxLength": 10},
    {
        "key": "colour",
        "label": "Colour",
        "type": "choice",
        "required": True,
        "choices": ["red", "blue"],
    },
]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "not valid JSON"),
        ({"key": "a"}, "JSON list"),
        ([{"key": "a", "label": "A", "type": "date"}], "'type'"),
        ([{"key": "a", "label": "A", "type": "choice"}], "'choices'"),
        (
            [
                {"key": "a", "label": "A", "type": "text"},
                {"key": "a", "label": "B", "type": "text"},
            ],
            "declared twice",
        ),
        ([{"key": "cart_takeover.x", "label": "X", "type": "text"}], "plugin's own"),
    ],
)
def test_a_broken_declaration_says_why(raw, reason):
    with pytest.raises(DeclarationError, match=reason):
        parse_declaration(raw)


def test_a_declaration_reads_from_its_json_text():
    options = parse_declaration(json.dumps(DECLARATION))
    assert [(o.key, o.required, o.limit) for o in options] == [
        ("engraving", False, 10),
        ("colour", True, MAX_LINE_METADATA_VALUE_LENGTH),
    ]
    assert options[1].choices == ("red", "blue")


def test_values_are_checked_against_their_options():
    options = parse_declaration(DECLARATION)
    details = check_values(
        options,
        {"engraving": "far too long text", "colour": "green", "size": "M"},
        {"engraving": "far too long text", "colour": "green", "size": "M"},
        "lines.0.metadata",
    )
    assert [(d.field, d.code) for d in details] == [
        ("lines.0.metadata.engraving", TakeoverErrorCode.INVALID),
        ("lines.0.metadata.colour", TakeoverErrorCode.INVALID),
        ("lines.0.metadata.size", TakeoverErrorCode.INVALID),
    ]


def test_a_required_option_may_be_kept_from_the_line_but_not_dropped():
    options = parse_declaration(DECLARATION)
    kept = check_values(options, {"engraving": "Ada"}, {"colour": "red"}, "m")
    dropped = check_values(options, {"colour": ""}, {"colour": ""}, "m")
    assert kept == []
    assert [(d.field, d.code) for d in dropped] == [
        ("m.colour", TakeoverErrorCode.REQUIRED)
    ]
