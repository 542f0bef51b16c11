"""Handing a takeover to another rep (`takeoverTransfer`)."""

import json

import pytest
from saleor.account.models import Group, User
from saleor.order.models import OrderEvent

from saleor_cart_takeover.models import TakeoverEvent, TakeoverSession

from ..builders import create_draft, line_input, make_csr
from ..clients import TakeoverClient
from ..ids import pk_of
from ..operations import ADD, END, START
from ..storefront import Shopper

TRANSFER = """
mutation($session: ID!, $email: String!) {
  takeoverTransfer(sessionId: $session, staffEmail: $email) {
    session { id status startedByEmail heldByEmail
              history { type userEmail parameters } }
    errors { field code message }
  }
}"""


@pytest.fixture
def taken(csr_client, csr, customer_user, channel_USD, shop):
    """csr holds the registered shopper's cart, opened from csr's draft."""
    cart = Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    return {"session": session, "draft_id": draft_id, "cart": cart}


@pytest.fixture
def colleague(takeover_plugin, manage_orders):
    return make_csr("colleague@example.com", manage_orders)


def state() -> tuple:
    """What a refused handoff must leave as it was."""
    return (
        list(TakeoverSession.objects.values_list("held_by_id", "held_by_email")),
        TakeoverEvent.objects.count(),
        OrderEvent.objects.count(),
    )


def test_after_a_handoff_only_the_new_holder_edits_the_cart(
    taken, csr_client, csr, colleague, shop, manage_orders
):
    session_id = taken["session"]["id"]

    handed = csr_client.post(
        TRANSFER, {"session": session_id, "email": "Colleague@Example.com "}
    ).payload("takeoverTransfer")["session"]

    assert handed["status"] == "ACTIVE"
    assert handed["startedByEmail"] == csr.email
    assert handed["heldByEmail"] == colleague.email
    step = handed["history"][-1]
    assert step["type"] == "transferred"
    assert step["userEmail"] == csr.email
    assert json.loads(step["parameters"]) == {
        "from_email": csr.email,
        "to_email": colleague.email,
    }
    note = OrderEvent.objects.filter(
        order_id=pk_of(taken["draft_id"]), type="note_added"
    ).last()
    assert note.parameters["message"] == (
        f"Cart takeover handed over from {csr.email} to {colleague.email}."
    )

    # The new holder edits; the old holder now gets what any non-holder gets.
    new_client = TakeoverClient(colleague)
    added = new_client.post(
        ADD, {"session": session_id, "lines": [line_input(shop[1], 2)]}
    ).payload("takeoverLinesAdd")
    assert {line["quantity"] for line in added["session"]["cart"]["lines"]} == {1, 2}
    old = csr_client.post(
        ADD, {"session": session_id, "lines": [line_input(shop[2], 1)]}
    ).errors_of("takeoverLinesAdd")
    stranger = TakeoverClient(make_csr("third@example.com", manage_orders)).post(
        ADD, {"session": session_id, "lines": [line_input(shop[2], 1)]}
    )
    assert (
        old
        == stranger.errors_of("takeoverLinesAdd")
        == [
            {
                "field": "sessionId",
                "code": "ALREADY_TAKEN_OVER",
                "message": f"{colleague.email} holds this cart; only they can change it.",
            }
        ]
    )
    assert len(added["session"]["cart"]["lines"]) == 2

    # Reopening the draft's cart: the new holder resumes, the old one is told who has it.
    resumed = new_client.post(START, {"draft": taken["draft_id"]}).payload(
        "takeoverStart"
    )
    assert resumed["session"]["id"] == session_id
    refused = csr_client.post(START, {"draft": taken["draft_id"]})
    assert refused.errors_of("takeoverStart")[0]["code"] == "ALREADY_TAKEN_OVER"
    assert colleague.email in refused.errors_of("takeoverStart")[0]["message"]

    # And the new holder hands the cart back as usual.
    ended = new_client.post(END, {"session": session_id}).payload("takeoverEnd")
    assert ended["session"]["status"] == "ENDED"


def test_handoff_targets_that_are_not_active_staff_are_all_not_found(
    taken, csr_client, customer_user, manage_orders
):
    gone = make_csr("gone@example.com", manage_orders)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    before = state()

    answers = [
        csr_client.post(
            TRANSFER, {"session": taken["session"]["id"], "email": email}
        ).errors_of("takeoverTransfer")
        for email in ("nobody@example.com", customer_user.email, gone.email, "  ")
    ]

    # A shopper's account looks exactly like no account at all.
    expected = {
        "field": "staffEmail",
        "code": "NOT_FOUND",
        "message": "No active staff member has this email address.",
    }
    assert answers == [[expected]] * 4
    assert state() == before


def test_handoff_targets_who_may_not_take_the_cart_are_invalid(
    taken, csr_client, csr, manage_orders, channel_PLN
):
    no_orders = User.objects.create(email="no-orders@example.com", is_staff=True)
    make_csr("no-grant@example.com", manage_orders, grant=False)
    pln_only = make_csr("pln@example.com", manage_orders)
    restricted = Group.objects.create(
        name="PLN only", restricted_access_to_channels=True
    )
    restricted.permissions.add(manage_orders)
    restricted.channels.add(channel_PLN)
    pln_only.groups.set([restricted])
    from saleor_cart_takeover.models import TakeoverGrant

    TakeoverGrant.objects.create(user=no_orders)
    before = state()

    def refusal(email: str) -> dict:
        errors = csr_client.post(
            TRANSFER, {"session": taken["session"]["id"], "email": email}
        ).errors_of("takeoverTransfer")
        assert len(errors) == 1
        return errors[0]

    assert refusal(no_orders.email)["message"] == (
        "no-orders@example.com cannot take this cart over: they lack the "
        "MANAGE_ORDERS permission."
    )
    assert "the cart takeover permission" in refusal("no-grant@example.com")["message"]
    assert "access to the" in refusal(pln_only.email)["message"]
    assert refusal(csr.email)["message"] == f"{csr.email} already holds this cart."
    for email in (no_orders.email, "no-grant@example.com", pln_only.email, csr.email):
        assert refusal(email)["code"] == "INVALID"
    assert state() == before


def test_only_the_holder_hands_a_session_over(taken, other_csr_client, colleague):
    before = state()

    errors = other_csr_client.post(
        TRANSFER, {"session": taken["session"]["id"], "email": colleague.email}
    ).errors_of("takeoverTransfer")

    assert [e["code"] for e in errors] == ["ALREADY_TAKEN_OVER"]
    assert state() == before


def test_an_ended_session_cannot_be_handed_over(taken, csr_client, colleague):
    csr_client.post(END, {"session": taken["session"]["id"]}).payload("takeoverEnd")

    errors = csr_client.post(
        TRANSFER, {"session": taken["session"]["id"], "email": colleague.email}
    ).errors_of("takeoverTransfer")

    assert [e["code"] for e in errors] == ["SESSION_NOT_ACTIVE"]
    assert TakeoverSession.objects.get().held_by_email == ""


def test_handing_over_needs_the_permission_and_the_carts_channel(
    taken, manage_orders, channel_PLN, colleague
):
    no_grant = make_csr("no-grant@example.com", manage_orders, grant=False)
    pln_only = make_csr("pln@example.com", manage_orders)
    restricted = Group.objects.create(
        name="PLN only", restricted_access_to_channels=True
    )
    restricted.permissions.add(manage_orders)
    restricted.channels.add(channel_PLN)
    pln_only.groups.set([restricted])
    before = state()

    for user in (no_grant, pln_only):
        response = TakeoverClient(user).post(
            TRANSFER, {"session": taken["session"]["id"], "email": colleague.email}
        )
        assert response.error_codes == ["PermissionDenied"]
        assert response.body["data"]["takeoverTransfer"] is None
    assert state() == before


def test_a_staff_manager_hands_over_an_absent_reps_session(
    taken, manage_orders, colleague, csr
):
    from saleor.permission.models import Permission

    manager = make_csr("lead@example.com", manage_orders)
    leads = Group.objects.create(name="Leads")
    leads.permissions.add(
        manage_orders, Permission.objects.get(codename="manage_staff")
    )
    manager.groups.add(leads)

    handed = (
        TakeoverClient(manager)
        .post(TRANSFER, {"session": taken["session"]["id"], "email": colleague.email})
        .payload("takeoverTransfer")["session"]
    )

    assert handed["heldByEmail"] == colleague.email
    note = OrderEvent.objects.filter(type="note_added").last()
    assert note.parameters["message"] == (
        f"Cart takeover handed over from {csr.email} to {colleague.email} "
        f"by {manager.email}."
    )
