"""A product type's declared line options and a rep's values against them."""

import json

import pytest

from saleor_cart_takeover.const import MAX_LINE_METADATA_VALUE_LENGTH
from saleor_cart_takeover.errors import TakeoverErrorCode
from saleor_cart_takeover.lines.options import (
    DeclarationError,
    check_values,
    parse_declaration,
)

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
