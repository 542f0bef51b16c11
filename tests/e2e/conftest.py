"""The host-page suite: the extension's pages in Chromium inside a Dashboard
stand-in, against the live Saleor of `tests/live_server.py`."""

import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ..live_server import APP_TOKEN_TTL, REPO, LiveSaleor

__all__ = ["ARTIFACTS", "DASHBOARD_TOKEN_TTL", "LiveSaleor", "copy_to_docs"]

HERE = Path(__file__).resolve().parent
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
DASHBOARD_TOKEN_TTL = APP_TOKEN_TTL


class _HostHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(HERE), **kwargs)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def host_url() -> Iterator[str]:
    """The Dashboard stand-in, on an origin of its own (no Referrer-Policy header)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/host.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
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
    """Refresh a README screenshot on request only: UPDATE_DOCS_SCREENSHOTS=1."""
    if not os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        return
    target = REPO / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ARTIFACTS / name, target / name)
