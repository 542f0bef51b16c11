"""Saleor in its production shape, for tests and benchmarks: several uvicorn
workers on `saleor.asgi:application`, a Redis of its own (cache and Celery
broker), a Celery worker and beat with Saleor's DatabaseScheduler, all
configured by the settings module the README shows.

    with fresh_database("ct_bench") as db_url, redis_server() as redis:
        with SaleorDeployment(db_url, redis, workers=3) as saleor:
            saleor.urls            # one base URL per uvicorn worker
            saleor.seed()          # tests/e2e/seed.py's catalogue and staff
            saleor.sql("SELECT 1")

Every process is started here and stopped on exit, however the block ends;
every wait is bounded. Logs go to test-artifacts/deployment/.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests

from .clients import PLUGIN_ENDPOINT, LiveClient
from .live_server import (
    ARTIFACTS,
    _create_database,
    _drop_database,
    bound_socket,
    server_env,
)

REPO = Path(__file__).resolve().parents[1]
LOGS = ARTIFACTS / "deployment"
SETTINGS_MODULE = "cart_takeover_settings"
# The scheduler Saleor's own tooling runs beat with (its pyproject's `poe
# scheduler`); the README and docs/deploy.md give exactly this command.
BEAT_COMMAND = (
    "celery --app saleor.celeryconf:app beat "
    "--scheduler saleor.schedulers.schedulers.DatabaseScheduler"
)
WORKER_COMMAND = "celery --app saleor.celeryconf:app worker"


def readme_block() -> str:
    """The README's settings module for a deployment: its Python block that
    adds the plugin's beat schedule."""
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    [block] = [b for b in blocks if "CELERY_BEAT_SCHEDULE" in b]
    return block


def readme_settings(directory: Path, extra: str = "") -> str:
    """Write the README's settings module (plus `extra` lines) into
    `directory`; returns its module name, for DJANGO_SETTINGS_MODULE."""
    (directory / f"{SETTINGS_MODULE}.py").write_text(readme_block() + extra)
    return SETTINGS_MODULE


def saleor_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment Saleor's processes run with (keys, hosts, database);
    SALEOR_PYTHON names the interpreter of this test run's Saleor."""
    env = server_env(database_url)
    env.update(SALEOR_PYTHON=sys.executable, **extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check: Any, timeout: float, interval: float = 0.5) -> Any:
    """Poll `check()` until it returns something truthy; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def _stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A database of its own for one deployment: a clone of the migrated test
    database (pytest-django's), dropped afterwards. Needs Django's test
    database set up (the `django_db_setup` fixture) and unblocked."""
    from django.conf import settings

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    needs_migrating = _create_database(name, settings.DATABASES["default"]["NAME"])
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        if needs_migrating:  # the template stayed busy: migrate from scratch
            subprocess.run(
                [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
                env=saleor_env(url),
                cwd=REPO,
                check=True,
                timeout=900,
            )
        yield url
    finally:
        _drop_database(name)


@dataclass
class Redis:
    port: int
    process: subprocess.Popen

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


@contextmanager
def redis_server() -> Iterator[Redis]:
    """A redis-server of our own on a free port, nothing persisted."""
    import redis as redis_py

    binary = redis_server_binary()
    if binary is None:
        raise RuntimeError(
            "redis-server is not installed (apt-get install redis-server)"
        )
    for _ in range(5):  # another process may take the port first
        port = free_port()
        process = subprocess.Popen(
            [
                *(binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis_py.Redis(port=port, socket_connect_timeout=1)
        try:
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    if client.ping():
                        break
                except redis_py.ConnectionError:
                    time.sleep(0.1)
            if process.poll() is None and time.monotonic() < deadline:
                try:
                    yield Redis(port, process)
                finally:
                    _stop(process)
                return
        finally:
            client.close()
        _stop(process)
    raise RuntimeError("redis-server did not start")


@dataclass
class SaleorDeployment:
    """Saleor on `database_url` with `workers` uvicorn processes, each on a
    port of its own (so a test can choose which worker serves a request), and
    with `celery` a Celery worker and beat. Without `redis`, Saleor's defaults:
    a cache per process and Celery tasks run eagerly (no broker). `python` is the interpreter of the
    Saleor environment to run (this one by default); `pythonpath` is what
    goes on its PYTHONPATH besides the settings module (this checkout, unless
    the plugin comes from an installed wheel). `settings_extra` is appended to
    the README's settings module."""

    database_url: str
    redis: Redis | None
    workers: int = 3
    celery: bool = True
    python: str = sys.executable
    pythonpath: list[str] = field(default_factory=lambda: [str(REPO)])
    settings_extra: str = ""
    env_extra: dict[str, str] = field(default_factory=dict)
    name: str = "deployment"
    urls: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    settings_dir: Path = field(init=False)
    _processes: list[subprocess.Popen] = field(default_factory=list)
    _stack: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> "SaleorDeployment":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __post_init__(self) -> None:
        """Write the settings and make the environment; `run` works from here
        on (e.g. `migrate` before the servers start)."""
        logs = LOGS / self.name
        logs.mkdir(parents=True, exist_ok=True)
        self.settings_dir = logs / "settings"
        self.settings_dir.mkdir(exist_ok=True)
        module = readme_settings(self.settings_dir, self.settings_extra)
        self.env = saleor_env(
            self.database_url,
            DJANGO_SETTINGS_MODULE=module,
            PYTHONPATH=os.pathsep.join([str(self.settings_dir), *self.pythonpath]),
            # Production logging (JSON lines), as a deployment runs it.
            DEBUG="False",
            **self.env_extra,
        )
        self.env.pop("DATABASE_URL_REPLICA", None)
        if self.redis is not None:
            self.env.update(
                CACHE_URL=self.redis.url(0), CELERY_BROKER_URL=self.redis.url(1)
            )

    def _start(self) -> None:
        logs = LOGS / self.name
        cwd = self.settings_dir
        for number in range(self.workers):
            sock = bound_socket()
            port = sock.getsockname()[1]
            self.urls.append(f"http://127.0.0.1:{port}")
            self._spawn(
                f"uvicorn-{number}",
                [
                    *("-m", "uvicorn", "saleor.asgi:application"),
                    *("--fd", str(sock.fileno()), "--log-level", "warning"),
                ],
                cwd,
                pass_fds=[sock.fileno()],
            )
            sock.close()
        if self.celery:
            worker = WORKER_COMMAND.split()[1:]
            self._spawn(
                "celery-worker",
                ["-m", "celery", *worker, "--concurrency", "2", "--loglevel", "info"],
                cwd,
            )
            beat = BEAT_COMMAND.split()[1:]
            self._spawn(
                "celery-beat",
                [
                    *("-m", "celery", *beat, "--loglevel", "info"),
                    *("--pidfile", str(logs / "beat.pid")),
                ],
                cwd,
            )
        for url in self.urls:
            self._wait_until_up(url)

    def _spawn(
        self, name: str, args: list[str], cwd: Path, pass_fds: list[int] | None = None
    ) -> None:
        log = self._stack.enter_context((LOGS / self.name / f"{name}.log").open("w"))
        self._processes.append(
            subprocess.Popen(
                [self.python, *args],
                env=self.env,
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=pass_fds or [],
            )
        )

    def _wait_until_up(self, url: str) -> None:
        def answers() -> bool:
            for process in self._processes:
                if process.poll() is not None:
                    command = process.args
                    assert isinstance(command, list), command  # as `_spawn` passes it
                    raise RuntimeError(f"{command[1:4]} exited; see {LOGS / self.name}")
            # Any answer will do: a database cloned from the test database has
            # no Site until seeded, and Saleor's `shop` query fails without it.
            try:
                requests.get(f"{url}/graphql/", timeout=5)
            except requests.RequestException:
                return False
            return True

        # Five Saleor processes load at once: minutes on 2 busy cores.
        wait_for(f"Saleor at {url}", answers, timeout=420)

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            _stop(process)
        self._processes.clear()
        self._stack.close()

    def log(self, name: str) -> str:
        return (LOGS / self.name / f"{name}.log").read_text(errors="replace")

    # --- what tests and benchmarks do with it ---------------------------------

    def run(self, *args: str, timeout: float = 300) -> str:
        """Run `python ARGS` in the deployment's environment (e.g. a manage.py
        command as `-m django ...`); returns its output."""
        done = subprocess.run(
            [self.python, *args],
            env=self.env,
            cwd=self.settings_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def seed(self, catalogue_only: bool = False) -> dict[str, Any]:
        """tests/e2e/seed.py's channel, catalogue, staff and shopper, written
        by this checkout with the test run's interpreter (same Saleor); with
        `catalogue_only` the plugin's activation and the app are left alone."""
        env = {
            **self.env,
            "PYTHONPATH": os.pathsep.join([str(REPO), self.env["PYTHONPATH"]]),
        }
        done = subprocess.run(
            [sys.executable, "-m", "tests.e2e.seed", self.urls[0], uuid.uuid4().hex[:8]]
            + (["--catalogue-only"] if catalogue_only else []),
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"Seeding failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def api(self, worker: int = 0) -> str:
        return f"{self.urls[worker]}/graphql/"

    def plugin_api(self, worker: int = 0) -> str:
        return f"{self.urls[worker]}{PLUGIN_ENDPOINT}"

    def login(self, email: str, password: str, worker: int = 0) -> LiveClient:
        return LiveClient(self.api(worker)).login(email, password)

    def sql(self, query: str, *params: Any) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []
