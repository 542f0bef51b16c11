"""Saleor's production shape, with the README's settings: 3 uvicorn workers on
`saleor.asgi:application`, Redis as cache and broker, a Celery worker and beat
with Saleor's DatabaseScheduler (tests/deployment.py).

Through them: the rate limits hold across workers; one session wins a race
started on different workers; and, with no request at all, beat expires an
idle session and repairs a reconciliation that failed when the shopper
checked out. Runs in the full suite (CI's Saleor 3.23 leg), not in `-m core`.
"""

import threading
import time
from collections.abc import Iterator

import pytest

from .clients import LiveClient
from .deployment import (
    SaleorDeployment,
    fresh_database,
    redis_server,
    redis_server_binary,
    wait_for,
)
from .ids import gid, pk_of
from .live_server import LiveSaleor, unavailable
from .operations import COPY, START
from .storefront import ADDRESS, BILLING_ADDRESS, COMPLETE, DELIVERY, SHIPPING_ADDRESS

SESSIONS = "saleor_cart_takeover_takeoversession"
CART_BY_CODE = "query($code: String!) { cartByCode(code: $code) { id } }"
CONFIGURE = """
mutation($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) { errors { field code message } }
}"""
# The README's schedule, every 2 seconds instead of every 5 minutes, so the
# test need not wait for beat's real period.
FAST_BEAT = """
import datetime as _datetime

CELERY_BEAT_SCHEDULE["cart-takeover-expire-sessions"] = {
    **CART_TAKEOVER_BEAT_SCHEDULE["cart-takeover-expire-sessions"],
    "schedule": _datetime.timedelta(seconds=2),
    "options": {"expires": 2},
}
"""
WORKERS = 3

pytestmark = pytest.mark.deployment


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker) -> Iterator[SaleorDeployment]:
    import os

    if redis_server_binary() is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    prefix = os.environ.get("CART_TAKEOVER_E2E_DB", "cart_takeover_e2e") + "_deploy"
    with (
        django_db_blocker.unblock(),
        fresh_database(prefix) as db_url,
        redis_server() as redis,
        SaleorDeployment(
            db_url, redis, workers=WORKERS, settings_extra=FAST_BEAT
        ) as saleor,
    ):
        yield saleor


def test_production_shape(deployment: SaleorDeployment):
    saleor = deployment
    seed = saleor.seed()
    live = LiveSaleor(
        url=saleor.urls[0], api=saleor.api(), seed=seed, db_url=saleor.database_url,
        env=saleor.env,
    )  # fmt: skip
    password = seed["password"]
    admin = saleor.login(seed["admin"], password)
    # The shortest timeout a merchant can set: 1 minute.
    configured = admin.post(
        CONFIGURE,
        {
            "id": "saleor.cart_takeover",
            "input": {
                "configuration": [{"name": "session_timeout_minutes", "value": "1"}]
            },
        },
    )
    assert configured.payload("pluginUpdate")

    reps = [
        (live.client(email), worker)
        # The seed's CSR, three times: three drafts, each started on its own worker
        # (the seed's admin has no group, hence no channel, for draftOrderCreate).
        for worker, email in enumerate([seed["csr"]] * WORKERS)
    ]
    shopper = live.client(seed["shopper"])
    customer = gid("User", seed["shopper_id"])
    mug = seed["mug"]["variants"]["Small"]

    # 1. An idle session: nobody touches it again; beat must expire it.
    csr = reps[0][0]
    idle_cart = live.create_cart(shopper, seed["shopper"], {mug: 1})
    idle = _start(
        saleor, csr, live.create_draft(csr, user=customer), idle_cart["id"], 0
    )
    assert idle["status"] == "ACTIVE"

    # 2. Three reps race for one cart, each on a different worker.
    contested = live.create_cart(
        LiveClient(saleor.api()), "guest@example.com", {mug: 1}
    )
    drafts = [live.create_draft(rep) for rep, _ in reps]
    barrier = threading.Barrier(len(reps))
    answers: list[dict] = [{}] * len(reps)

    def race(index: int) -> None:
        rep, worker = reps[index]
        barrier.wait(timeout=30)
        answers[index] = (
            LiveClient(saleor.plugin_api(worker), rep.token)
            .post(START, {"draft": drafts[index], "checkout": contested["id"]})
            .result("takeoverStart")
        )

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(reps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [a["session"] for a in answers if a.get("session")]
    losers = [e["code"] for a in answers for e in a.get("errors", [])]
    assert len(winners) == 1, answers
    assert losers == ["ALREADY_TAKEN_OVER"] * (len(reps) - 1), answers
    assert saleor.sql(
        f"SELECT count(*) FROM {SESSIONS} WHERE checkout_token = %s"
        " AND status IN ('active', 'pending')",
        contested["token"],
    ) == [(1,)]

    # 3. Code lookups by one rep, spread over the workers: the limit is 30 in
    # a 10-minute window, counted in Redis whichever worker answers.
    _not_at_a_window_edge(600)
    manager = reps[1][0]  # starts count apart from lookups
    refused = 0
    for attempt in range(40):
        worker = attempt % WORKERS
        answer = LiveClient(saleor.plugin_api(worker), manager.token).post(
            CART_BY_CODE, {"code": f"{attempt:08X}"}
        )
        assert answer.status == 200
        refused += answer.error_codes == ["RATE_LIMITED"]
    assert refused == 10

    # 4. A reconciliation that fails: the rep copies the cart and hands it
    # back, the shopper checks out while the plugin cannot write its session.
    cart = live.create_cart(shopper, seed["shopper"], {mug: 2})
    draft = live.create_draft(csr, user=customer)
    session = _start(saleor, csr, draft, cart["id"], 1)
    LiveClient(saleor.plugin_api(1), csr.token).post(
        COPY, {"session": session["id"], "handBack": True}
    ).payload("takeoverCopyToDraft")
    address = {"id": cart["id"], "address": ADDRESS}
    shopper.post(SHIPPING_ADDRESS, address).payload("checkoutShippingAddressUpdate")
    shopper.post(BILLING_ADDRESS, address).payload("checkoutBillingAddressUpdate")
    method = gid("ShippingMethod", seed["shipping_method_id"])
    shopper.post(DELIVERY, {"id": cart["id"], "method": method}).payload(
        "checkoutDeliveryMethodUpdate"
    )
    with _failing_session_updates(saleor):
        order = (
            LiveClient(saleor.api(2), shopper.token)
            .post(COMPLETE, {"id": cart["id"]})
            .payload("checkoutComplete")["order"]
        )
    assert _status(saleor, session["id"]) == "ended"  # not reconciled
    assert saleor.sql("SELECT 1 FROM order_order WHERE id = %s", pk_of(draft))

    # 5. No more requests: beat alone completes the session (its draft
    # retired) and expires the idle one once its minute is up.
    wait_for(
        "beat completing the session whose reconciliation failed",
        lambda: _status(saleor, session["id"]) == "completed",
        timeout=60,
    )
    [(order_id,)] = saleor.sql(
        f"SELECT order_id FROM {SESSIONS} WHERE id = %s", pk_of(session["id"])
    )
    assert str(order_id) == pk_of(order["id"])
    assert not saleor.sql("SELECT 1 FROM order_order WHERE id = %s", pk_of(draft))
    wait_for(
        "beat expiring the idle session",
        lambda: _status(saleor, idle["id"]) == "expired",
        timeout=120,
    )
    assert "expire_takeover_sessions_task" in saleor.log("celery-worker")


def _start(
    saleor: SaleorDeployment, rep: LiveClient, draft: str, checkout: str, worker: int
) -> dict:
    return (
        LiveClient(saleor.plugin_api(worker), rep.token)
        .post(START, {"draft": draft, "checkout": checkout})
        .payload("takeoverStart")["session"]
    )


def _status(saleor: SaleorDeployment, session_id: str) -> str:
    [(status,)] = saleor.sql(
        f"SELECT status FROM {SESSIONS} WHERE id = %s", pk_of(session_id)
    )
    return status


def _not_at_a_window_edge(window: int) -> None:
    """Fixed windows start again every `window` seconds: begin a count at
    least 30 s before the next edge (waiting at most 30 s)."""
    left = window - time.time() % window
    if left < 30:
        time.sleep(left + 0.5)


class _failing_session_updates:
    """A PostgreSQL trigger rejecting every update of a takeover session (a
    real database error inside the plugin's reconciliation), then removed."""

    def __init__(self, saleor: SaleorDeployment):
        self.saleor = saleor

    def __enter__(self) -> None:
        self.saleor.sql(
            "CREATE OR REPLACE FUNCTION deployment_fail() RETURNS trigger"
            " LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'injected failure'; END$$"
        )
        self.saleor.sql(
            f"CREATE TRIGGER deployment_fail BEFORE UPDATE ON {SESSIONS}"
            " FOR EACH ROW EXECUTE FUNCTION deployment_fail()"
        )

    def __exit__(self, *exc: object) -> None:
        self.saleor.sql(f"DROP TRIGGER IF EXISTS deployment_fail ON {SESSIONS}")
        self.saleor.sql("DROP FUNCTION IF EXISTS deployment_fail()")
