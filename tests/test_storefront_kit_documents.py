"""The storefront kit's GraphQL documents, sent as the kit sends them.

The kit's documents are generated (scripts/codegen) from the operations in
saleor_cart_takeover/graphql/operations/, which these tests load too. Here
they go to the real endpoints — the plugin's for the two mutations, Saleor's for the checkout
fields the kit's components read — and the answers are what the kit expects.
"""

import json
from pathlib import Path

import pytest

from saleor_cart_takeover.const import (
    CHECKOUT_TAKEN_OVER_KEY,
    CONSENT_REQUESTED_KEY,
    LINE_OPTIONS_KEY,
    LINE_SOURCE_CUSTOMER_SERVICE,
    LINE_SOURCE_KEY,
    PICKUP_CONTACTS_KEY,
)

from .builders import create_draft, line_input, metadata
from .clients import SaleorClient, TakeoverClient
from .fixtures import set_config
from .ids import gid
from .operations import ADD, END, START, operation
from .storefront import Shopper

SHARED = Path(__file__).resolve().parent.parent / "storefront_kit" / "test" / "shared"
PICKUP_CONTACTS_UPDATE = operation("plugin/PickupContactsUpdate")
TAKEOVER_CONSENT_ANSWER = operation("plugin/TakeoverConsentAnswer")
CHECKOUT_TAKEOVER = operation("storefront/CheckoutTakeover")
CONTACT_CASES = {
    case["name"]: case
    for case in json.loads((SHARED / "pickup-contacts.json").read_text())["contacts"]
}
DECLARATION = json.dumps(
    [{"key": "engraving", "label": "Engraving text", "type": "text", "maxLength": 30}]
)


def checkout_as_the_kit_reads_it(checkout_id: str, token: str | None = None) -> dict:
    client = SaleorClient()
    client.token = token
    return client.call(CHECKOUT_TAKEOVER, {"id": checkout_id})["checkout"]


def with_phone(contact: dict | None) -> dict | None:
    # The table leaves out a phone nobody gave; the API answers null.
    return None if contact is None else {"phone": None, **contact}


def test_pickup_contacts_saved_with_the_kits_mutation(
    takeover_plugin, shop, pickup_store, channel_USD
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    shopper.prepare_delivery(cart["id"], gid("Warehouse", pickup_store.pk))
    anonymous = TakeoverClient()  # the checkout id is the credential

    bad = CONTACT_CASES["bad emails"]
    refused = anonymous.post(
        PICKUP_CONTACTS_UPDATE,
        {
            "checkoutId": cart["id"],
            "primary": bad["primary"],
            "alternate": bad["alternate"],
        },
    ).data["pickupContactsUpdate"]
    # The errors the kit's table (and so the kit's form) shows for the same input.
    assert refused == {"pickupContacts": None, "errors": bad["errors"]}
    stored = metadata(checkout_as_the_kit_reads_it(cart["id"])["metadata"])
    assert PICKUP_CONTACTS_KEY not in stored

    good = CONTACT_CASES["both, phone normalised"]
    saved = anonymous.post(
        PICKUP_CONTACTS_UPDATE,
        {
            "checkoutId": cart["id"],
            "primary": good["primary"],
            "alternate": good["alternate"],
        },
    ).payload("pickupContactsUpdate")
    assert saved["pickupContacts"] == {
        "primary": with_phone(good["contacts"]["primary"]),
        "alternate": with_phone(good["contacts"]["alternate"]),
        "isDefault": False,
    }

    checkout = checkout_as_the_kit_reads_it(cart["id"])
    assert checkout["id"] == cart["id"]
    assert checkout["token"] == cart["token"]
    assert checkout["user"] is None
    stored = json.loads(metadata(checkout["metadata"])[PICKUP_CONTACTS_KEY])
    assert stored == good["contacts"]


@pytest.fixture
def consent_required(takeover_plugin):
    set_config(takeover_plugin, require_shopper_consent=True)


def test_a_takeover_as_the_kits_components_see_it(
    consent_required, csr, csr_client, customer_user, channel_USD, shop
):
    product_type = shop[1].product.product_type
    product_type.store_value_in_metadata({LINE_OPTIONS_KEY: DECLARATION})
    product_type.save(update_fields=["metadata"])
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]

    # ConsentPrompt: the request is in the metadata the fragment reads.
    checkout = checkout_as_the_kit_reads_it(cart["id"], shopper.api.token)
    assert checkout["user"]["email"] == customer_user.email
    assert metadata(checkout["metadata"]) == {CONSENT_REQUESTED_KEY: session["id"]}

    # Allow, with the kit's mutation and the shopper's own token.
    variables = {"checkoutId": cart["id"], "sessionId": session["id"], "accept": True}
    anonymous = TakeoverClient().post(TAKEOVER_CONSENT_ANSWER, variables)
    assert anonymous.status == 200
    # ConsentPrompt asks the shopper to sign in on this code.
    assert anonymous.body["errors"][0]["extensions"]["exception"]["code"] == (
        "Unauthenticated"
    )
    answered = (
        TakeoverClient(token=shopper.api.token)
        .post(TAKEOVER_CONSENT_ANSWER, variables)
        .payload("takeoverConsentAnswer")
    )
    assert answered["status"] == "ACTIVE"
    assert answered["expiresAt"]

    # TakeoverBanner: the flag; CustomerServiceBadge and LineOptionsInputs: the rep's line.
    csr_client.post(
        ADD,
        {"session": session["id"], "lines": [line_input(shop[1], 2, engraving="Ada")]},
    ).payload("takeoverLinesAdd")
    checkout = checkout_as_the_kit_reads_it(cart["id"], shopper.api.token)
    assert metadata(checkout["metadata"]) == {CHECKOUT_TAKEN_OVER_KEY: "true"}
    added = checkout["lines"][-1]
    assert metadata(added["metadata"]) == {
        LINE_SOURCE_KEY: LINE_SOURCE_CUSTOMER_SERVICE,
        "engraving": "Ada",
    }
    assert added["variant"]["product"]["productType"]["lineOptions"] == DECLARATION
    assert metadata(checkout["lines"][0]["metadata"]) == {}

    # The hold ends: the flag the banner polls for is gone.
    csr_client.post(END, {"session": session["id"]}).payload("takeoverEnd")
    checkout = checkout_as_the_kit_reads_it(cart["id"], shopper.api.token)
    assert metadata(checkout["metadata"]) == {}
