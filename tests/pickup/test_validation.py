"""The rules a pickup contacts document follows, however it was written."""

import json

import pytest

from saleor_cart_takeover.errors import TakeoverError, TakeoverErrorCode
from saleor_cart_takeover.pickup.validation import clean_contacts, parse_document

ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}
GRACE = {
    "firstName": "Grace",
    "lastName": "Hopper",
    "email": "grace@example.com",
    "phone": "+48713988102",
}


def fields_of(error: TakeoverError) -> list[str | None]:
    return [detail.field for detail in error.details]


def test_two_different_people_are_accepted():
    contacts = clean_contacts(ADA, GRACE, "PL")
    assert contacts.as_document() == {"primary": ADA, "alternate": GRACE}


@pytest.mark.parametrize(
    "alternate_name",
    [("Ada", "Lovelace"), ("  ADA ", "lovelace"), ("Ａｄａ", "Lovelace")],
)
def test_the_alternate_must_be_someone_else_however_it_is_spelled(alternate_name):
    first, last = alternate_name
    alternate = {**GRACE, "firstName": first, "lastName": last}
    with pytest.raises(TakeoverError) as caught:
        clean_contacts(ADA, alternate, "PL")
    assert fields_of(caught.value) == ["alternate"]


def test_hidden_characters_and_a_bad_email_are_named_by_field():
    primary = {**ADA, "firstName": "A\u200bda", "email": "not-an-email"}
    with pytest.raises(TakeoverError) as caught:
        clean_contacts(primary, None, "PL")
    assert set(fields_of(caught.value)) == {"primary.firstName", "primary.email"}
    assert {d.code for d in caught.value.details} == {TakeoverErrorCode.INVALID}


@pytest.mark.parametrize(
    "raw", ["[1, 2]", "{not json", json.dumps({"primary": ADA, "third": ADA})]
)
def test_a_document_that_is_not_a_contacts_object_is_refused(raw):
    with pytest.raises(TakeoverError) as caught:
        parse_document(raw)
    assert [d.code for d in caught.value.details] == [TakeoverErrorCode.INVALID]


def test_no_document_means_no_contacts():
    assert parse_document(None) is None
    assert parse_document("") is None
