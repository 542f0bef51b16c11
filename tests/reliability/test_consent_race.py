"""The shopper's "yes" racing with the rep withdrawing the request.

Both take the session row first, so whichever comes second sees what the first
did: the session ends handed back either way, and the cart keeps none of the
takeover's keys (no "active" flag on a cart nobody holds).
"""

import pytest
from django.core.management import call_command

from saleor_cart_takeover.models import TakeoverEvent, TakeoverSession

from ..builders import metadata
from ..clients import Response as Answer
from ..clients import call
from ..concurrency import RowLock, queue_behind
from ..fixtures import set_config
from ..ids import pk_of
from ..operations import END
from ..storefront import Shopper
from .conftest import World

pytestmark = pytest.mark.usefixtures("committed")

SESSION_TABLE = "saleor_cart_takeover_takeoversession"
KEYS = {
    "cart_takeover.active",
    "cart_takeover.consent_requested",
    "cart_takeover.consent",
}


def race(world: World, takeover_plugin, order: list[str]) -> list[str]:
    set_config(takeover_plugin, require_shopper_consent=True)
    session = world.start()
    assert session["status"] == "PENDING"
    session_pk = int(pk_of(session["id"]))

    def approve() -> Answer:
        # The signed-in shopper's answer on the plugin's endpoint.
        return Shopper(world.customer).answer_consent(
            world.checkout_id, session["id"], True
        )

    def withdraw() -> Answer:
        return call(world.token, END, {"session": session["id"]})

    calls = {"approve": approve, "withdraw": withdraw}
    answers = queue_behind(
        RowLock(SESSION_TABLE, "id", session_pk), [calls[name] for name in order]
    )
    by_name = dict(zip(order, answers, strict=True))
    approved = by_name["approve"]
    assert isinstance(approved, Answer), approved
    # The "yes" opens the request if it came first, else finds it withdrawn.
    answered: dict[str, object] = (
        {"status": "ACTIVE", "errors": []}
        if order[0] == "approve"
        else {
            "status": None,
            "errors": [
                {
                    "field": "sessionId",
                    "code": "SESSION_NOT_ACTIVE",
                    "message": "This takeover request is no longer waiting for an "
                    "answer: it was answered, withdrawn or has expired.",
                }
            ],
        }
    )
    assert approved.result("takeoverConsentAnswer") == answered
    ended = by_name["withdraw"]
    assert isinstance(ended, Answer), ended
    assert ended.payload("takeoverEnd")["errors"] == []

    row = TakeoverSession.objects.get(pk=session_pk)
    assert (row.status, row.end_reason) == ("ended", "ended_by_staff")
    cart = metadata(world.shopper.cart(world.checkout_id)["metadata"])
    assert KEYS.isdisjoint(cart), cart
    call_command("cart_takeover", "expire")  # nothing left to close
    assert TakeoverSession.objects.get(pk=session_pk).status == "ended"
    return list(
        TakeoverEvent.objects.filter(session_id=session_pk)
        .order_by("pk")
        .values_list("type", flat=True)
    )


def test_withdrawn_first_the_late_yes_opens_nothing(world: World, takeover_plugin):
    history = race(world, takeover_plugin, ["withdraw", "approve"])
    assert history == ["consent_requested", "ended"]


def test_agreed_first_the_withdrawal_still_hands_back(world: World, takeover_plugin):
    history = race(world, takeover_plugin, ["approve", "withdraw"])
    assert history == ["consent_requested", "consent_given", "ended"]
