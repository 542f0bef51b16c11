"""Saleor's own storefront (Paper) with the project's patch, and Saleor's dummy
payment app, against one live Saleor with the plugin; the CSR uses the real
Dashboard of tests/dashboard against the same Saleor.

The storefront bakes Saleor's URL into its build, so this Saleor listens on a
fixed port (CART_TAKEOVER_STOREFRONT_SALEOR_PORT, default 28123) and its
channel is `web-sf`; `scripts/storefront` builds once per inputs into
.cache/storefront/. Needs Saleor 3.23. Without the vendored archives a local
run skips with a message; with CI set it fails.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from ..dashboard.conftest import (  # noqa: F401
    _screenshot_dir,
    dashboard_url,
    new_page,
    pytest_runtest_makereport,  # a failing test leaves screenshots of its pages
)
from ..live_server import ARTIFACTS, REPO, LiveSaleor, running_saleor, unavailable

SALEOR_PORT = int(os.environ.get("CART_TAKEOVER_STOREFRONT_SALEOR_PORT", "28123"))
SUFFIX = "sf"
CHANNEL = f"web-{SUFFIX}"
ARCHIVES = (
    "saleor-storefront-60fea09.tar.gz",
    "saleor-dummy-payment-app-f6dea39.tar.gz",
)
SCREENSHOTS = ARTIFACTS / "storefront"
PAYMENT_APP_ID = "saleor.io.dummy-payment-app"
LEGACY_DUMMY_GATEWAY = "mirumee.payments.dummy"
PLUGIN_OFF = """
mutation($id: ID!, $channelId: ID) {
  pluginUpdate(id: $id, channelId: $channelId, input: {active: false}) {
    errors { field code message }
  }
}"""
APP_INSTALL = """
mutation($input: AppInstallInput!) {
  appInstall(input: $input) {
    appInstallation { id status message }
    errors { field code message }
  }
}"""


def _vendor() -> Path | None:
    vendor = os.environ.get("STOREFRONT_VENDOR")
    folders = [vendor] if vendor else []
    folders += [
        str(REPO.parent / "shared" / "vendor"),
        str(REPO.parent.parent / "shared" / "vendor"),
    ]
    for folder in folders:
        if all((Path(folder) / name).exists() for name in ARCHIVES):
            return Path(folder)
    return None


def _script_env() -> dict[str, str]:
    # scripts/storefront reads Saleor's schema from the venv running the tests.
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "SALEOR_VENV": str(Path(sys.executable).parents[1]),
        "STOREFRONT_VENDOR": str(_vendor()),
    }


def _free_port() -> int:
    from ..live_server import bound_socket

    sock = bound_socket()
    port = sock.getsockname()[1]
    sock.close()
    return port


def _serve(args: list[str], log: Path, ready_url: str) -> subprocess.Popen:
    """Start `scripts/storefront ARGS` in its own process group; wait until
    `ready_url` answers."""
    output = log.open("w")
    process = subprocess.Popen(
        [str(REPO / "scripts" / "storefront"), *args],
        env=_script_env(),
        cwd=REPO,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{args[0]} exited; see {log}")
        try:
            if requests.get(ready_url, timeout=10).status_code < 500:
                return process
        except requests.RequestException:
            pass
        time.sleep(1)
    _stop(process)
    raise RuntimeError(f"{args[0]} did not answer within 3 minutes; see {log}")


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, 9)
        process.wait()


def _build(*args: str) -> None:
    log = ARTIFACTS / f"storefront-{args[0]}.log"
    with log.open("w") as output:
        done = subprocess.run(
            [str(REPO / "scripts" / "storefront"), *args],
            env=_script_env(),
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=2400,
        )
    if done.returncode:
        raise RuntimeError(f"scripts/storefront {args[0]} failed; see {log}")


@pytest.fixture(scope="session")
def storefront_ready(chromium) -> None:
    """Both builds, before Saleor starts (they take minutes on 2 cores)."""
    if _vendor() is None:
        unavailable(
            f"the vendored archives {', '.join(ARCHIVES)} are missing: set "
            "STOREFRONT_VENDOR to their folder (docs/development.md)"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _build("build", f"http://127.0.0.1:{SALEOR_PORT}/graphql/", CHANNEL)
    _build("build-payment-app")


@pytest.fixture(scope="session")
def live_saleor(
    storefront_ready, django_db_setup, django_db_blocker
) -> Iterator[LiveSaleor]:
    """This folder's Saleor: the port the storefront was built for; Saleor may
    reach the payment app on loopback (appInstall and its webhooks)."""
    with running_saleor(
        django_db_blocker,
        port=SALEOR_PORT,
        suffix=SUFFIX,
        env={
            "HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS": "True",
            # The URL Saleor gives apps (Saleor-Api-Url) when it installs them.
            "PUBLIC_URL": f"http://127.0.0.1:{SALEOR_PORT}",
        },
    ) as live:
        yield live


@pytest.fixture(scope="session")
def payment_app(live_saleor: LiveSaleor, tmp_path_factory) -> Iterator[str]:
    """The dummy payment app, served and installed into Saleor by `appInstall`
    from its manifest URL, as a merchant installs it."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    apl = tmp_path_factory.mktemp("payment-app") / "auth-data.json"
    # Its auth data in a file of this run; its manifest's URLs with the port
    # (behind no proxy the app would drop it).
    env = {
        "FILE_APL_PATH": str(apl),
        "APP_API_BASE_URL": url,
        "APP_IFRAME_BASE_URL": url,
    }
    os.environ.update(env)
    try:
        process = _serve(
            ["start-payment-app", str(port)],
            ARTIFACTS / "payment-app.log",
            f"{url}/api/manifest",
        )
    finally:
        for name in env:
            del os.environ[name]
    try:
        admin = live_saleor.client(live_saleor.seed["admin"])
        installed = admin.call(
            APP_INSTALL,
            {
                "input": {
                    "appName": "Dummy Payment App",
                    "manifestUrl": f"{url}/api/manifest",
                    "permissions": [
                        "HANDLE_PAYMENTS",
                        "MANAGE_CHECKOUTS",
                        "MANAGE_ORDERS",
                    ],
                    "activateAfterInstallation": True,
                }
            },
        )["appInstall"]
        assert installed["errors"] == [], installed
        deadline = time.monotonic() + 60
        while not live_saleor.sql(
            "SELECT 1 FROM app_app WHERE identifier = %s AND is_active", PAYMENT_APP_ID
        ):
            status = live_saleor.sql(
                "SELECT status, message FROM app_appinstallation ORDER BY id DESC LIMIT 1"
            )
            assert time.monotonic() < deadline, f"appInstall did not finish: {status}"
            time.sleep(1)
        # The storefront pays with the first dummy gateway it is offered; Saleor's
        # legacy dummy plugin (not an app: transactionInitialize refuses it) goes,
        # so the shopper pays through the installed app.
        from ..ids import gid

        off = admin.call(
            PLUGIN_OFF,
            {
                "id": LEGACY_DUMMY_GATEWAY,
                "channelId": gid("Channel", live_saleor.seed["channel_id"]),
            },
        )["pluginUpdate"]
        assert off["errors"] == [], off
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def storefront_url(live_saleor: LiveSaleor, payment_app: str) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = _serve(
        ["start", live_saleor.api, CHANNEL, str(port)],
        ARTIFACTS / "storefront.log",
        f"{url}/en/{CHANNEL}/cart",
    )
    try:
        yield url
    finally:
        _stop(process)
