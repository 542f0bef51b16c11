"""A live Saleor (uvicorn + PostgreSQL) with the plugin, a Dashboard stand-in and Chromium.

The server runs on its own database, cloned from the migrated test database
(or kept from an earlier run and migrated), so nothing here touches the
database the other tests use.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BUILT_MANIFEST = (
    REPO / "saleor_cart_takeover" / "static" / "dashboard" / "manifest.json"
)
DASHBOARD_TOKEN_TTL = 20
# One database per xdist worker, like pytest-django's test databases.
E2E_DB = os.environ.get("CART_TAKEOVER_E2E_DB", "cart_takeover_e2e") + (
    f"_{os.environ['PYTEST_XDIST_WORKER']}"
    if "PYTEST_XDIST_WORKER" in os.environ
    else ""
)
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    """Skip locally; in CI a missing browser or build is a failure, not a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"End-to-end tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install playwright)")
    if not BUILT_MANIFEST.exists():
        _unavailable(
            "dashboard pages not built (cd dashboard_extension && npm ci && npm run build)"
        )
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin() -> psycopg.Connection:
    return psycopg.connect(dbname="postgres", autocommit=True, **PG)


def _server_env(database_url: str) -> dict[str, str]:
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
        # Dashboard tokens live 5 minutes; 20 seconds lets a test outlive one and
        # show that a popup keeps working on its plugin session.
        JWT_TTL_APP_ACCESS=f"{DASHBOARD_TOKEN_TTL} seconds",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ALLOWED_CLIENT_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(REPO),
    )
    return env


def _prepare_database(template: str) -> bool:
    """Clone the migrated test database; else keep an earlier clone.

    Returns whether the database still needs migrating. Cloning needs the
    template to have no other connections; when another test run holds it,
    the previous clone is reused and migrated instead.
    """
    from django.db import connections

    connections.close_all()  # our own connections to the template
    fresh = f"{E2E_DB}_new"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        for _ in range(10):
            try:
                admin.execute(f'CREATE DATABASE "{fresh}" TEMPLATE "{template}"')
            except psycopg.errors.ObjectInUse:
                time.sleep(1)
                continue
            admin.execute(f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')
            admin.execute(f'ALTER DATABASE "{fresh}" RENAME TO "{E2E_DB}"')
            return False
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (E2E_DB,)
        ).fetchone()
        if not exists:
            # The first full Saleor migration takes minutes; later ones seconds.
            admin.execute(f'CREATE DATABASE "{E2E_DB}"')
    return True


@dataclass
class LiveSaleor:
    url: str
    api: str
    seed: dict[str, Any]
    db_url: str

    @property
    def plugin(self) -> str:
        return f"{self.url}/plugins/global/saleor.cart_takeover"

    def sql(self, query: str, *params: Any) -> list[tuple]:
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(query, params).fetchall()


@pytest.fixture(scope="session")
def live_saleor(chromium, django_db_setup, django_db_blocker) -> Iterator[LiveSaleor]:
    from django.conf import settings

    template = settings.DATABASES["default"]["NAME"]
    with django_db_blocker.unblock():
        needs_migrating = _prepare_database(template)
    db_url = f"postgres://postgres@127.0.0.1:5432/{E2E_DB}"
    env = _server_env(db_url)
    python = sys.executable
    if needs_migrating:
        subprocess.run(
            [python, "-m", "django", "migrate", "--noinput", "-v", "0"],
            env=env,
            cwd=REPO,
            check=True,
            timeout=900,
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = REPO / "test-artifacts" / "uvicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        # Start the server first: booting Saleor and seeding overlap.
        server = subprocess.Popen(
            [
                python,
                "-m",
                "uvicorn",
                "saleor.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            seeded = subprocess.run(
                [python, "-m", "tests.e2e.seed", url, uuid.uuid4().hex[:8]],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if seeded.returncode:
                raise RuntimeError(f"Seeding the e2e database failed:\n{seeded.stderr}")
            seed = json.loads(seeded.stdout.strip().splitlines()[-1])
            _wait_until_up(f"{url}/graphql/", server)
            yield LiveSaleor(url=url, api=f"{url}/graphql/", seed=seed, db_url=db_url)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(api: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("uvicorn exited; see test-artifacts/uvicorn.log")
        try:
            response = requests.post(
                api, json={"query": "{ shop { name } }"}, timeout=5
            )
            if response.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("Saleor did not start within 2 minutes")


class _HostHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(HERE), **kwargs)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def host_url() -> Iterator[str]:
    """The Dashboard stand-in, on an origin of its own (no Referrer-Policy header)."""
    server = ThreadingHTTPServer(("127.0.0.1", _free_port()), _HostHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/host.html"
    server.shutdown()


@pytest.fixture
def browser(chromium) -> Iterator[Any]:
    """Chromium, started per test: after Saleor's autouse fixtures have opened
    the test database, so Django never meets Playwright's event loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Assertions wait as long as actions do: on 2 busy cores a list can take
    # longer than Playwright's 5-second default to arrive.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    problems: list[str] = []
    # The pages' CSP must not block anything they need (scripts, styles, fonts).
    page.on(
        "console",
        lambda message: problems.append(message.text)
        if message.type == "error" and "Content Security Policy" in message.text
        else None,
    )
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture(scope="session", autouse=True)
def _screenshot_dir() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


def copy_to_docs(name: str) -> None:
    """Refresh a README screenshot (docs/screenshots is committed) on request only,
    so ordinary runs leave the working tree clean: UPDATE_DOCS_SCREENSHOTS=1."""
    if not os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        return
    target = REPO / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ARTIFACTS / name, target / name)
