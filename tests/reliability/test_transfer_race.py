"""A handoff racing with an edit by the old holder: never both win.

"Win" means the old holder's edit lands after the handoff. Either the edit
commits first and the handoff follows it, or the edit waits for the handoff
and is refused; the session's history and the cart tell which.
"""

import pytest

from saleor_cart_takeover.models import TakeoverEvent, TakeoverSession

from ..fixtures import make_csr
from ..operations import ADD, line_input, pk_of
from .conftest import Answer, RowLock, World, call, queue_behind, run_concurrently

pytestmark = pytest.mark.usefixtures("committed")

TRANSFER = """
mutation($session: ID!, $email: String!) {
  takeoverTransfer(sessionId: $session, staffEmail: $email) {
    session { heldByEmail } errors { field code message }
  }
}"""
SESSION_TABLE = "saleor_cart_takeover_takeoversession"


def outcome(answer: Answer, field: str) -> list[str]:
    assert isinstance(answer, Answer), answer
    assert answer.status == 200, answer.body
    assert "errors" not in answer.body, answer.body
    return [error["code"] for error in answer.body["data"][field]["errors"]]


def assert_never_both_won(world: World, session_pk: int, edit: list[str]) -> None:
    history = list(
        TakeoverEvent.objects.filter(session_id=session_pk)
        .order_by("pk")
        .values_list("type", "user_email")
    )
    handoff = history.index(("transferred", world.csr.email))
    late_edits = [e for e in history[handoff:] if e == ("lines_added", world.csr.email)]
    assert late_edits == [], history
    added = ("lines_added", world.csr.email) in history[:handoff]
    # The cart holds the third variant exactly when the edit says it won.
    in_cart = world.shopper.cart(world.checkout_id)["lines"]
    third = {line["variant"]["id"] for line in in_cart} & {
        line_input(world.variants[2], 1)["variantId"]
    }
    assert added == (edit == []) == bool(third), (history, edit)
    session = TakeoverSession.objects.get(pk=session_pk)
    assert session.held_by_email == "racer@example.com"


def race(world: World, manage_orders, order: str) -> list[str]:
    make_csr("racer@example.com", manage_orders)
    session_id = world.start()["id"]
    session_pk = int(pk_of(session_id))
    edit = lambda: call(  # noqa: E731
        world.token,
        ADD,
        {"session": session_id, "lines": [line_input(world.variants[2], 1)]},
    )
    handoff = lambda: call(  # noqa: E731
        world.token, TRANSFER, {"session": session_id, "email": "racer@example.com"}
    )
    calls = [edit, handoff] if order == "edit first" else [handoff, edit]
    if order == "barrier":
        answers = run_concurrently(calls)
    else:
        # Both queue behind a lock on the session row, in this order.
        lock = RowLock(SESSION_TABLE, "id", session_pk)
        answers = queue_behind(lock, calls)
    edit_answer, handoff_answer = (
        answers if calls[0] is edit else list(reversed(answers))
    )
    assert outcome(handoff_answer, "takeoverTransfer") == []
    edit_codes = outcome(edit_answer, "takeoverLinesAdd")
    assert edit_codes in ([], ["ALREADY_TAKEN_OVER"])
    assert_never_both_won(world, session_pk, edit_codes)
    return edit_codes


def test_an_edit_queued_behind_a_handoff_is_refused(world: World, manage_orders):
    assert race(world, manage_orders, "handoff first") == ["ALREADY_TAKEN_OVER"]


def test_an_edit_committed_before_a_handoff_stands(world: World, manage_orders):
    assert race(world, manage_orders, "edit first") == []


def test_edit_and_handoff_released_together(world: World, manage_orders):
    race(world, manage_orders, "barrier")
