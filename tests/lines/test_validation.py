"""What a rep may type into a line: quantities and configuration entries."""

import uuid

import pytest

from saleor_cart_takeover.const import MAX_LINE_METADATA_ITEMS, MAX_QUANTITY
from saleor_cart_takeover.errors import TakeoverError, TakeoverErrorCode
from saleor_cart_takeover.lines.validation import (
    LineChange,
    NewLine,
    check_changes,
    check_metadata,
    check_new_lines,
)


def fields_of(error: TakeoverError) -> list[tuple[str | None, TakeoverErrorCode]]:
    return [(detail.field, detail.code) for detail in error.details]


def test_a_new_line_needs_a_quantity_within_the_limit():
    with pytest.raises(TakeoverError) as caught:
        check_new_lines(
            [NewLine(1, 0), NewLine(2, MAX_QUANTITY), NewLine(3, MAX_QUANTITY + 1)]
        )
    assert fields_of(caught.value) == [
        ("lines.0.quantity", TakeoverErrorCode.INVALID),
        ("lines.2.quantity", TakeoverErrorCode.INVALID),
    ]


def test_nothing_to_add_is_refused():
    with pytest.raises(TakeoverError) as caught:
        check_new_lines([])
    assert fields_of(caught.value) == [("lines", TakeoverErrorCode.REQUIRED)]


def test_a_change_names_each_line_once_and_changes_something():
    line = uuid.uuid4()
    with pytest.raises(TakeoverError) as caught:
        check_changes(
            [LineChange(line, quantity=0), LineChange(line), LineChange(uuid.uuid4())]
        )
    assert fields_of(caught.value) == [
        ("lines.1.lineId", TakeoverErrorCode.DUPLICATED_INPUT),
        ("lines.1", TakeoverErrorCode.REQUIRED),
        ("lines.2", TakeoverErrorCode.REQUIRED),
    ]


def test_quantity_zero_removes_a_line_and_is_a_valid_change():
    check_changes([LineChange(uuid.uuid4(), quantity=0)])


@pytest.mark.parametrize(
    "metadata",
    [
        {"cart_takeover.staff": "x"},
        {" ": "x"},
        {"engraving": "Ada\x00"},
        {f"k{i}": "v" for i in range(MAX_LINE_METADATA_ITEMS + 1)},
    ],
)
def test_configuration_breaking_a_rule_is_refused_on_its_field(metadata):
    problems = check_metadata(metadata, "lines.0.metadata")
    assert problems
    assert {(p.field, p.code) for p in problems} == {
        ("lines.0.metadata", TakeoverErrorCode.INVALID)
    }


def test_plain_configuration_passes():
    assert check_metadata({"engraving": "For Ada", "gift wrap": "yes"}, "f") == []
