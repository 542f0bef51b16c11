"""Races that really race: worker threads with their own database connections,
released together by a barrier, or queued one by one behind a held row lock.

A race test that quietly ran its callers one after another would pass for the
wrong reason; `wait_for_lock_waiters` therefore fails the test when the
expected callers never queue behind the lock.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from saleor.tests.utils import prepare_test_db_connections

# Threads wait at most this long for each other and for the database; a hang
# fails the test instead of blocking the run.
THREAD_TIMEOUT = 60


def _in_thread(fn: Callable[[], Any]) -> Any:
    # The fake replica Saleor's test setup installs is per thread, so it is
    # installed again; an exception becomes the worker's result.
    prepare_test_db_connections()
    try:
        return fn()
    except BaseException as error:  # reported to the test, not swallowed
        return error
    finally:
        connections.close_all()


class Worker(threading.Thread):
    """One caller in a thread of its own, with its own database connections."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.fn = fn
        self.result: Any = None

    def run(self) -> None:
        self.result = _in_thread(self.fn)

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

    An exception is returned in place of a result.
    """
    barrier = threading.Barrier(len(calls) + 1)

    def released(fn: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            barrier.wait(timeout=THREAD_TIMEOUT)
            return fn()

        return run

    workers = [spawn(released(fn)) for fn in calls]
    try:
        barrier.wait(timeout=THREAD_TIMEOUT)
        if before_release is not None:
            before_release()
    finally:
        for worker in workers:  # none outlives the test, even a failed one
            worker.join(timeout=THREAD_TIMEOUT)
    return [worker.outcome() for worker in workers]


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
        assert self.cursor.fetchone(), f"no {table} row with {column} = {value}"
        self.released = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        self.cursor.execute("COMMIT")
        self.cursor.close()
        self.connection.close()


def queue_behind(lock: RowLock, calls: list[Callable[[], Any]]) -> list[Any]:
    """Start the calls one after another, each only once the previous one waits
    for `lock`, then release it: the calls get the row in exactly this order."""
    workers = []
    try:
        for index, fn in enumerate(calls):
            workers.append(spawn(fn))
            wait_for_lock_waiters(index + 1)
    finally:
        lock.release()
        # Even when the race did not happen, no worker outlives the test (its
        # open transaction would block the tables' cleanup).
        for worker in workers:
            worker.join(timeout=THREAD_TIMEOUT)
    return [worker.outcome() for worker in workers]


def lock_waiters() -> int:
    """How many other connections of this database wait for a lock."""
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
    """Wait until `count` callers queue behind a lock; fail the test if they
    never do (the race would otherwise quietly run sequentially)."""
    deadline = time.monotonic() + timeout
    waiting = lock_waiters()
    while waiting < count:
        if time.monotonic() >= deadline:
            pytest.fail(
                f"only {waiting} of {count} callers queued behind the lock within "
                f"{timeout} s: the race did not happen"
            )
        time.sleep(0.05)
        waiting = lock_waiters()
    return waiting
