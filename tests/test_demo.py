"""The main job end to end, as a user runs it: `demo` on a fresh embedded
PostgreSQL (never the machine's server), `demo --walkthrough` against it over
HTTP, Ctrl-C; then a second run on the same data directory reuses everything.

It runs the demo as a subprocess, so it needs nothing from pytest-django's test
database (Saleor's autouse fixtures still open one; the demo never touches it).
The first start applies all of Saleor's migrations: minutes, not seconds.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from saleor_cart_takeover.demo.constants import ADMIN, CHANNEL_SLUG, SHOPPER
from saleor_cart_takeover.demo.database import running

REPO = Path(__file__).resolve().parent.parent
FIRST_START_TIMEOUT = 20 * 60  # all migrations on 2 slow cores, with margin
RESTART_TIMEOUT = 5 * 60
STOP_TIMEOUT = 90


# What the demo prints once it is about to serve, with the port the OS gave it.
STARTING_AT = re.compile(r"Saleor with cart takeover is starting at (http://\S+)")


def _demo_env() -> dict[str, str]:
    """The user's environment, without what the test process itself set up:
    its DATABASE_URL (the machine's server) and Django settings module."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DATABASE_URL_REPLICA", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Demo:
    """`demo --port 0`: the demo takes a port from the OS and prints its URL."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.data_dir, self.log = data_dir, log
        self.url = ""
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "saleor_cart_takeover",
                    "demo",
                    "--port",
                    "0",
                    "--data-dir",
                    str(data_dir),
                ],
                cwd=REPO,
                env=_demo_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def output(self) -> str:
        return self.log.read_text()

    def wait_until_ready(self, timeout: float) -> float:
        """Wait for the URL the demo prints, then for Saleor to answer there."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                pytest.fail(f"demo exited ({self.process.returncode}):\n{self.output}")
            if not self.url:
                printed = STARTING_AT.search(self.output)
                if printed:
                    self.url = printed.group(1)
                else:
                    time.sleep(2)
                    continue
            try:
                response = requests.post(
                    f"{self.url}/graphql/",
                    json={"query": "{ shop { name } }"},
                    timeout=10,
                )
                if response.status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            time.sleep(2)
        pytest.fail(f"demo not ready after {timeout}s:\n{self.output}")

    def postmaster_pid(self) -> int:
        pid_file = self.data_dir / "pgdata" / "postmaster.pid"
        return int(pid_file.read_text().split()[0])

    def stop(self, signum: int) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail(f"demo did not stop on signal {signum}:\n{self.output}")


def _gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _searched(url: str) -> tuple[list[str], list[str]]:
    """Saleor's own product and customer search, as the Dashboard runs them."""

    def graphql(query: str, variables: dict, token: str = "") -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(
            f"{url}/graphql/",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=30,
        )
        return response.json()["data"]

    token = graphql(
        "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p)"
        " { token } }",
        {"e": ADMIN.email, "p": ADMIN.password},
    )["tokenCreate"]["token"]
    products = graphql(
        "query($s: String, $c: String) { products(first: 10, search: $s,"
        " channel: $c) { edges { node { name } } } }",
        {"s": "bottle", "c": CHANNEL_SLUG},
        token,
    )["products"]["edges"]
    customers = graphql(
        "query($s: String) { customers(first: 10, filter: {search: $s})"
        " { edges { node { email } } } }",
        {"s": "Ada"},
        token,
    )["customers"]["edges"]
    return (
        [edge["node"]["name"] for edge in products],
        [edge["node"]["email"] for edge in customers],
    )


def _walkthrough(demo: Demo) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "saleor_cart_takeover",
            "demo",
            "--walkthrough",
            "--url",
            demo.url,
        ],
        cwd=REPO,
        env=_demo_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def demo_dir() -> Iterator[Path]:
    """A fresh data directory outside pytest's base temp: pytest keeps that one
    at mode 0700 (and prunes it), which PostgreSQL, run as `nobody` when the
    suite runs as root, could not enter."""
    data_dir = Path(tempfile.mkdtemp(prefix="cart-takeover-demo-test-"))
    yield data_dir
    # Whatever happened, leave no PostgreSQL and no files behind.
    pid_file = data_dir / "pgdata" / "postmaster.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text().split()[0])
        if running(pid):
            os.kill(pid, signal.SIGTERM)
            time.sleep(2)
    shutil.rmtree(data_dir, ignore_errors=True)


def test_demo_serves_the_walkthrough_and_reuses_its_data(demo_dir, tmp_path):
    assert "DATABASE_URL" not in _demo_env()

    # First run: embedded PostgreSQL created, migrated, seeded, served.
    demo = Demo(demo_dir, tmp_path / "first.log")
    try:
        demo.wait_until_ready(FIRST_START_TIMEOUT)
        postmaster = demo.postmaster_pid()
        assert running(postmaster)
        output = demo.output
        assert "Starting embedded PostgreSQL" in output
        assert re.fullmatch(r"http://127\.0\.0\.1:[1-9][0-9]*", demo.url), demo.url
        assert f"demo --walkthrough --url {demo.url}" in output
        assert f"{demo.url}/graphql/" in output
        assert f"{demo.url}/plugins/global/saleor.cart_takeover/graphql/" in output
        assert f"{demo.url}/plugins/global/saleor.cart_takeover/manifest" in output
        assert "csr@example.com" in output
        assert "shopper@example.com" in output
        cart_codes = re.findall(r"code ([0-9A-F]{4}-[0-9A-F]{4})", output)
        assert len(cart_codes) == 2, output
        # A newcomer's first searches, the moment the URLs are printed.
        assert _searched(demo.url) == (["Engraved water bottle"], [SHOPPER.email])

        walk = _walkthrough(demo)
        assert walk.returncode == 0, walk.stdout + walk.stderr
        for step in range(1, 8):
            assert f"[{step}/7]" in walk.stdout
        assert "Walkthrough passed" in walk.stdout
        assert "engraving: For Ada" in walk.stdout
    finally:
        # Ctrl-C, as a user stops it.
        code = demo.stop(signal.SIGINT)
    assert code == 0, demo.output
    assert "Stopping embedded PostgreSQL" in demo.output
    assert not (demo_dir / "pgdata" / "postmaster.pid").exists()
    assert _gone(postmaster)

    # Second run on the same data: nothing to migrate, the same sample data.
    again = Demo(demo_dir, tmp_path / "second.log")
    try:
        again.wait_until_ready(RESTART_TIMEOUT)
        assert "already up to date" in again.output
        assert re.findall(r"code ([0-9A-F]{4}-[0-9A-F]{4})", again.output) == cart_codes
        walk = _walkthrough(again)
        assert walk.returncode == 0, walk.stdout + walk.stderr
        postmaster = again.postmaster_pid()
    finally:
        code = again.stop(signal.SIGTERM)
    assert code == 0, again.output
    assert _gone(postmaster)
    # How much faster the restart is, is a timing: benchmarks/, not an assertion.


def test_demo_refuses_a_port_in_use_before_starting_the_database(demo_dir):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "saleor_cart_takeover",
                "demo",
                "--port",
                str(port),
                "--data-dir",
                str(demo_dir),
            ],
            cwd=REPO,
            env=_demo_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Choose another --port" in result.stderr
    assert "Starting embedded PostgreSQL" not in result.stdout
    assert not (demo_dir / "pgdata").exists()


def test_walkthrough_fails_clearly_without_a_demo():
    # A port the OS handed over and that stays ours, bound but not listening:
    # connections to it are refused, and nothing else can take it meanwhile.
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        result = _walkthrough_on(port)
    assert result.returncode == 1
    assert "FAILED" in result.stdout
    assert f"127.0.0.1:{port}" in result.stdout


def _walkthrough_on(port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "saleor_cart_takeover",
            "demo",
            "--walkthrough",
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=_demo_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_demo_runs_without_the_dashboard_app_module(monkeypatch):
    """Until a release ships the dashboard app, the demo notes it and goes on."""
    from saleor_cart_takeover.demo import bootstrap

    monkeypatch.setattr(
        bootstrap, "INSTALLATION_MODULE", "saleor_cart_takeover.missing.installation"
    )
    assert bootstrap.install_dashboard_app("http://127.0.0.1:8000") is None
