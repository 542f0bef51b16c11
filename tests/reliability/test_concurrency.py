"""Concurrency: real threads, real connections, committed rows.

Each race is made as tight as it can be: the workers are released together
and, where it matters, queue behind a row lock held by another connection, so
they all hit the contended row at the same moment.
"""

import io
import json
import time
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.core.jwt import create_access_token
from saleor.order.models import Order, OrderLine
from saleor.tests import race_condition

from saleor_cart_takeover.const import (
    CHECKOUT_TAKEN_OVER_KEY,
    LINE_SOURCE_CUSTOMER_SERVICE,
    LINE_SOURCE_KEY,
    PICKUP_CONTACTS_KEY,
)
from saleor_cart_takeover.models import (
    CopiedLine,
    TakeoverEvent,
    TakeoverSession,
    TakeoverStatus,
)

from ..builders import create_draft, line_input, metadata
from ..clients import Response as Answer
from ..clients import SaleorClient, call
from ..concurrency import (
    THREAD_TIMEOUT,
    RowLock,
    Worker,
    queue_behind,
    run_concurrently,
    spawn,
    wait_for_lock_waiters,
)
from ..ids import gid, pk_of
from ..operations import ADD, COPY, END, START
from ..storefront import COMPLETE, LINES_ADD
from .conftest import World, build_world

pytestmark = pytest.mark.usefixtures("committed")


def assert_clean(answer: Any, field: str) -> dict:
    """The worker got a normal GraphQL answer (no crash, no internal error)."""
    assert isinstance(answer, Answer), answer
    assert answer.status == 200, answer.body
    assert "errors" not in answer.body, answer.body
    return answer.body["data"][field]


def test_csrs_racing_for_one_cart_get_exactly_one_session(
    world: World, more_csrs, channel_USD
):
    rivals = [world.csr, *more_csrs(4)]
    drafts = [world.draft_id] + [
        create_draft(csr, channel_USD, user=world.customer) for csr in rivals[1:]
    ]
    token = pk_of(world.checkout_id)
    lock = RowLock("checkout_checkout", "token", token)

    def release() -> None:
        try:
            wait_for_lock_waiters(len(rivals))
        finally:
            lock.release()

    def start(csr: User, draft: str) -> Answer:
        return call(
            create_access_token(csr),
            START,
            {"draft": draft, "checkout": world.checkout_id},
        )

    answers = run_concurrently(
        [partial(start, csr, draft) for csr, draft in zip(rivals, drafts, strict=True)],
        before_release=release,
    )

    payloads = [assert_clean(answer, "takeoverStart") for answer in answers]
    winners = [p for p in payloads if p["session"]]
    losers = [p for p in payloads if not p["session"]]
    assert len(winners) == 1
    assert all(
        [e["code"] for e in p["errors"]] == ["ALREADY_TAKEN_OVER"] for p in losers
    )
    # The refusal names who holds the cart, so the rep knows whom to ask.
    holder = winners[0]["session"]["startedByEmail"]
    assert all(holder in p["errors"][0]["message"] for p in losers)
    active = TakeoverSession.objects.filter(
        checkout_token=token, status=TakeoverStatus.ACTIVE
    )
    assert active.count() == 1
    assert TakeoverSession.objects.count() == 1


def test_a_double_clicked_start_returns_one_session(world: World):
    answers = run_concurrently(
        [
            lambda: call(
                world.token,
                START,
                {"draft": world.draft_id, "checkout": world.checkout_id},
            )
            for _ in range(4)
        ]
    )
    sessions = {
        assert_clean(answer, "takeoverStart")["session"]["id"] for answer in answers
    }
    assert len(sessions) == 1
    assert TakeoverSession.objects.count() == 1


def draft_lines(draft_id: str) -> list[tuple[int, int, dict]]:
    return sorted(
        (line.variant_id, line.quantity, line.metadata)
        for line in OrderLine.objects.filter(order_id=pk_of(draft_id))
    )


def cart_lines(checkout_id: str) -> list[tuple[int, int, dict]]:
    return sorted(
        (line.variant_id, line.quantity, line.metadata)
        for line in CheckoutLine.objects.filter(checkout_id=pk_of(checkout_id))
    )


def test_simultaneous_add_items_to_order_leave_the_draft_equal_to_the_cart(
    world: World,
):
    session = world.start()
    answers = run_concurrently(
        [lambda: call(world.token, COPY, {"session": session["id"]}) for _ in range(6)]
    )

    payloads = [assert_clean(a, "takeoverCopyToDraft") for a in answers]
    # Every click succeeds: the copies queue on the session's row lock and each
    # one sees what the one before it wrote.
    assert all(p["errors"] == [] for p in payloads)
    results = sorted((p["result"]["added"], p["result"]["unchanged"]) for p in payloads)
    assert results == [(0, 2)] * 5 + [(2, 0)]
    assert draft_lines(world.draft_id) == cart_lines(world.checkout_id)
    assert CopiedLine.objects.count() == 2


def test_copies_racing_with_edits_never_duplicate_a_line(world: World):
    session = world.start()
    large = world.variants[2]
    copy = lambda: call(world.token, COPY, {"session": session["id"]})  # noqa: E731
    add = lambda: call(  # noqa: E731
        world.token, ADD, {"session": session["id"], "lines": [line_input(large, 1)]}
    )

    answers = run_concurrently([copy, add, copy, add, copy, add, copy, add])

    for answer, field in zip(
        answers,
        ["takeoverCopyToDraft", "takeoverLinesAdd"] * 4,
        strict=True,
    ):
        assert assert_clean(answer, field)["errors"] == []
    # All four additions landed on one line, none was lost.
    # The rep's line carries its attribution (issue 13).
    rep_line = {LINE_SOURCE_KEY: LINE_SOURCE_CUSTOMER_SERVICE}
    assert (large.pk, 4, rep_line) in cart_lines(world.checkout_id)
    final = assert_clean(
        call(world.token, COPY, {"session": session["id"]}), "takeoverCopyToDraft"
    )
    assert final["errors"] == []
    assert draft_lines(world.draft_id) == cart_lines(world.checkout_id)
    variants = [v for v, _, _ in draft_lines(world.draft_id)]
    assert len(variants) == len(set(variants)), "a cart line was copied twice"


def shopper_add(checkout_id: str, variant: Any, quantity: int) -> dict:
    response = SaleorClient().post(
        LINES_ADD,
        {
            "id": checkout_id,
            "lines": [
                {"variantId": gid("ProductVariant", variant.pk), "quantity": quantity}
            ],
        },
    )
    assert response.status == 200
    return response.body


def test_csr_and_shopper_editing_at_once_lose_no_update(world: World):
    session = world.start()
    small = world.variants[0]
    before = sum(q for v, q, _ in cart_lines(world.checkout_id) if v == small.pk)
    csr_add = lambda: call(  # noqa: E731
        world.token, ADD, {"session": session["id"], "lines": [line_input(small, 1)]}
    )
    shopper = lambda: shopper_add(world.checkout_id, small, 1)  # noqa: E731

    answers = run_concurrently([csr_add, shopper] * 5)

    for index, answer in enumerate(answers):
        if index % 2 == 0:
            assert assert_clean(answer, "takeoverLinesAdd")["errors"] == []
        else:
            assert "errors" not in answer, answer
            assert answer["data"]["checkoutLinesAdd"]["errors"] == []
    after = sum(q for v, q, _ in cart_lines(world.checkout_id) if v == small.pk)
    assert after == before + 10


def complete_raw(checkout_id: str) -> dict:
    response = SaleorClient().post(COMPLETE, {"id": checkout_id})
    assert response.status == 200, response.body
    return response.body


@pytest.fixture
def ready_world(committed, csr, customer_user, channel_USD, shop, shipping_method):
    """A cart the shopper is about to pay for: addresses and delivery chosen."""

    def build() -> World:
        world = build_world(csr, customer_user, channel_USD, shop, [(shop[0], 1)])
        world.shopper.prepare_delivery(
            world.checkout_id, gid("ShippingMethod", shipping_method.pk)
        )
        return world

    return build


def assert_order_or_session(world: World, completion: Any, start: Any) -> None:
    """Either an order or an active session, never an order and an active session."""
    assert isinstance(completion, dict), completion
    assert "errors" not in completion, completion
    result = completion["data"]["checkoutComplete"]
    started = assert_clean(start, "takeoverStart")
    token = pk_of(world.checkout_id)
    order = Order.objects.filter(checkout_token=str(token)).first()
    active = TakeoverSession.objects.filter(
        checkout_token=token, status=TakeoverStatus.ACTIVE
    )
    assert not (order and active.exists()), "an order and an active takeover"
    assert bool(order) != bool(result["errors"]), result
    if order is None:
        # The shopper was told why, and the rep holds the cart.
        assert started["session"] is not None
        assert "representative" in result["errors"][0]["message"]
        return
    assert Checkout.objects.filter(pk=token).count() == 0
    if started["session"] is not None:
        # The rep got in first, the shopper completed right after: the session
        # ends COMPLETED with the shopper's order.
        session = TakeoverSession.objects.get(pk=pk_of(started["session"]["id"]))
        assert session.status == TakeoverStatus.COMPLETED
        assert session.order_id == order.pk
    else:
        assert started["errors"], started


@pytest.mark.parametrize("first", ["complete", "start"])
def test_checkout_complete_racing_takeover_start(ready_world, first):
    world = ready_world()
    complete = lambda: complete_raw(world.checkout_id)  # noqa: E731
    start = lambda: call(  # noqa: E731
        world.token, START, {"draft": world.draft_id, "checkout": world.checkout_id}
    )
    lock = RowLock("checkout_checkout", "token", pk_of(world.checkout_id))
    calls = [complete, start] if first == "complete" else [start, complete]

    results = queue_behind(lock, calls)

    completion, started = results if first == "complete" else results[::-1]
    assert_order_or_session(world, completion, started)


def test_checkout_complete_and_takeover_start_released_together(ready_world):
    for _ in range(3):
        world = ready_world()
        completion, started = run_concurrently(
            [
                partial(complete_raw, world.checkout_id),
                partial(
                    call,
                    world.token,
                    START,
                    {"draft": world.draft_id, "checkout": world.checkout_id},
                ),
            ]
        )
        assert_order_or_session(world, completion, started)
    # Nothing is left for the expiry job to clean up: every session the races
    # left behind ended with the order or is a live one the rep still holds.
    out = io.StringIO()
    call_command("cart_takeover", "expire", stdout=out)
    assert "Closed 0 " in out.getvalue(), out.getvalue()


# The two narrowest windows, hit on purpose with Saleor's own race-condition
# helper (it only runs our callback at a chosen point of Saleor's real code).
COMPLETE_PATH = "saleor.checkout.complete_checkout"


def test_takeover_started_after_the_checkout_passed_its_checks(ready_world):
    """The shopper's checkoutComplete has passed `preprocess_order_creation`
    (no session yet) when the rep starts: the order is still placed, and the
    session it raced with ends COMPLETED with that order."""
    world = ready_world()
    started: list[Any] = []

    def rep_starts_now(*_args: Any, **_kwargs: Any) -> None:
        started.append(
            spawn(lambda: call(world.token, START, start_vars(world))).outcome()
        )

    with race_condition.RunBefore(
        f"{COMPLETE_PATH}.create_order_from_checkout", rep_starts_now
    ):
        completion = complete_raw(world.checkout_id)

    assert started[0].result("takeoverStart")["session"] is not None
    assert_order_or_session(world, completion, started[0])


def test_takeover_start_waiting_for_a_cart_that_becomes_an_order(ready_world):
    """The rep's start already picked the cart and waits for its lock while the
    shopper's completion holds it and deletes the cart: the rep gets a clear
    error, not a crash, and no session exists."""
    world = ready_world()
    workers: list[Worker] = []

    def rep_starts_and_waits(*_args: Any, **_kwargs: Any) -> None:
        workers.append(spawn(lambda: call(world.token, START, start_vars(world))))
        assert wait_for_lock_waiters(1) >= 1

    with race_condition.RunBefore(
        f"{COMPLETE_PATH}.delete_checkouts", rep_starts_and_waits
    ):
        completion = complete_raw(world.checkout_id)
    started = workers[0].outcome()

    assert_order_or_session(world, completion, started)
    errors = started.result("takeoverStart")["errors"]
    assert [e["code"] for e in errors] == ["NOT_FOUND"], errors


def start_vars(world: World) -> dict[str, str]:
    return {"draft": world.draft_id, "checkout": world.checkout_id}


def test_expiry_leaves_open_a_session_the_rep_used_while_it_waited(world: World):
    """The rep's step is under way when the takeover's idle time runs out;
    expiry, which found the session stale a moment before, waits for the
    step's lock and then sees that the rep just used it."""
    session = world.start()
    session_pk = int(pk_of(session["id"]))
    # Seconds before the timeout: the rep's step still passes the check.
    deadline = timezone.now() + timedelta(seconds=5)
    TakeoverSession.objects.filter(pk=session_pk).update(expires_at=deadline)
    cart = RowLock("checkout_checkout", "token", pk_of(world.checkout_id))
    workers = []
    try:
        step = spawn(
            lambda: call(
                world.token,
                ADD,
                {"session": session["id"], "lines": [line_input(world.variants[2], 1)]},
            )
        )
        workers.append(step)
        wait_for_lock_waiters(1)  # it holds the session and waits for the cart
        time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 0.5)
        expiry = spawn(
            lambda: call_command("cart_takeover", "expire", stdout=io.StringIO())
        )
        workers.append(expiry)
        wait_for_lock_waiters(2)  # expiry found it stale and waits for it
    finally:
        cart.release()
        for worker in workers:
            worker.join(timeout=THREAD_TIMEOUT)

    assert assert_clean(step.outcome(), "takeoverLinesAdd")["errors"] == []
    assert not isinstance(expiry.outcome(), BaseException), expiry.outcome()
    row = TakeoverSession.objects.get(pk=session_pk)
    assert row.status == TakeoverStatus.ACTIVE
    assert row.expires_at is not None
    assert row.expires_at > timezone.now() + timedelta(minutes=5)
    assert not TakeoverEvent.objects.filter(session_id=session_pk, type="ended")
    cart_metadata = metadata(world.shopper.cart(world.checkout_id)["metadata"])
    assert cart_metadata[CHECKOUT_TAKEN_OVER_KEY] == "true"


def test_contacts_the_shopper_saves_while_the_rep_hands_back_are_kept(world: World):
    """The hand-back takes the takeover's flag off the cart while the shopper
    saves pickup contacts with Saleor's `updateMetadata`: both writes land."""
    session = world.start()
    document = json.dumps(
        {"primary": {"firstName": "Ann", "lastName": "Lee", "email": "a@b.com"}}
    )

    answers = queue_behind(
        RowLock("checkout_checkoutmetadata", "checkout_id", pk_of(world.checkout_id)),
        [
            lambda: world.shopper.set_metadata(
                world.checkout_id, PICKUP_CONTACTS_KEY, document
            ),
            lambda: call(world.token, END, {"session": session["id"]}),
        ],
    )

    assert answers[0] == {"errors": []}, answers[0]
    assert assert_clean(answers[1], "takeoverEnd")["errors"] == []
    cart_metadata = metadata(world.shopper.cart(world.checkout_id)["metadata"])
    assert cart_metadata == {PICKUP_CONTACTS_KEY: document}
