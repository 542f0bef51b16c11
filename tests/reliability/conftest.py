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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.core.jwt import create_access_token
from saleor.order.models import Order, OrderEvent, OrderLine

from saleor_cart_takeover.models import (
    CopiedLine,
    TakeoverEvent,
    TakeoverGrant,
    TakeoverSession,
)

from ..builders import create_draft, make_csr
from ..clients import call
from ..operations import START
from ..storefront import Shopper


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
    # Ids a fixture adds for its tests (`hostile_world`: the session, its line,
    # and another shopper's cart, draft and line).
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def checkout_id(self) -> str:
        return self.cart["id"]

    def start(self) -> dict:
        answer = call(
            self.token, START, {"draft": self.draft_id, "checkout": self.checkout_id}
        )
        payload = answer.result("takeoverStart")
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
