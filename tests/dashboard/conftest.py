"""The real Saleor Dashboard (3.23.27, built from its source) against the live
Saleor of `tests/live_server.py`, served as a single-page app on 127.0.0.1.

The archive is `saleor-dashboard-3.23.27.tar.gz` from the shared vendor folder
(or SALEOR_DASHBOARD_ARCHIVE); it is unpacked once into `.cache/dashboard/`
(ignored by git). Without it a local run skips with a message; with CI=1 it
fails.
"""

import contextlib
import os
import re
import tarfile
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ..live_server import REPO, LiveSaleor, unavailable

VERSION = "3.23.27"
ARCHIVE_NAME = f"saleor-dashboard-{VERSION}.tar.gz"
CACHE = REPO / ".cache" / "dashboard"
SCREENSHOTS = REPO / "test-artifacts" / "dashboard"


def _archive() -> Path | None:
    if os.environ.get("SALEOR_DASHBOARD_ARCHIVE"):
        return Path(os.environ["SALEOR_DASHBOARD_ARCHIVE"])
    # The shared vendor folder sits next to the checkout (or its worktree folder).
    for folder in (REPO.parent, REPO.parent.parent):
        candidate = folder / "shared" / "vendor" / ARCHIVE_NAME
        if candidate.exists():
            return candidate
    return None


def _unpacked() -> Path:
    archive = _archive()
    if archive is None or not archive.exists():
        unavailable(
            f"the Saleor Dashboard build {ARCHIVE_NAME} is missing: set "
            "SALEOR_DASHBOARD_ARCHIVE to its path (see docs/development.md, 'Browser tests')"
        )
    target = CACHE / f"saleor-dashboard-{VERSION}"
    if not (target / "index.html").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(CACHE, filter="data")
    return target


class _SpaHandler(SimpleHTTPRequestHandler):
    """Serves the build; unknown paths answer with index.html (client routing)."""

    index: bytes = b""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_file() and path.name != "index.html":
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.index)))
        self.end_headers()
        self.wfile.write(self.index)
        return None


@contextlib.contextmanager
def serve_dashboard(api: str) -> Iterator[str]:
    """The Dashboard's build, pointed at Saleor's API `api`; yields its URL."""
    folder = _unpacked()
    html = (folder / "index.html").read_text()
    html, count = re.subn(r'(?<![A-Z_])API_URL: "[^"]*"', f'API_URL: "{api}"', html)
    assert count == 1, "index.html has no API_URL to point at Saleor"
    handler = type("Handler", (_SpaHandler,), {"index": html.encode()})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def dashboard_url(live_saleor: LiveSaleor) -> Iterator[str]:
    with serve_dashboard(live_saleor.api) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def _screenshot_dir() -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def new_page(browser, request) -> Iterator[Any]:
    """Opens pages in fresh browser contexts (one per person in a test); a
    failing test leaves a screenshot of each page."""
    contexts = []

    def open_page() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    for index, context in enumerate(contexts):
        if getattr(request.node, "outcome_failed", False):
            for page in context.pages:
                page.screenshot(
                    path=str(SCREENSHOTS / f"FAILED-{request.node.name}-{index}.png")
                )
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.outcome_failed = report.failed
    return report
