"""A live Saleor with the plugin, served by uvicorn as the demo serves it, for
the browser suites (tests/dashboard: the real Dashboard; tests/e2e: a host page).

One server per test session, on a database of its own: a clone of the migrated
test database with a unique name per run, dropped afterwards. Ports come from
the OS and are handed over already bound (no window in which another process
could take them).
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from .builders import DRAFT_CREATE
from .clients import PLUGIN_ENDPOINT, PLUGIN_ROOT, LiveClient, post_http
from .ids import gid, pk_of
from .storefront import CHECKOUT_CREATE

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BUILT_MANIFEST = (
    REPO / "saleor_cart_takeover" / "static" / "dashboard" / "manifest.json"
)
# The life of the tokens Saleor mints for the Dashboard's extensions: 5 minutes,
# as in production, since the Dashboard fetches them when a page loads. Tests of
# expiry mint short-lived ones instead (LiveSaleor.mint_extension_token).
APP_TOKEN_TTL = int(os.environ.get("CART_TAKEOVER_E2E_APP_TOKEN_TTL", "300"))
PG: dict[str, Any] = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str) -> None:
    """Skip locally; in CI a missing browser or build is a failure, never a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    if not BUILT_MANIFEST.exists():
        unavailable(
            "dashboard pages not built (cd dashboard_extension && npm ci && npm run build)"
        )
    return CHROMIUM


def bound_socket(port: int = 0) -> socket.socket:
    """A listening socket on `port` (0: a port the OS chose), kept open until
    handed over."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    return sock


def _admin() -> psycopg.Connection:
    return psycopg.connect(dbname="postgres", autocommit=True, **PG)


def server_env(database_url: str) -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="saleor.settings",
        DATABASE_URL=database_url,
        DATABASE_URL_REPLICA=database_url,
        SECRET_KEY="e2e-" + uuid.uuid4().hex,
        RSA_PRIVATE_KEY=pem,
        DEBUG="True",
        JWT_TTL_APP_ACCESS=f"{APP_TOKEN_TTL} seconds",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ALLOWED_CLIENT_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(REPO),
    )
    return env


def _create_database(name: str, template: str) -> bool:
    """Clone the migrated test database into `name`; returns whether it still
    needs migrating (when the template stays busy, an empty one is created)."""
    from django.db import connections

    connections.close_all()  # our own connections to the template
    with _admin() as admin:
        for _ in range(20):
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return False
            except psycopg.errors.ObjectInUse:
                time.sleep(1)
        # The first full Saleor migration takes minutes.
        admin.execute(f'CREATE DATABASE "{name}"')
    return True


def _drop_database(name: str) -> None:
    with _admin() as admin:
        for _ in range(20):
            try:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.5)  # the server's connections are closing


@dataclass
class LiveSaleor:
    url: str
    api: str
    seed: dict[str, Any]
    db_url: str
    env: dict[str, str]

    @property
    def plugin(self) -> str:
        """Where the plugin serves its pages (under `dashboard/`)."""
        return f"{self.url}{PLUGIN_ROOT}"

    @property
    def plugin_api(self) -> str:
        return f"{self.url}{PLUGIN_ENDPOINT}"

    def client(self, email: str | None = None) -> LiveClient:
        """Saleor's API as `email` (with the seed's password), else anonymous."""
        anonymous = LiveClient(self.api)
        return anonymous.login(email, self.seed["password"]) if email else anonymous

    def plugin_client(self, staff: LiveClient) -> LiveClient:
        """The plugin's endpoint with a staff member's Saleor token."""
        return LiveClient(self.plugin_api, staff.token)

    def create_draft(self, staff: LiveClient, **customer: str) -> str:
        """The staff member's "Orders → Create order" in the seed's channel,
        through Saleor's API; returns the draft's id."""
        channel = gid("Channel", self.seed["channel_id"])
        return staff.post(
            DRAFT_CREATE, {"input": {"channelId": channel, **customer}}
        ).payload("draftOrderCreate")["order"]["id"]

    def create_cart(self, shopper: LiveClient, email: str, lines: dict[int, int]):
        """A storefront's `checkoutCreate` in the seed's channel: variant pk → quantity."""
        return shopper.post(
            CHECKOUT_CREATE,
            {
                "input": {
                    "channel": self.seed["channel"],
                    "email": email,
                    "lines": [
                        {"variantId": gid("ProductVariant", pk), "quantity": quantity}
                        for pk, quantity in lines.items()
                    ],
                }
            },
        ).payload("checkoutCreate")["checkout"]

    def order_lines(self, order_id: str) -> dict[str, tuple[int, dict]]:
        """An order's or a draft's lines as stored: SKU → (quantity, metadata)."""
        rows = self.sql(
            "SELECT product_sku, quantity, metadata FROM order_orderline"
            " WHERE order_id = %s",
            pk_of(order_id),
        )
        return {sku: (quantity, metadata) for sku, quantity, metadata in rows}

    def run(self, module: str, *args: str, **env: str) -> str:
        """Run a data-setup module (tests/e2e, tests/dashboard) with the
        server's settings; returns the last line it printed."""
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            env={**self.env, **env},
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def mint_extension_token(self, identifier: str, email: str, ttl: int) -> str:
        """An extension token as Saleor mints it for `email`, living `ttl` seconds."""
        return self.run(
            "tests.e2e.mint_token",
            identifier,
            email,
            JWT_TTL_APP_ACCESS=f"{ttl} seconds",
        )

    def sql(self, query: str, *params: Any) -> list[tuple]:
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(query, params).fetchall()


@contextlib.contextmanager
def database_clone(django_db_blocker, label: str) -> Iterator[str]:
    """A database of its own for one live server, migrated; dropped afterwards.
    Yields its DATABASE_URL."""
    from django.conf import settings

    template = settings.DATABASES["default"]["NAME"]
    base = os.environ.get("CART_TAKEOVER_E2E_DB", "cart_takeover_e2e")
    name = f"{base}{label}_{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        needs_migrating = _create_database(name, template)
    db_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        if needs_migrating:
            subprocess.run(
                [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
                env=server_env(db_url),
                cwd=REPO,
                check=True,
                timeout=900,
            )
        yield db_url
    finally:
        _drop_database(name)


@contextlib.contextmanager
def uvicorn(
    env: dict[str, str], log_name: str, port: int = 0
) -> Iterator[tuple[str, Any]]:
    """Saleor served as `scripts/demo` serves it: uvicorn, Saleor's ASGI app, on
    `port` (0: one the OS chose). Yields its base URL and process; its output
    goes to test-artifacts/."""
    sock = bound_socket(port)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    log = ARTIFACTS / log_name
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "saleor.asgi:application",
                "--fd",
                str(sock.fileno()),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=[sock.fileno()],
        )
        sock.close()
        try:
            yield url, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def live_saleor(chromium, django_db_setup, django_db_blocker) -> Iterator[LiveSaleor]:
    with running_saleor(django_db_blocker) as live:
        yield live


@contextlib.contextmanager
def running_saleor(
    django_db_blocker: Any,
    *,
    port: int = 0,
    suffix: str | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[LiveSaleor]:
    """A Saleor on `port` (0: one the OS chose) seeded with names ending in
    `suffix` (default: random), `env` added to its settings."""
    with database_clone(django_db_blocker, "") as db_url:
        env = {**server_env(db_url), **(env or {})}
        with uvicorn(env, "uvicorn.log", port) as (url, server):
            seeded = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tests.e2e.seed",
                    url,
                    suffix or uuid.uuid4().hex[:8],
                ],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if seeded.returncode:
                raise RuntimeError(f"Seeding the e2e database failed:\n{seeded.stderr}")
            seed = json.loads(seeded.stdout.strip().splitlines()[-1])
            wait_until_up(f"{url}/graphql/", server)
            yield LiveSaleor(
                url=url, api=f"{url}/graphql/", seed=seed, db_url=db_url, env=env
            )


def wait_until_up(api: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("uvicorn exited; see test-artifacts/uvicorn.log")
        try:
            if post_http(api, "{ shop { name } }", timeout=5).status == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("Saleor did not start within 2 minutes")


@pytest.fixture
def browser(chromium) -> Iterator[Any]:
    """Chromium, started per test: after Saleor's autouse fixtures have opened
    the test database, so Django never meets Playwright's event loop."""
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: on 2 busy cores a list can take
    # longer than Playwright's 5-second default to arrive.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
