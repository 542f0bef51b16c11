"""`python -m saleor_cart_takeover demo [--walkthrough]`."""

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ..const import PLUGIN_URL_PATH

if TYPE_CHECKING:  # both load Saleor, which needs settings first
    from .bootstrap import InstalledApp
    from .sample_data import SampleData

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_DATA_DIR = ".demo-data"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m saleor_cart_takeover")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="run a local Saleor with the plugin, its dashboard app and sample data",
        description="Run a local Saleor with the cart takeover plugin active, its "
        "dashboard app installed and sample data, on an embedded PostgreSQL in "
        "--data-dir unless DATABASE_URL is set. With --walkthrough, run the "
        "takeover workflow against a demo that is already running instead.",
    )
    demo.add_argument("--host", default=DEFAULT_HOST, help="default: %(default)s")
    demo.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="default: %(default)s; 0 takes any free port the OS gives "
        "(the demo prints its URL)",
    )
    demo.add_argument(
        "--data-dir",
        type=Path,
        default=Path(DEFAULT_DATA_DIR),
        help="embedded database and keys (default: %(default)s)",
    )
    demo.add_argument(
        "--walkthrough",
        action="store_true",
        help="run the seven-step takeover workflow over HTTP against the demo "
        "running on --host/--port (or --url) and exit",
    )
    demo.add_argument(
        "--url",
        help="base URL of the running demo for --walkthrough "
        "(default: http://HOST:PORT)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.walkthrough:
        if args.port == 0 and not args.url:
            build_parser().error(
                "--walkthrough needs the running demo's --port or --url"
            )
        from .walkthrough import run_walkthrough

        return run_walkthrough(args.url or _base_url(args.host, args.port))
    return run_demo(args.host, args.port, args.data_dir)


def _base_url(host: str, port: int) -> str:
    # A wildcard address is where the server listens, not where to reach it.
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class _Stop(Exception):
    """SIGTERM, turned into an exception so cleanup code runs."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def _step(message: str) -> float:
    print(f"==> {message}", flush=True)
    return time.monotonic()


def _done(started: float, note: str = "") -> None:
    print(f"    done in {time.monotonic() - started:.1f}s{note}", flush=True)


def _listen(host: str, port: int) -> socket.socket:
    """The demo's listening socket, bound before anything else happens.

    Holding it from the start means the URL the demo prints and installs its
    dashboard app with is one nobody can take meanwhile, port 0 included.
    Listening at once, not only binding, also stops another SO_REUSEADDR
    socket (say, a second demo) from binding the same port; connections made
    before Saleor serves wait in the backlog.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen()
    except OSError as exc:
        sock.close()
        raise SystemExit(
            f"Cannot listen on {host}:{port} ({exc.strerror}). Is another demo "
            "running? Choose another --port."
        ) from exc
    return sock


@contextlib.contextmanager
def _database(data_dir: Path) -> Iterator[str]:
    """DATABASE_URL when set, else an embedded PostgreSQL stopped on the way out."""
    if os.environ.get("DATABASE_URL"):
        print("==> Using the database in DATABASE_URL", flush=True)
        yield os.environ["DATABASE_URL"]
        return
    from .database import EmbeddedPostgres

    server = EmbeddedPostgres(data_dir)
    first = not server.initialized
    started = _step(
        f"Starting embedded PostgreSQL in {server.pgdata}"
        + (" (creating it)" if first else "")
    )
    url = server.start()  # stops what it started if it fails
    _done(started, f", listening on 127.0.0.1:{server.port}")
    try:
        yield url
    finally:
        started = _step("Stopping embedded PostgreSQL")
        server.stop()
        _done(started)


def run_demo(host: str, port: int, data_dir: Path) -> int:
    signal.signal(signal.SIGTERM, _raise_stop)
    sock = _listen(host, port)
    # The port actually bound: the one asked for, or the OS's pick for 0.
    base_url = _base_url(host, sock.getsockname()[1])
    data_dir = data_dir.resolve()
    from .database import EmbeddedPostgresError

    try:
        with sock, _database(data_dir) as database_url:
            os.environ["DATABASE_URL"] = database_url
            _prepare(data_dir, base_url, host)
            _serve(sock)
    except (KeyboardInterrupt, _Stop):
        print("Stopped.", flush=True)
    except EmbeddedPostgresError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


def _prepare(data_dir: Path, base_url: str, host: str) -> None:
    from . import environment

    environment.configure(data_dir, base_url, host)
    started = _step("Loading Saleor")
    import django

    django.setup()
    from . import bootstrap, sample_data

    bootstrap.check_plugin_loaded()
    _done(started)

    started = _step("Applying Saleor's and the plugin's migrations")
    count, _ = bootstrap.migrate()
    _done(started, "" if count else " (already up to date)")

    started = _step("Activating the plugin and installing its dashboard app")
    bootstrap.activate_plugin()
    installed = bootstrap.install_dashboard_app(base_url)
    _done(started)

    started = _step("Loading sample data")
    data = sample_data.load()
    _done(started)

    from django.db import connections

    # The server opens its own connections; the setup ones would sit idle.
    connections.close_all()
    _print_summary(base_url, data, installed)


def _print_summary(
    base_url: str, data: "SampleData", installed: "InstalledApp | None"
) -> None:
    from . import constants

    plugin = f"{base_url}{PLUGIN_URL_PATH}"
    lines = [
        "",
        "Saleor with cart takeover is starting at " + base_url,
        f"  Saleor GraphQL API:      {base_url}/graphql/",
        f"  Cart takeover API:       {plugin}/graphql/",
        f"  Dashboard app manifest:  {plugin}/manifest",
    ]
    if installed is None:
        lines.append(
            "  Dashboard app:           not installed - this release has no "
            "saleor_cart_takeover.dashboard.installation module yet"
        )
    else:
        app, extensions = installed
        lines.append(f"  Dashboard app:           installed ({app.name})")
        lines += [f"    {label} ({where})" for label, where in extensions]
    lines += [
        "",
        "Saleor Dashboard: run Saleor Dashboard 3.23 with its API URL set to",
        f"  {base_url}/graphql/  e.g.",
        f"  docker run --rm -p 9000:80 -e API_URL={base_url}/graphql/ "
        "ghcr.io/saleor/saleor-dashboard:3.23",
        "  or from its source: API_URL=... npm run dev; then open http://localhost:9000/",
        "  and sign in as the admin or the CSR below.",
        "",
        "Demo users:",
    ]
    lines += [
        f"  {account.email:<22} password {account.password:<14} {account.role}"
        for account in (constants.ADMIN, constants.CSR, constants.SHOPPER)
    ]
    lines += [
        "",
        f"Channel {data.channel.slug!r}; click & collect at {data.warehouse.name!r}.",
        f"Shopper's cart in progress: code {data.shopper_cart_code}",
        f"Anonymous cart:             code {data.anonymous_cart_code}",
        f"Draft order for the shopper: #{data.draft.number}",
        "",
        # The walkthrough finds the demo by itself only at the default URL.
        "Try it: python -m saleor_cart_takeover demo --walkthrough"
        + (
            ""
            if base_url == _base_url(DEFAULT_HOST, DEFAULT_PORT)
            else f" --url {base_url}"
        ),
        "Stop with Ctrl-C.",
        "",
    ]
    print("\n".join(lines), flush=True)


def _serve(sock: socket.socket) -> None:
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config("saleor.asgi:application", lifespan="off", log_level="info")
    )
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the
    # signal, which lands in run_demo's handler and stops the database.
    server.run(sockets=[sock])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
