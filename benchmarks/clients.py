"""Calling Saleor's API and the plugin's endpoint in-process, through Django's
full request stack (URL routing, middleware, the plugin manager, JWT checks),
counting SQL queries on both database aliases and timing each call."""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import graphene
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from saleor.account.models import User
from saleor.core.jwt import create_access_token

from saleor_cart_takeover import PLUGIN_ID

from .documents import SALEOR_API

PLUGIN_API = f"/plugins/global/{PLUGIN_ID}/graphql/"


def gid(type_name: str, pk: Any) -> str:
    return graphene.Node.to_global_id(type_name, pk)


def pk_of(global_id: str) -> str:
    return graphene.Node.from_global_id(global_id)[1]


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclass
class QueryLog:
    queries: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """The queries, as the test suite's budgets count them: transaction
        control (BEGIN, COMMIT, SAVEPOINT, RELEASE) is not a query."""
        return sum(not sql.startswith(TRANSACTION_CONTROL) for sql in self.queries)


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Every SQL statement on the writer and the replica alias.

    Saleor sends many reads to the replica alias; outside pytest that is a
    connection of its own, so counting only `default` would under-count.
    """
    log = QueryLog()
    # Saleor's own settings, unknown to Django's type stubs.
    aliases = [
        getattr(settings, "DATABASE_CONNECTION_DEFAULT_NAME", "default"),
        getattr(settings, "DATABASE_CONNECTION_REPLICA_NAME", "replica"),
    ]
    with ExitStack() as stack:
        contexts = [
            stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in aliases
        ]
        yield log
    for context in contexts:
        log.queries += [query["sql"] for query in context.captured_queries]


@dataclass
class Measurement:
    seconds: float
    queries: int | None
    body: dict
    # CPU time of this thread alone: on a shared machine it hardly moves with
    # what else runs, unlike wall time (which still includes PostgreSQL's work).
    cpu_seconds: float = 0.0
    status: int = 200
    # The counted round's statements, cut short: where the queries go.
    statements: list[str] = field(default_factory=list)


class ApiError(AssertionError):
    pass


def check(body: dict, field_name: str | None = None) -> dict:
    """The payload of `field_name`, failing loudly on any kind of error."""
    if body.get("errors"):
        raise ApiError(json.dumps(body["errors"])[:2000])
    data = body["data"]
    if field_name is None:
        return data
    payload = data[field_name]
    if isinstance(payload, dict) and payload.get("errors"):
        raise ApiError(f"{field_name}: {payload['errors']}")
    return payload


class Caller:
    """Posts GraphQL to one of the two endpoints as a user (or anonymously)."""

    def __init__(self, path: str, user: User | None = None) -> None:
        self.path = path
        self.user = user
        self.client = Client()

    def _headers(self) -> dict[str, str]:
        # Access tokens live 5 minutes; a fresh one per call keeps long runs valid
        # and is minted outside the measured part.
        if self.user is None:
            return {}
        return {"Authorization": f"Bearer {create_access_token(self.user)}"}

    def post(self, query: str, variables: dict[str, Any]) -> dict:
        return self.measure(query, variables, count=False).body

    def call(self, query: str, variables: dict[str, Any], field_name: str) -> dict:
        return check(self.post(query, variables), field_name)

    def measure(
        self,
        query: str,
        variables: dict[str, Any],
        *,
        count: bool,
        expect_status: int = 200,
    ) -> Measurement:
        headers = self._headers()
        data = json.dumps({"query": query, "variables": variables})
        with ExitStack() as stack:
            log = stack.enter_context(count_queries()) if count else None
            cpu_started = time.thread_time()
            started = time.perf_counter()
            response = self.client.post(
                self.path, data, content_type="application/json", headers=headers
            )
            seconds = time.perf_counter() - started
            cpu_seconds = time.thread_time() - cpu_started
        if response.status_code != expect_status:
            raise ApiError(f"HTTP {response.status_code}: {response.content[:500]!r}")
        return Measurement(
            seconds,
            log.count if log else None,
            response.json(),
            cpu_seconds,
            response.status_code,
            _shortened(log.queries) if log else [],
        )


def measure_callable(fn: Callable[[], Any], *, count: bool) -> Measurement:
    """Time (and optionally count) a plain Python call, e.g. a domain function."""
    with ExitStack() as stack:
        log = stack.enter_context(count_queries()) if count else None
        cpu_started = time.thread_time()
        started = time.perf_counter()
        fn()
        seconds = time.perf_counter() - started
        cpu_seconds = time.thread_time() - cpu_started
    return Measurement(
        seconds,
        log.count if log else None,
        {},
        cpu_seconds,
        statements=_shortened(log.queries) if log else [],
    )


def _shortened(queries: list[str]) -> list[str]:
    """Each statement's first 160 characters: enough to tell them apart."""
    return [" ".join(query.split())[:160] for query in queries]


def saleor(user: User | None = None) -> Caller:
    return Caller(SALEOR_API, user)


def plugin(user: User | None = None) -> Caller:
    return Caller(PLUGIN_API, user)
