"""BOPIS pickup contacts, through Saleor's real storefront path and the plugin's API."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from saleor.checkout.models import Checkout
from saleor.order.models import Order

from saleor_cart_takeover.const import PICKUP_CONTACTS_KEY
from saleor_cart_takeover.models import TakeoverSession
from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import create_draft, metadata
from ..clients import TakeoverClient
from ..fixtures import set_config
from ..ids import gid, pk_of
from ..operations import COPY, ORDER_PICKUP, PICKUP_CONTACTS_UPDATE, START, operation
from ..storefront import Shopper

ANN = {
    "firstName": "Ann",
    "lastName": "Lee",
    "email": "ann@example.com",
    "phone": "+1 415 555 0100",
}
BO = {"firstName": "Bo", "lastName": "Lee", "email": "bo@example.com"}


@pytest.fixture
def pickup_cart(takeover_plugin, shop, pickup_store, channel_USD):
    """A shopper's click-and-collect cart, ready to complete apart from contacts."""
    shopper = Shopper()
    cart = shopper.create_cart(
        channel_USD.slug, [(shop[0], 1)], email="ann@example.com"
    )
    shopper.prepare_delivery(cart["id"], gid("Warehouse", pickup_store.pk))
    return shopper, cart


def contacts_update(checkout_id, primary=None, alternate=None, client=None):
    client = client or TakeoverClient()  # no token: whoever holds the checkout id
    return client.post(
        PICKUP_CONTACTS_UPDATE,
        {"checkoutId": checkout_id, "primary": primary, "alternate": alternate},
    )


def stored(shopper, cart):
    return metadata(shopper.cart(cart["id"])["metadata"]).get(PICKUP_CONTACTS_KEY)


def test_contacts_written_with_updatemetadata_reach_the_order(pickup_cart, csr):
    shopper, cart = pickup_cart
    document = json.dumps({"primary": ANN, "alternate": BO})
    assert (
        shopper.set_metadata(cart["id"], PICKUP_CONTACTS_KEY, document)["errors"] == []
    )

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    order = Order.objects.get(pk=pk_of(placed["order"]["id"]))
    assert order.collection_point is not None
    contacts = (
        TakeoverClient(csr)
        .post(ORDER_PICKUP, {"order": placed["order"]["id"]})
        .data["orderPickupContacts"]
    )
    assert contacts["primary"] == {**ANN, "phone": "+14155550100"}
    assert contacts["alternate"] == {**BO, "phone": None}
    assert contacts["isDefault"] is False


def test_pickupcontactsupdate_needs_no_token_and_normalises(pickup_cart):
    shopper, cart = pickup_cart

    result = contacts_update(cart["id"], ANN, BO).payload("pickupContactsUpdate")

    assert result["pickupContacts"]["primary"]["phone"] == "+14155550100"
    assert json.loads(stored(shopper, cart)) == {
        "primary": {**ANN, "phone": "+14155550100"},
        "alternate": BO,
    }
    # Giving no alternate removes it.
    contacts_update(cart["id"], ANN).payload("pickupContactsUpdate")
    assert "alternate" not in json.loads(stored(shopper, cart))


def test_incomplete_alternate_blocks_checkout(pickup_cart):
    shopper, cart = pickup_cart
    shopper.set_metadata(
        cart["id"],
        PICKUP_CONTACTS_KEY,
        json.dumps({"primary": ANN, "alternate": {"firstName": "Bo"}}),
    )

    refused = shopper.complete(cart["id"])

    assert refused["order"] is None
    fields = {e["field"]: e["message"] for e in refused["errors"]}
    assert set(fields) == {"alternate.lastName", "alternate.email"}
    assert "Pickup contacts: Enter the alternate contact's email." in fields.values()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "document", ["{not json", "[1, 2]", '{"primary": "Ann"}', '{"boss": {}}']
)
def test_malformed_documents_block_checkout(pickup_cart, document):
    shopper, cart = pickup_cart
    shopper.set_metadata(cart["id"], PICKUP_CONTACTS_KEY, document)

    refused = shopper.complete(cart["id"])

    assert refused["order"] is None
    assert refused["errors"][0]["code"] == "INVALID"
    assert refused["errors"][0]["message"].startswith("Pickup contacts:")


def test_without_contacts_the_shopper_is_the_primary_contact(pickup_cart, csr):
    shopper, cart = pickup_cart

    placed = shopper.complete(cart["id"])

    assert placed["errors"] == []
    contacts = (
        TakeoverClient(csr)
        .post(ORDER_PICKUP, {"order": placed["order"]["id"]})
        .data["orderPickupContacts"]
    )
    assert contacts["isDefault"] is True
    assert contacts["primary"]["firstName"] == "Wade"
    assert contacts["primary"]["email"] == "ann@example.com"


def test_checkouts_without_a_pickup_point_are_never_blocked(
    takeover_plugin, shop, shipping_method, channel_USD
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="x@example.com")
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    shopper.set_metadata(cart["id"], PICKUP_CONTACTS_KEY, "{not json")

    assert shopper.complete(cart["id"])["errors"] == []


@pytest.mark.parametrize(
    ("primary", "alternate", "field", "code"),
    [
        ({**ANN, "firstName": "  "}, None, "primary.firstName", "REQUIRED"),
        ({**ANN, "lastName": "L" * 257}, None, "primary.lastName", "INVALID"),
        ({**ANN, "firstName": "An\u0007n"}, None, "primary.firstName", "INVALID"),
        ({**ANN, "email": "ann@"}, None, "primary.email", "INVALID"),
        ({**ANN, "phone": "12"}, None, "primary.phone", "INVALID"),
        (ANN, {**BO, "email": "not-an-email"}, "alternate.email", "INVALID"),
        (ANN, {**ANN, "email": "other@example.com"}, "alternate", "INVALID"),
        (ANN, {**BO, "firstName": " ann ", "lastName": "LEE"}, "alternate", "INVALID"),
    ],
)
def test_every_rule_names_the_field_and_stores_nothing(
    pickup_cart, primary, alternate, field, code
):
    shopper, cart = pickup_cart

    errors = contacts_update(cart["id"], primary, alternate).errors_of(
        "pickupContactsUpdate"
    )

    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert errors[0]["message"]
    assert stored(shopper, cart) is None


def test_contacts_are_data_stored_verbatim_and_kept_out_of_logs(pickup_cart, caplog):
    shopper, cart = pickup_cart
    markup = {**ANN, "firstName": "<b>Ann</b>", "lastName": "O'Hara & Sons"}

    with caplog.at_level(logging.DEBUG):
        result = contacts_update(cart["id"], markup).payload("pickupContactsUpdate")
        contacts_update(cart["id"], {**ANN, "email": "secret@"})

    assert result["pickupContacts"]["primary"]["firstName"] == "<b>Ann</b>"
    assert json.loads(stored(shopper, cart))["primary"]["lastName"] == "O'Hara & Sons"
    assert "ann@example.com" not in caplog.text
    assert "secret@" not in caplog.text


def test_csr_edits_contacts_during_a_takeover_and_the_copy_carries_them(
    pickup_cart, csr_client, csr, channel_USD, pickup_store
):
    shopper, cart = pickup_cart
    draft_id = create_draft(csr, channel_USD, email="ann@example.com")
    session = csr_client.post(
        START, {"draft": draft_id, "checkout": cart["id"]}
    ).payload("takeoverStart")["session"]

    TakeoverSession.objects.update(expires_at=timezone.now() + timedelta(minutes=1))
    contacts_update(cart["id"], ANN, BO, client=csr_client).payload(
        "pickupContactsUpdate"
    )
    # The rep's change counts as activity: the idle timeout starts again.
    expires_at = TakeoverSession.objects.get().expires_at
    assert expires_at is not None
    assert expires_at > timezone.now() + timedelta(minutes=5)
    csr_client.post(COPY, {"session": session["id"]}).payload("takeoverCopyToDraft")

    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.collection_point == pickup_store
    assert draft.collection_point_name == "Downtown store"
    assert (
        json.loads(draft.metadata[PICKUP_CONTACTS_KEY])["alternate"]["email"]
        == "bo@example.com"
    )
    history = [e.type for e in draft.events.all()]
    assert history.count("note_added") >= 2
    shown = csr_client.post(
        "query($id: ID!) { takeoverSession(id: $id) { cart { pickupPoint pickupContacts { primary { email } } } } }",
        {"id": session["id"]},
    ).data["takeoverSession"]["cart"]
    assert shown == {
        "pickupPoint": "Downtown store",
        "pickupContacts": {"primary": {"email": "ann@example.com"}},
    }


def test_a_second_cart_copied_into_the_draft_keeps_the_first_carts_contacts(
    pickup_cart, csr_client, csr, channel_USD, shop
):
    shopper, cart = pickup_cart
    contacts_update(cart["id"], ANN, BO).payload("pickupContactsUpdate")
    draft_id = create_draft(csr, channel_USD, email="ann@example.com")
    for checkout_id in (
        cart["id"],
        # Another cart of the same shopper, without contacts.
        Shopper().create_cart(
            channel_USD.slug, [(shop[1], 1)], email="ann@example.com"
        )["id"],
    ):
        session = csr_client.post(
            START, {"draft": draft_id, "checkout": checkout_id}
        ).payload("takeoverStart")["session"]
        csr_client.post(COPY, {"session": session["id"], "handBack": True}).payload(
            "takeoverCopyToDraft"
        )

    draft = Order.objects.get(pk=pk_of(draft_id))
    assert draft.lines.count() == 2
    contacts = json.loads(draft.metadata[PICKUP_CONTACTS_KEY])
    assert (contacts["primary"]["email"], contacts["alternate"]["email"]) == (
        "ann@example.com",
        "bo@example.com",
    )


ORDER_FROM_CHECKOUT = """
mutation($id: ID!) {
  orderCreateFromCheckout(id: $id) { order { id } errors { field code message } }
}"""


def test_apps_creating_orders_from_checkouts_meet_the_same_rules(
    pickup_cart, app_api_client, permission_handle_checkouts
):
    shopper, cart = pickup_cart
    app_api_client.app.permissions.add(permission_handle_checkouts)
    shopper.set_metadata(
        cart["id"], PICKUP_CONTACTS_KEY, json.dumps({"primary": ANN, "alternate": {}})
    )

    refused = app_api_client.post_graphql(
        ORDER_FROM_CHECKOUT, {"id": cart["id"]}
    ).json()

    result = refused["data"]["orderCreateFromCheckout"]
    assert result["order"] is None
    assert {e["field"] for e in result["errors"]} >= {"alternate.firstName"}
    assert {e["code"] for e in result["errors"]} == {"GRAPHQL_ERROR"}
    assert not Order.objects.exists()


CART_BY_CODE = operation("plugin/CartByCode")
HISTORY = "query($id: ID!) { takeoverSession(id: $id) { history { type userEmail } } }"


def test_through_a_cart_id_only_the_active_holder_changes_contacts(
    pickup_cart,
    csr_client,
    csr,
    other_csr_client,
    channel_USD,
    takeover_plugin,
    customer_user,
):
    """Regression: with a Cart id the contacts were written straight through
    when the rep held no active session: no session, a colleague's, or one
    still waiting for the shopper's consent. Nothing went into the history."""
    shopper, cart = pickup_cart
    cart_id = csr_client.post(CART_BY_CODE, {"code": cart_code(cart["token"])}).data[
        "cartByCode"
    ]["id"]

    def refused(client, code):
        errors = contacts_update(cart_id, ANN, BO, client=client).errors_of(
            "pickupContactsUpdate"
        )
        assert [(e["field"], e["code"]) for e in errors] == [("checkoutId", code)]
        assert stored(shopper, cart) is None

    refused(csr_client, "SESSION_NOT_ACTIVE")  # nobody holds the cart

    # The shopper signs in; the cart is theirs, and a takeover asks them first.
    set_config(takeover_plugin, require_shopper_consent=True)
    shopper = Shopper(customer_user)
    attached = shopper.call(
        "mutation($id: ID!) { checkoutCustomerAttach(id: $id) { errors { code } } }",
        {"id": cart["id"]},
    )["checkoutCustomerAttach"]
    assert attached["errors"] == []
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    pending = csr_client.post(START, {"draft": draft_id, "checkout": cart_id}).payload(
        "takeoverStart"
    )["session"]
    assert pending["status"] == "PENDING"
    refused(csr_client, "SESSION_NOT_ACTIVE")  # the shopper has not agreed yet
    answered = shopper.answer_consent(cart["id"], pending["id"], True)
    assert answered.data["takeoverConsentAnswer"]["status"] == "ACTIVE"

    refused(other_csr_client, "ALREADY_TAKEN_OVER")  # a colleague's cart

    contacts_update(cart_id, ANN, BO, client=csr_client).payload("pickupContactsUpdate")
    assert json.loads(stored(shopper, cart))["alternate"] == BO
    history = csr_client.post(HISTORY, {"id": pending["id"]}).data["takeoverSession"]
    assert history["history"][-1] == {
        "type": "pickup_contacts_updated",
        "userEmail": csr.email,
    }


COMPLETE_WITH_METADATA = """
mutation($id: ID!, $metadata: [MetadataInput!]) {
  checkoutComplete(id: $id, metadata: $metadata) {
    order { id metadata { key value } }
    errors { field code message }
  }
}"""


def test_contacts_given_to_checkoutcomplete_meet_the_same_rules(pickup_cart):
    """Regression: Saleor merges `checkoutComplete(metadata:)` into the order
    after the plugin's check, so an incomplete alternate reached the order."""
    shopper, cart = pickup_cart
    incomplete = json.dumps({"primary": ANN, "alternate": {"firstName": "Bo"}})

    refused = shopper.call(
        COMPLETE_WITH_METADATA,
        {
            "id": cart["id"],
            "metadata": [{"key": PICKUP_CONTACTS_KEY, "value": incomplete}],
        },
    )["checkoutComplete"]

    # The same errors as for contacts stored on the checkout.
    assert refused["order"] is None
    fields = {e["field"]: e["message"] for e in refused["errors"]}
    assert set(fields) == {"alternate.lastName", "alternate.email"}
    assert "Pickup contacts: Enter the alternate contact's email." in fields.values()
    assert {e["code"] for e in refused["errors"]} == {"INVALID"}
    assert not Order.objects.exists()

    for malformed in ("{not json", '{"primary": "Ann"}'):
        again = shopper.call(
            COMPLETE_WITH_METADATA,
            {
                "id": cart["id"],
                "metadata": [{"key": PICKUP_CONTACTS_KEY, "value": malformed}],
            },
        )["checkoutComplete"]
        assert again["order"] is None
        assert again["errors"][0]["message"].startswith("Pickup contacts:")
    assert not Order.objects.exists()

    valid = json.dumps({"primary": ANN, "alternate": BO})
    placed = shopper.call(
        COMPLETE_WITH_METADATA,
        {"id": cart["id"], "metadata": [{"key": PICKUP_CONTACTS_KEY, "value": valid}]},
    )["checkoutComplete"]
    assert placed["errors"] == []
    assert metadata(placed["order"]["metadata"])[PICKUP_CONTACTS_KEY] == valid


ORDER_FROM_CHECKOUT_WITH_METADATA = """
mutation($id: ID!, $metadata: [MetadataInput!]) {
  orderCreateFromCheckout(id: $id, metadata: $metadata) {
    order { id } errors { field code message }
  }
}"""


def test_contacts_given_to_ordercreatefromcheckout_meet_the_same_rules(
    pickup_cart, app_api_client, permission_handle_checkouts
):
    shopper, cart = pickup_cart
    app_api_client.app.permissions.add(permission_handle_checkouts)
    given = json.dumps({"primary": ANN, "alternate": {}})

    refused = app_api_client.post_graphql(
        ORDER_FROM_CHECKOUT_WITH_METADATA,
        {"id": cart["id"], "metadata": [{"key": PICKUP_CONTACTS_KEY, "value": given}]},
    ).json()

    result = refused["data"]["orderCreateFromCheckout"]
    assert result["order"] is None
    assert {e["field"] for e in result["errors"]} >= {"alternate.firstName"}
    assert {e["code"] for e in result["errors"]} == {"GRAPHQL_ERROR"}
    assert not Order.objects.exists()


# Hardening (issue 15), item 11: contact and metadata input is cleaned.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

ANN_WITHOUT_PHONE = {"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com"}


@pytest.mark.parametrize(
    "first_name",
    [
        "An\u200bn",  # zero-width space
        "\u202eAnn",  # right-to-left override
        "Ann\u2066",  # left-to-right isolate
        "\ufeffAnn",  # byte order mark
        "A\u00adnn",  # soft hyphen
    ],
)
def test_invisible_and_bidi_characters_in_contact_names_are_refused(
    takeover_plugin, shop, channel_USD, first_name
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    twin = {**ANN_WITHOUT_PHONE, "firstName": first_name, "email": "eve@example.com"}

    answer = TakeoverClient().post(
        PICKUP_CONTACTS_UPDATE,
        {"checkoutId": cart["id"], "primary": ANN_WITHOUT_PHONE, "alternate": twin},
    )

    errors = answer.data["pickupContactsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("alternate.firstName", "INVALID")
    ]
    assert "cart_takeover.pickup_contacts" not in (
        Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata
    )


def test_pickup_contacts_cannot_be_changed_in_an_inactive_channel(
    takeover_plugin, shop, channel_USD
):
    shopper = Shopper()
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)], email="a@example.com")
    channel_USD.is_active = False
    channel_USD.save(update_fields=["is_active"])

    answer = TakeoverClient().post(
        PICKUP_CONTACTS_UPDATE, {"checkoutId": cart["id"], "primary": ANN_WITHOUT_PHONE}
    )

    errors = answer.data["pickupContactsUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("checkoutId", "CHANNEL_INACTIVE")
    ]
    assert "cart_takeover.pickup_contacts" not in (
        Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata
    )
