"""The benchmark's own databases: a migrated template and a fresh copy per run.

Migrating Saleor takes minutes, so it happens once, into a template database;
every run then starts from a byte-for-byte copy of it (seconds). Only databases
with the benchmark's own names are ever created or dropped.
"""

import os
import subprocess
import sys
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import psycopg

# BENCH_DATABASE_PREFIX lets runs on one server (several checkouts, CI jobs)
# keep apart: each prefix has its own template and run database.
PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "cart_takeover_bench")
TEMPLATE = f"{PREFIX}_template"
RUN = f"{PREFIX}_run"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


def server_url() -> str:
    """The PostgreSQL server, from BENCH_DATABASE_SERVER or the default."""
    return os.environ.get("BENCH_DATABASE_SERVER", DEFAULT_SERVER).rstrip("/")


def url_of(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def _admin() -> psycopg.Connection:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    return psycopg.connect(url_of("postgres"), autocommit=True)


def exists(name: str) -> bool:
    with _admin() as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
    return row is not None


def migrate(name: str, log: Callable[[str], None]) -> None:
    """Apply Saleor's and the plugin's migrations in a child process.

    A child process, because Django binds its connection settings at setup and
    this process must later point at the run database instead.
    """
    env = {
        **os.environ,
        "DATABASE_URL": url_of(name),
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    }
    log(f"migrating {name} (the first time takes a few minutes)")
    # Saleor's data migrations log every Celery task they run; keep that out of
    # the benchmark's output unless migrating fails.
    done = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise RuntimeError(f"migrating {name} failed ({done.returncode})")


def prepare_run_database(log: Callable[[str], None]) -> str:
    """Make sure the template is migrated; return the URL of a fresh run copy."""
    with _admin() as conn:
        if not exists(TEMPLATE):
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    migrate(TEMPLATE, log)
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{RUN}" TEMPLATE "{TEMPLATE}"')
    return url_of(RUN)
