"""The storefront kit's shared cases hold what the server says.

storefront_kit/test/shared/*.json are tables of inputs and the server's answers:
cart codes, pickup contacts (fields, codes, messages, cleaned values) and line
options. The kit's Vitest suite runs the same tables against its TypeScript
copies of these rules, so a rule changed on one side only fails one of the two.
"""

import base64
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saleor_cart_takeover.const import PICKUP_CONTACTS_KEY
from saleor_cart_takeover.errors import TakeoverError
from saleor_cart_takeover.lines import options as line_options
from saleor_cart_takeover.pickup.validation import (
    PickupContacts,
    clean_contacts,
    parse_document,
)
from saleor_cart_takeover.takeover.carts import cart_code, normalize_code

SHARED = Path(__file__).resolve().parent.parent / "storefront_kit" / "test" / "shared"
CODES = json.loads((SHARED / "cart-codes.json").read_text())["cases"]
CONTACTS = json.loads((SHARED / "pickup-contacts.json").read_text())
OPTIONS = json.loads((SHARED / "line-options.json").read_text())


def _errors(error: TakeoverError) -> list[dict[str, Any]]:
    return [
        {"field": d.field, "code": d.code.name, "message": d.message}
        for d in error.details
    ]


def _outcome(call: Callable[[], Any]) -> tuple[Any, list[dict[str, Any]]]:
    try:
        return call(), []
    except TakeoverError as error:
        return None, _errors(error)


def _document(contacts: PickupContacts | None) -> dict[str, Any] | None:
    if contacts is None:
        return None
    return {
        "primary": contacts.primary.as_document() if contacts.primary else None,
        "alternate": contacts.alternate.as_document() if contacts.alternate else None,
    }


@pytest.mark.parametrize("case", CODES, ids=[case["token"] for case in CODES])
def test_cart_codes_are_the_servers(case):
    assert cart_code(uuid.UUID(case["token"])) == case["code"]
    assert cart_code(case["token"]) == case["code"]
    # The global id the kit also accepts names the same checkout.
    decoded = base64.b64decode(case["globalId"]).decode()
    assert decoded == f"Checkout:{case['token']}"
    # cartByCode finds the cart by the code as shown.
    assert normalize_code(case["code"]) == case["code"].replace("-", "")


@pytest.mark.parametrize(
    "case", CONTACTS["contacts"], ids=[case["name"] for case in CONTACTS["contacts"]]
)
def test_pickup_contact_cases_are_the_servers(case):
    cleaned, errors = _outcome(
        lambda: clean_contacts(case["primary"], case["alternate"], case["country"])
    )
    assert errors == case["errors"]
    if not errors:
        assert _document(cleaned) == case["contacts"]


@pytest.mark.parametrize(
    "case", CONTACTS["documents"], ids=[case["name"] for case in CONTACTS["documents"]]
)
def test_pickup_contact_documents_are_the_servers(case):
    parsed, errors = _outcome(lambda: parse_document(case["raw"]))
    assert errors == case["errors"]
    if not errors:
        assert _document(parsed) == case["contacts"]


def test_the_tables_cover_every_rule():
    errors = [
        error
        for case in CONTACTS["contacts"] + CONTACTS["documents"]
        for error in case["errors"]
    ]
    codes = {(error["field"].split(".")[-1], error["code"]) for error in errors}
    for field in ("firstName", "lastName", "email"):
        assert (field, "REQUIRED") in codes
        assert (field, "INVALID") in codes
    assert ("phone", "INVALID") in codes
    assert ("alternate", "INVALID") in codes
    assert {"field": PICKUP_CONTACTS_KEY, "code": "INVALID"}.items() <= next(
        error for error in errors if error["field"] == PICKUP_CONTACTS_KEY
    ).items()


@pytest.mark.parametrize(
    "case", OPTIONS["declarations"], ids=[c["name"] for c in OPTIONS["declarations"]]
)
def test_line_option_declarations_are_the_servers(case):
    raw = case["raw"]
    error = None
    options = None
    try:
        options = line_options.parse_declaration(raw) if raw and raw.strip() else None
    except line_options.DeclarationError as exc:
        error = str(exc)
    assert error == case["error"]
    if error is None:
        assert case["options"] == (
            None
            if options is None
            else [
                {
                    "key": o.key,
                    "label": o.label,
                    "type": o.type,
                    "required": o.required,
                    "maxLength": o.max_length,
                    "choices": list(o.choices),
                }
                for o in options
            ]
        )


@pytest.mark.parametrize(
    "case", OPTIONS["values"], ids=[c["name"] for c in OPTIONS["values"]]
)
def test_line_option_values_are_the_servers(case):
    options = line_options.parse_declaration(
        "[" + ", ".join(OPTIONS["declaration"]) + "]"
    )
    given = case["given"]
    resulting = case["resulting"] if case["resulting"] is not None else given
    details = line_options.check_values(options, given, resulting, "lines.0.metadata")
    assert [
        {"field": d.field, "code": d.code.name, "message": d.message} for d in details
    ] == case["errors"]
