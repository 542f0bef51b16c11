"""Issue 15 item 6: "Add Items to Order" racing Saleor's `draftOrderComplete`.

Saleor's `DraftOrderComplete.perform_mutation` reads the draft with its lines,
prices and validates them, and only then opens its transaction, in which it
allocates stock for the lines it read. No lock is held in between, so a copy
that commits in that window is invisible to the completion. The window is hit
on purpose: Saleor's own race-condition helper runs the rep's real copy (the
plugin's endpoint, in a thread with its own connection, committing for real)
right before Saleor's `validate_draft_order`, the last step before that
transaction; everything else is Saleor's real mutation. `RunBefore` patches
that one function for the duration of the test only, which is the only way to
stop Saleor between its read and its transaction: it holds no lock there that
another connection could hold in its place.
"""

import threading
from decimal import Decimal
from typing import Any

import pytest
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.tests import race_condition
from saleor.warehouse.models import Allocation

from ..builders import ADDRESS
from ..checkout.test_reconciliation import DRAFT_COMPLETE, DRAFT_UPDATE
from ..clients import SaleorClient, call
from ..concurrency import (
    THREAD_TIMEOUT,
    RowLock,
    Worker,
    spawn,
    wait_for_lock_waiters,
)
from ..ids import gid, pk_of
from ..operations import COPY
from .conftest import World
from .test_concurrency import assert_clean, shopper_add

pytestmark = pytest.mark.usefixtures("committed")

VALIDATE = "saleor.graphql.order.mutations.draft_order_complete.validate_draft_order"


def inconsistencies(order: Order) -> list[str]:
    """What a confirmed order must not have: a line without its stock, or a
    subtotal that is not the sum of its lines."""
    problems = []
    lines = list(order.lines.select_related("variant").prefetch_related("allocations"))
    for line in lines:
        allocated = sum(a.quantity_allocated for a in line.allocations.all())
        if line.variant.track_inventory and allocated != line.quantity:
            problems.append(f"{line}: {line.quantity} ordered, {allocated} allocated")
    subtotal = sum((line.total_price_gross_amount for line in lines), Decimal(0))
    if subtotal != order.subtotal_gross_amount:
        problems.append(f"subtotal {order.subtotal_gross_amount}, lines {subtotal}")
    return problems


def prepare_for_completion(world: World, shipping_method: Any) -> None:
    update = SaleorClient(world.csr).call(
        DRAFT_UPDATE,
        {
            "id": world.draft_id,
            "input": {
                "billingAddress": ADDRESS,
                "shippingAddress": ADDRESS,
                "shippingMethod": gid("ShippingMethod", shipping_method.pk),
            },
        },
    )
    assert update["draftOrderUpdate"]["errors"] == []


def complete(world: World) -> dict:
    return SaleorClient(world.csr).call(DRAFT_COMPLETE, {"id": world.draft_id})[
        "draftOrderComplete"
    ]


def test_a_copy_committed_while_saleor_completes_the_draft(
    world: World, shipping_method
):
    session = world.start()
    copied = call(world.token, COPY, {"session": session["id"]})
    assert assert_clean(copied, "takeoverCopyToDraft")["errors"] == []
    prepare_for_completion(world, shipping_method)
    # The shopper puts one more S and an L into the cart while on the phone.
    small, large = world.variants[0], world.variants[2]
    for variant in (small, large):
        added = shopper_add(world.checkout_id, variant, 1)
        assert added["data"]["checkoutLinesAdd"]["errors"] == []
    copies: list[Any] = []

    def rep_copies_now(*_args: Any, **_kwargs: Any) -> None:
        # Saleor holds no lock yet: the copy commits before Saleor goes on.
        copies.append(
            spawn(lambda: call(world.token, COPY, {"session": session["id"]})).outcome()
        )

    with race_condition.RunBefore(VALIDATE, rep_copies_now):
        first = complete(world)

    copy = assert_clean(copies[0], "takeoverCopyToDraft")
    assert copy["errors"] == [], copy
    assert (copy["result"]["added"], copy["result"]["updated"]) == (1, 1)
    order = Order.objects.get(pk=pk_of(world.draft_id))
    # The completion must not confirm an order it did not see.
    assert inconsistencies(order) == [] or order.status == OrderStatus.DRAFT
    assert first["order"] is None, inconsistencies(order)
    assert [(e["field"], e["code"]) for e in first["errors"]] == [("id", "INVALID")]
    assert "changed while it was being completed" in first["errors"][0]["message"]
    assert order.status == OrderStatus.DRAFT
    assert order.lines.count() == 3
    # Nothing of the refused completion stays behind.
    assert not Allocation.objects.filter(order_line__order_id=order.pk).exists()

    # Completing again (the staff member reviews the draft and clicks again)
    # confirms everything that was copied, each line with its stock.
    second = complete(world)
    assert second["errors"] == [], second
    order.refresh_from_db()
    assert order.status != OrderStatus.DRAFT
    assert inconsistencies(order) == []
    assert sorted((line.variant_id, line.quantity) for line in order.lines.all()) == [
        (small.pk, 3),
        (world.variants[1].pk, 1),
        (large.pk, 1),
    ]


def test_saleors_completion_waiting_for_a_copy_that_holds_the_draft(
    world: World, shipping_method
):
    """The other order of the same window: the copy has locked the draft (it
    waits for the cart, held here by another connection) when Saleor's
    completion, which read the draft before, reaches its UPDATE and queues
    behind the copy. The copy commits first; the completion must not confirm
    the lines it read."""
    session = world.start()
    assert_clean(
        call(world.token, COPY, {"session": session["id"]}), "takeoverCopyToDraft"
    )
    prepare_for_completion(world, shipping_method)
    large = world.variants[2]
    assert (
        shopper_add(world.checkout_id, large, 2)["data"]["checkoutLinesAdd"]["errors"]
        == []
    )
    token = pk_of(world.checkout_id)
    holding = threading.Event()
    workers: list[Worker] = []

    def hold_the_cart_until_both_wait() -> None:
        # A connection of this thread's own (Django's are per thread).
        lock = RowLock("checkout_checkout", "token", token)
        holding.set()
        try:
            wait_for_lock_waiters(2)  # the copy on the cart, Saleor on the draft
        finally:
            lock.release()

    def copy_locks_the_draft_now(*_args: Any, **_kwargs: Any) -> None:
        workers.append(spawn(hold_the_cart_until_both_wait))
        assert holding.wait(THREAD_TIMEOUT)
        workers.append(
            spawn(lambda: call(world.token, COPY, {"session": session["id"]}))
        )
        wait_for_lock_waiters(1)

    with race_condition.RunBefore(VALIDATE, copy_locks_the_draft_now):
        first = complete(world)
    holder, copier = (worker.outcome() for worker in workers)

    assert holder is None, holder
    copy = assert_clean(copier, "takeoverCopyToDraft")
    assert copy["errors"] == [], copy
    assert copy["result"]["added"] == 1, copy
    order = Order.objects.get(pk=pk_of(world.draft_id))
    assert [(e["field"], e["code"]) for e in first["errors"]] == [("id", "INVALID")], (
        first,
        inconsistencies(order),
    )
    assert order.status == OrderStatus.DRAFT
    assert order.lines.filter(variant=large, quantity=2).exists()
    assert complete(world)["errors"] == []
    order.refresh_from_db()
    assert inconsistencies(order) == []
