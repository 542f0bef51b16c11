"""Item 4: CSRs and shoppers at the same time, against Saleor under uvicorn.

Saleor is served by uvicorn on 127.0.0.1 (loopback only) from a child process
using the run database. Each CSR and each shopper is a client thread with its
own HTTP session. Everything is bounded: a fixed number of iterations per
client and a wall-clock deadline after which no new step starts.

CSRs: for a customer's prepared cart, create a draft (Saleor's
draftOrderCreate), take the cart over, add a configured line, change a
quantity, read the cart, and "Add Items to Order" with hand-back.
Shoppers: create a cart (checkoutCreate), add and update lines, set addresses
and delivery, and checkoutComplete.

Afterwards the database is checked: every draft equals its cart at copy time
and every shopper order has exactly its cart's lines, none lost or doubled.

As Saleor runs in production (issue 21): 3 uvicorn workers with Redis as the
cache (a redis-server of the run's own, `tests/deployment.py`). Then the same
shoppers' traffic runs alone twice, with the plugin active and inactive, for
the ratio of what the plugin costs the storefront under load.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import requests
from saleor.account.models import User
from saleor.checkout.models import Checkout
from saleor.core.jwt import create_access_token
from saleor.order.models import Order

from saleor_cart_takeover import PLUGIN_ID
from saleor_cart_takeover.lines.attribution import configuration, is_by_customer_service

from . import builders, documents
from .builders import Shop
from .clients import gid, pk_of
from .stats import median, ms, percentile

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Options:
    csrs: int = 20
    shoppers: int = 50
    csr_iterations: int = 3
    shopper_iterations: int = 2
    deadline_seconds: float = 600.0
    workers: int = 3
    # Saleor's cache in Redis, as production runs it; off: Saleor's default.
    redis: bool = True
    # Requests each uvicorn worker runs at once (see benchmarks/asgi.py).
    in_flight: int = 4
    request_timeout: float = 120.0


@dataclass
class Recorder:
    """Latencies and errors per operation, shared by all client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, op: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[op].append(seconds)
            if error:
                self.errors[op].append(error[:300])


class ConnectionMonitor(threading.Thread):
    """Samples how many connections the run database has, once a second.

    The PostgreSQL server may be shared; the peak shows the benchmark stayed
    within its share.
    """

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.peak = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        name = database_url_name(self.database_url)
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self._stopped.wait(1.0):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
                ).fetchone()
                self.peak = max(self.peak, row[0] if row else 0)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


def database_url_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


class StepFailed(Exception):
    pass


class Client:
    """One CSR or shopper: a keep-alive HTTP session and a fresh token per call."""

    def __init__(
        self, base: str, user: User, recorder: Recorder, timeout: float
    ) -> None:
        self.base = base
        self.user = user
        self.recorder = recorder
        self.timeout = timeout
        self.http = requests.Session()

    def call(
        self, op: str, path: str, query: str, variables: dict, field_name: str
    ) -> dict:
        headers = {"Authorization": f"Bearer {create_access_token(self.user)}"}
        started = time.perf_counter()
        error = None
        payload: dict = {}
        try:
            response = self.http.post(
                self.base + path,
                json={"query": query, "variables": variables},
                headers=headers,
                timeout=self.timeout,
            )
            if response.status_code != 200:
                error = f"HTTP {response.status_code}: {response.text[:200]}"
            else:
                body = response.json()
                if body.get("errors"):
                    error = f"GraphQL: {body['errors']}"
                else:
                    payload = body["data"][field_name] or {}
                    if payload.get("errors"):
                        error = f"{field_name}: {payload['errors']}"
        except (requests.RequestException, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.recorder.record(op, time.perf_counter() - started, error)
        if error:
            raise StepFailed(error)
        return payload


@dataclass
class CsrTask:
    customer: User
    checkout_token: str
    # What the cart holds: variant pk -> (quantity, metadata); kept by the client.
    expected: dict[int, tuple[int, dict[str, str]]]
    draft_id: str | None = None
    copied: bool = False
    # The variants whose lines the rep added or changed.
    by_csr: set[int] = field(default_factory=set)


@dataclass
class ShopperTask:
    checkout_token: str | None = None
    expected: dict[int, int] = field(default_factory=dict)
    order_id: str | None = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    database_url: str,
    options: Options,
    log: Callable[[str], None],
    cache_url: str | None = None,
) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": str(REPO),
        "BENCH_MAX_IN_FLIGHT": str(options.in_flight),
    }
    if cache_url:
        # Saleor's settings read the cache from CACHE_URL (django-cache-url).
        env["CACHE_URL"] = cache_url
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            if requests.get(base + "/health/", timeout=2).status_code == 200:
                log(
                    f"  uvicorn ({options.workers} workers, {options.in_flight} "
                    f"requests in flight each) is up at {base}"
                )
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("uvicorn did not become healthy in 120 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


PLUGIN_PATH = f"/plugins/global/{PLUGIN_ID}/graphql/"


def run_csr(
    client: Client, shop: Shop, tasks: list[CsrTask], extra_variants: list, stop: float
) -> None:
    for index, task in enumerate(tasks):
        if time.monotonic() > stop:
            return
        try:
            task.draft_id = client.call(
                "draftOrderCreate",
                documents.SALEOR_API,
                documents.DRAFT_ORDER_CREATE,
                {
                    "input": {
                        "channelId": gid("Channel", shop.channel.pk),
                        "user": gid("User", task.customer.pk),
                    }
                },
                "draftOrderCreate",
            )["order"]["id"]
            session = client.call(
                "takeoverStart",
                PLUGIN_PATH,
                documents.TAKEOVER_START,
                {
                    "draft": task.draft_id,
                    "checkout": gid("Checkout", task.checkout_token),
                },
                "takeoverStart",
            )["session"]
            variant = extra_variants[index % len(extra_variants)]
            engraving = {"engraving": f"{client.user.email} #{index}"}
            lines = client.call(
                "takeoverLinesAdd",
                PLUGIN_PATH,
                documents.TAKEOVER_LINES_ADD,
                {
                    "session": session["id"],
                    "lines": [
                        {
                            "variantId": gid("ProductVariant", variant.pk),
                            "quantity": 1,
                            "metadata": [
                                {"key": k, "value": v} for k, v in engraving.items()
                            ],
                        }
                    ],
                },
                "takeoverLinesAdd",
            )["session"]["cart"]["lines"]
            task.expected[variant.pk] = (1, engraving)
            task.by_csr.add(variant.pk)
            first = lines[0]
            first_variant = int(pk_of(first["variantId"]))
            client.call(
                "takeoverLinesUpdate",
                PLUGIN_PATH,
                documents.TAKEOVER_LINES_UPDATE,
                {
                    "session": session["id"],
                    "lines": [{"lineId": first["id"], "quantity": 4}],
                },
                "takeoverLinesUpdate",
            )
            task.expected[first_variant] = (4, task.expected[first_variant][1])
            task.by_csr.add(first_variant)
            client.call(
                "takeoverSession (cart view)",
                PLUGIN_PATH,
                documents.CART_VIEW,
                {"id": session["id"]},
                "takeoverSession",
            )
            client.call(
                "takeoverCopyToDraft",
                PLUGIN_PATH,
                documents.TAKEOVER_COPY,
                {"session": session["id"], "handBack": True},
                "takeoverCopyToDraft",
            )
            task.copied = True
        except StepFailed:
            continue


def run_shopper(
    client: Client, shop: Shop, tasks: list[ShopperTask], variants: list, stop: float
) -> None:
    for index, task in enumerate(tasks):
        if time.monotonic() > stop:
            return
        first, second, third = (
            variants[(index * 3 + k) % len(variants)] for k in range(3)
        )
        try:
            checkout = client.call(
                "checkoutCreate",
                documents.SALEOR_API,
                documents.CHECKOUT_CREATE,
                {
                    "input": {
                        "channel": shop.channel.slug,
                        "lines": [
                            {
                                "variantId": gid("ProductVariant", first.pk),
                                "quantity": 1,
                            },
                            {
                                "variantId": gid("ProductVariant", second.pk),
                                "quantity": 2,
                            },
                        ],
                    }
                },
                "checkoutCreate",
            )["checkout"]
            task.checkout_token = checkout["token"]
            task.expected = {first.pk: 1, second.pk: 2}
            cart_id = checkout["id"]
            lines = client.call(
                "checkoutLinesAdd",
                documents.SALEOR_API,
                documents.CHECKOUT_LINES_ADD,
                {
                    "id": cart_id,
                    "lines": [
                        {"variantId": gid("ProductVariant", third.pk), "quantity": 1}
                    ],
                },
                "checkoutLinesAdd",
            )["checkout"]["lines"]
            task.expected[third.pk] = 1
            line = next(
                line
                for line in lines
                if line["variant"]["id"] == gid("ProductVariant", first.pk)
            )
            client.call(
                "checkoutLinesUpdate",
                documents.SALEOR_API,
                documents.CHECKOUT_LINES_UPDATE,
                {"id": cart_id, "lines": [{"lineId": line["id"], "quantity": 3}]},
                "checkoutLinesUpdate",
            )
            task.expected[first.pk] = 3
            for op, query, extra in (
                (
                    "checkoutShippingAddressUpdate",
                    documents.CHECKOUT_SHIPPING_ADDRESS,
                    {"address": builders.ADDRESS_INPUT},
                ),
                (
                    "checkoutBillingAddressUpdate",
                    documents.CHECKOUT_BILLING_ADDRESS,
                    {"address": builders.ADDRESS_INPUT},
                ),
                (
                    "checkoutDeliveryMethodUpdate",
                    documents.CHECKOUT_DELIVERY,
                    {"method": gid("ShippingMethod", shop.shipping_method.pk)},
                ),
            ):
                client.call(
                    op, documents.SALEOR_API, query, {"id": cart_id, **extra}, op
                )
            task.order_id = client.call(
                "checkoutComplete",
                documents.SALEOR_API,
                documents.CHECKOUT_COMPLETE,
                {"id": cart_id},
                "checkoutComplete",
            )["order"]["id"]
        except StepFailed:
            continue


def verify(
    csr_tasks: list[CsrTask], shopper_tasks: list[ShopperTask]
) -> dict[str, Any]:
    """Zero lost or duplicated lines, checked in the database after the run.

    Draft lines are compared by configuration (line metadata without the
    plugin's reserved keys, as `reconciliation` matches lines): the copy
    carries the attribution `cart_takeover.source` onto the lines the rep
    added or changed (as Saleor carries line metadata onto order lines), which
    the cart handed back no longer backs. That attribution is checked on its
    own: on exactly the lines the rep touched.
    """
    problems: list[str] = []
    drafts_checked = orders_checked = 0
    for task in csr_tasks:
        if not task.copied or task.draft_id is None:
            continue
        drafts_checked += 1
        draft = Order.objects.get(pk=pk_of(task.draft_id))
        draft_lines = list(draft.lines.all())
        variants = [line.variant_id for line in draft_lines]
        if len(variants) != len(set(variants)):
            problems.append(f"draft {draft.number}: duplicated lines {variants}")
        got = {
            line.variant_id: (line.quantity, configuration(line.metadata))
            for line in draft_lines
        }
        if got != task.expected:
            problems.append(f"draft {draft.number}: {got} != cart {task.expected}")
        attributed = {
            line.variant_id
            for line in draft_lines
            if is_by_customer_service(line.metadata)
        }
        if attributed != task.by_csr:
            problems.append(
                f"draft {draft.number}: attributed to customer service "
                f"{sorted(attributed)} != changed by the rep {sorted(task.by_csr)}"
            )
        cart = Checkout.objects.filter(pk=task.checkout_token).first()
        if cart is None:
            problems.append(f"draft {draft.number}: its cart disappeared")
            continue
        in_cart = {
            line.variant_id: (line.quantity, configuration(line.metadata))
            for line in cart.lines.all()
        }
        if in_cart != got:
            problems.append(f"draft {draft.number}: cart now {in_cart} != draft {got}")
    for shopper_task in shopper_tasks:
        if shopper_task.order_id is None:
            continue
        orders_checked += 1
        order = Order.objects.get(pk=pk_of(shopper_task.order_id))
        order_lines = list(order.lines.all())
        variants = [line.variant_id for line in order_lines]
        if len(variants) != len(set(variants)):
            problems.append(f"order {order.number}: duplicated lines {variants}")
        got_quantities = {line.variant_id: line.quantity for line in order_lines}
        if got_quantities != shopper_task.expected:
            problems.append(
                f"order {order.number}: {got_quantities} != cart "
                f"{shopper_task.expected}"
            )
        same_cart = Order.objects.filter(
            checkout_token=shopper_task.checkout_token
        ).count()
        if same_cart != 1:
            problems.append(
                f"checkout {shopper_task.checkout_token}: {same_cart} orders"
            )
    return {
        "drafts_checked": drafts_checked,
        "orders_checked": orders_checked,
        "problems": problems,
    }


def _drive(
    base: str,
    options: Options,
    shop: Shop,
    csr_clients: list[tuple[User, list[CsrTask]]],
    shopper_clients: list[tuple[User, list[ShopperTask]]],
    extra_variants: list,
    shopper_variants: list,
) -> tuple[Recorder, float]:
    """Every client on a thread of its own, until each is done or the deadline."""
    recorder = Recorder()
    started = time.monotonic()
    stop = started + options.deadline_seconds
    threads = [
        threading.Thread(
            target=run_csr,
            args=(
                Client(base, user, recorder, options.request_timeout),
                shop,
                tasks,
                extra_variants,
                stop,
            ),
        )
        for user, tasks in csr_clients
    ] + [
        threading.Thread(
            target=run_shopper,
            args=(
                Client(base, user, recorder, options.request_timeout),
                shop,
                tasks,
                shopper_variants,
                stop,
            ),
        )
        for user, tasks in shopper_clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - started


def _operations(recorder: Recorder) -> dict[str, dict[str, Any]]:
    return {
        op: {
            "count": len(values),
            "errors": len(recorder.errors.get(op, [])),
            "p50_ms": ms(median(values)),
            "p95_ms": ms(percentile(values, 0.95)),
            "max_ms": ms(max(values)),
        }
        for op, values in recorder.latencies.items()
    }


def _shoppers_alone(
    base: str,
    options: Options,
    shop: Shop,
    shoppers: list[User],
    variants: list,
    log: Callable[[str], None],
    label: str,
) -> dict[str, Any]:
    """The same shoppers' traffic with no CSR beside it."""
    clients = [
        (user, [ShopperTask() for _ in range(options.shopper_iterations)])
        for user in shoppers
    ]
    recorder, elapsed = _drive(base, options, shop, [], clients, [], variants)
    tasks = [task for _, tasks in clients for task in tasks]
    check = verify([], tasks)
    total = sum(len(values) for values in recorder.latencies.values())
    result = {
        "elapsed_s": elapsed,
        "requests": total,
        "throughput_rps": total / elapsed,
        "orders": sum(task.order_id is not None for task in tasks),
        "orders_planned": len(tasks),
        "errors": sum(len(v) for v in recorder.errors.values()),
        "error_samples": [e for v in recorder.errors.values() for e in v][:10],
        "operations": _operations(recorder),
        "check": check,
    }
    log(
        f"  shoppers alone, plugin {label}: {total} requests in {elapsed:.1f} s "
        f"({result['throughput_rps']:.1f}/s), {result['orders']}/"
        f"{result['orders_planned']} orders, {result['errors']} errors, "
        f"{len(check['problems'])} line problems"
    )
    return result


def _plugin_ratio(active: dict[str, Any], inactive: dict[str, Any]) -> dict:
    """Plugin active over inactive, for the shoppers' traffic alone."""
    ops = {}
    for op, on in active["operations"].items():
        off = inactive["operations"].get(op)
        if off and off["p50_ms"] and off["p95_ms"]:
            ops[op] = {
                "p50": on["p50_ms"] / off["p50_ms"],
                "p95": on["p95_ms"] / off["p95_ms"],
            }
    return {
        "throughput": active["throughput_rps"] / inactive["throughput_rps"],
        "operations": ops,
    }


@contextlib.contextmanager
def _cache(options: Options, log: Callable[[str], None]) -> Any:
    """Redis as Saleor's cache when asked and installed; None: Saleor's default."""
    if not options.redis:
        yield None
        return
    # The deployment tests' harness: a redis-server of our own, nothing kept.
    from tests.deployment import redis_server, redis_server_binary

    if redis_server_binary() is None:
        log("  redis-server is not installed: Saleor's default cache instead")
        yield None
        return
    with redis_server() as redis:
        yield redis.url(0)


def run(
    shop: Shop, database_url: str, options: Options, log: Callable[[str], None]
) -> dict[str, Any]:
    # Setup, untimed: CSRs with prepared customer carts, shoppers with accounts.
    # The CSRs' carts use variants the shoppers do not, and vice versa, so the
    # only contention is the one a real shop has: stock rows, order numbers.
    csr_variants, extra_variants = shop.variants[:10], shop.variants[10:20]
    shopper_variants = shop.variants[20:40]
    csr_clients: list[tuple[User, list[CsrTask]]] = []
    for c in range(options.csrs):
        csr = builders.make_csr(f"load-csr-{c}@example.com")
        tasks = []
        for i in range(options.csr_iterations):
            customer = builders.make_customer(f"load-customer-{c}-{i}@example.com")
            picked = [csr_variants[(c + i + k) % len(csr_variants)] for k in range(3)]
            cart = builders.make_cart(shop, customer, picked)
            expected = {
                line.variant_id: (line.quantity, line.metadata)
                for line in cart.lines.all()
            }
            tasks.append(CsrTask(customer, str(cart.pk), expected))
        csr_clients.append((csr, tasks))
    shopper_clients = [
        (
            builders.make_customer(f"load-shopper-{s}@example.com"),
            [ShopperTask() for _ in range(options.shopper_iterations)],
        )
        for s in range(options.shoppers)
    ]

    with _cache(options, log) as cache_url:
        process, base = start_server(database_url, options, log, cache_url)
        monitor = ConnectionMonitor(database_url)
        monitor.start()
        try:
            recorder, elapsed = _drive(
                base,
                options,
                shop,
                csr_clients,
                shopper_clients,
                extra_variants,
                shopper_variants,
            )
            # The same shoppers again, alone: the plugin on, then off.
            shoppers = [user for user, _ in shopper_clients]
            alone_active = _shoppers_alone(
                base, options, shop, shoppers, shopper_variants, log, "active"
            )
            builders.set_plugin_active(shop, False)
            try:
                alone_inactive = _shoppers_alone(
                    base, options, shop, shoppers, shopper_variants, log, "inactive"
                )
            finally:
                builders.set_plugin_active(shop, True)
        finally:
            stop_server(process)
            monitor.stop()

    all_csr_tasks = [task for _, tasks in csr_clients for task in tasks]
    all_shopper_tasks = [task for _, tasks in shopper_clients for task in tasks]
    check = verify(all_csr_tasks, all_shopper_tasks)
    total = sum(len(values) for values in recorder.latencies.values())
    result = {
        "options": options.__dict__,
        "cache": "redis" if cache_url else "default",
        "elapsed_s": elapsed,
        "requests": total,
        "throughput_rps": total / elapsed,
        "copies": sum(task.copied for task in all_csr_tasks),
        "copies_planned": len(all_csr_tasks),
        "orders": sum(task.order_id is not None for task in all_shopper_tasks),
        "orders_planned": len(all_shopper_tasks),
        "errors": sum(len(v) for v in recorder.errors.values()),
        "error_samples": [e for v in recorder.errors.values() for e in v][:10],
        "operations": _operations(recorder),
        "check": check,
        "peak_db_connections": monitor.peak,
        "shoppers_alone": {"active": alone_active, "inactive": alone_inactive},
        "plugin_ratio": _plugin_ratio(alone_active, alone_inactive),
    }
    log(
        f"  {total} requests in {elapsed:.1f} s ({result['throughput_rps']:.1f}/s), "
        f"{result['copies']}/{result['copies_planned']} copies, "
        f"{result['orders']}/{result['orders_planned']} orders, "
        f"{result['errors']} errors, {len(check['problems'])} line problems"
    )
    return result
