"""Shared machinery of the reliability suite.

Concurrency and fault tests need what production has: committed rows and one
database connection per worker. They use `committed`, which makes the test
transactional (pytest-django's `transactional_db`). Django empties every table
after such a test and then emits `post_migrate`, which recreates everything the
other tests rely on (content types, Saleor's permissions including
`take_over_cart`, the default site); the rest (site settings, menus, default
tax class and customer type) comes from Saleor's autouse fixtures. So these
tests leave the database as migrations left it, whatever runs after them —
`test_isolation.py` checks exactly that.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.core.jwt import create_access_token
from saleor.order.models import Order, OrderEvent, OrderLine
from saleor.tests.utils import prepare_test_db_connections

from saleor_cart_takeover.models import (
    CopiedLine,
    TakeoverEvent,
    TakeoverGrant,
    TakeoverSession,
)

from ..fixtures import ENDPOINT, make_csr
from ..operations import START, create_draft
from ..storefront import Shopper

# Threads wait at most this long for each other and for the database; a hang
# fails the test instead of blocking the run.
THREAD_TIMEOUT = 60


@dataclass
class Answer:
    """What a caller of the endpoint sees: status and JSON body."""

    status: int
    body: dict

    @property
    def top_codes(self) -> list[str]:
        return [
            e.get("extensions", {}).get("exception", {}).get("code")
            for e in self.body.get("errors") or []
        ]

    def payload(self, field: str) -> dict:
        assert "errors" not in self.body, self.body
        return self.body["data"][field]


def call(token: str | None, query: str, variables: dict | None = None) -> Answer:
    """POST one GraphQL request to the plugin, from any thread.

    A fresh test client per call: Django's test client is not thread-safe.
    """
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = Client().post(
        ENDPOINT,
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        body = {"raw": response.content.decode(errors="replace")}
    return Answer(response.status_code, body)


class Worker(threading.Thread):
    """One caller in a thread of its own, with its own database connections.

    The fake replica Saleor's test setup installs is per thread, so it is
    installed again here; an exception becomes the worker's result.
    """

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.fn = fn
        self.result: Any = None

    def run(self) -> None:
        prepare_test_db_connections()
        try:
            self.result = self.fn()
        except BaseException as error:  # reported to the test, not swallowed
            self.result = error
        finally:
            connections.close_all()

    def outcome(self) -> Any:
        self.join(timeout=THREAD_TIMEOUT)
        assert not self.is_alive(), "a worker hung"
        return self.result


def spawn(fn: Callable[[], Any]) -> Worker:
    worker = Worker(fn)
    worker.start()
    return worker


def run_concurrently(
    calls: list[Callable[[], Any]], *, before_release: Callable[[], None] | None = None
) -> list[Any]:
    """Run each call in its own thread, all released at the same moment.

    Each thread has its own database connections (Django's are per thread); the
    fake replica Saleor's test setup installs is per thread too, so it is
    installed again here. An exception is returned in place of a result.
    """
    barrier = threading.Barrier(len(calls) + 1)
    results: list[Any] = [None] * len(calls)

    def worker(index: int, fn: Callable[[], Any]) -> None:
        prepare_test_db_connections()
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            results[index] = fn()
        except BaseException as error:  # reported to the test, not swallowed
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, fn), daemon=True)
        for i, fn in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=THREAD_TIMEOUT)
    if before_release is not None:
        before_release()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return results


class RowLock:
    """Hold a row lock from a connection of its own, like a slow transaction would.

    Workers started while it is held queue behind it in PostgreSQL's lock queue,
    which grants the lock first come, first served once it is released.
    """

    def __init__(self, table: str, column: str, value: Any) -> None:
        self.connection = connections.create_connection("default")
        self.cursor = self.connection.cursor()
        self.cursor.execute("BEGIN")
        self.cursor.execute(
            f"SELECT 1 FROM {table} WHERE {column} = %s FOR UPDATE", [value]
        )

    def release(self) -> None:
        self.cursor.execute("COMMIT")
        self.cursor.close()
        self.connection.close()


def queue_behind(lock: RowLock, calls: list[Callable[[], Any]]) -> list[Any]:
    """Start the calls one after another, each only once the previous one waits
    for `lock`, then release it: the calls get the row in exactly this order."""
    results: list[Any] = [None] * len(calls)

    def worker(index: int, fn: Callable[[], Any]) -> None:
        prepare_test_db_connections()
        try:
            results[index] = fn()
        except BaseException as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = []
    try:
        for index, fn in enumerate(calls):
            thread = threading.Thread(target=worker, args=(index, fn), daemon=True)
            thread.start()
            threads.append(thread)
            wait_for_lock_waiters(index + 1, timeout=10)
    finally:
        lock.release()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return results


def lock_waiters() -> int:
    """How many other connections of this database wait for a row lock."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the first snapshot of
        # pg_stat_activity; drop it so each poll sees the present.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_for_lock_waiters(count: int, timeout: float = 20) -> int:
    """Wait until `count` workers queue behind a lock (or give up after timeout)."""
    deadline = time.monotonic() + timeout
    waiting = lock_waiters()
    while waiting < count and time.monotonic() < deadline:
        time.sleep(0.05)
        waiting = lock_waiters()
    return waiting


@contextmanager
def failing_statement(
    table: str, *, on: str = "INSERT", when: str = "true"
) -> Iterator[None]:
    """Make PostgreSQL itself fail writes to `table` (a real database error).

    A trigger raises `P0001` for each `on` (INSERT/UPDATE/DELETE) row matching
    `when`. In a committed test it is dropped again however the test ends.
    """
    name = f"reliability_fail_{table}"[:60]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$BEGIN RAISE EXCEPTION 'injected failure on {table}'; END$$"
        )
        cursor.execute(
            f"CREATE TRIGGER {name} BEFORE {on} ON {table} FOR EACH ROW "
            f"WHEN ({when}) EXECUTE FUNCTION {name}()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def state() -> dict[str, Any]:
    """Everything a takeover operation may write, to prove "nothing changed"."""
    lines = sorted(
        (
            str(line.checkout_id),
            line.variant_id,
            line.quantity,
            json.dumps(line.metadata),
        )
        for line in CheckoutLine.objects.all()
    )
    metadata = sorted(
        (str(c.pk), json.dumps(getattr(c.metadata_storage, "metadata", None)))
        for c in Checkout.objects.select_related("metadata_storage")
    )
    return {
        "sessions": sorted(
            TakeoverSession.objects.values_list(
                "pk", "status", "expires_at", "last_copied_at"
            )
        ),
        "events": TakeoverEvent.objects.count(),
        "copies": CopiedLine.objects.count(),
        "grants": TakeoverGrant.objects.count(),
        "checkouts": Checkout.objects.count(),
        "checkout_lines": lines,
        "checkout_metadata": metadata,
        "orders": sorted(Order.objects.values_list("pk", "status", "metadata")),
        "order_lines": sorted(
            OrderLine.objects.values_list("order_id", "variant_id", "quantity")
        ),
        "order_events": OrderEvent.objects.count(),
    }


@dataclass
class World:
    """A shop, a registered shopper's cart and a CSR's draft for that shopper."""

    csr: User
    token: str
    shopper: Shopper
    customer: User
    cart: dict
    draft_id: str
    variants: list

    @property
    def checkout_id(self) -> str:
        return self.cart["id"]

    def start(self) -> dict:
        answer = call(
            self.token, START, {"draft": self.draft_id, "checkout": self.checkout_id}
        )
        payload = answer.payload("takeoverStart")
        assert payload["errors"] == [], payload
        return payload["session"]


def build_world(
    csr: User, customer: User, channel: Any, variants: list, lines: list[tuple]
) -> World:
    shopper = Shopper(customer)
    cart = shopper.create_cart(channel.slug, lines)
    draft_id = create_draft(csr, channel, user=customer)
    return World(
        csr=csr,
        token=create_access_token(csr),
        shopper=shopper,
        customer=customer,
        cart=cart,
        draft_id=draft_id,
        variants=variants,
    )


@pytest.fixture
def world(takeover_plugin, csr, customer_user, channel_USD, shop) -> World:
    """Cart with 2 of S and 1 of M; works for committed and ordinary tests."""
    return build_world(
        csr, customer_user, channel_USD, shop, [(shop[0], 2), (shop[1], 1)]
    )


@pytest.fixture
def committed(transactional_db, takeover_plugin) -> None:
    """Commit every write, as production does (see the module docstring)."""


@pytest.fixture
def more_csrs(manage_orders) -> Callable[[int], list[User]]:
    def build(count: int) -> list[User]:
        return [make_csr(f"racer{i}@example.com", manage_orders) for i in range(count)]

    return build
