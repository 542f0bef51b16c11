"""A newcomer's first searches in the real Saleor Dashboard, on the demo's
first start: a fresh database loaded by the demo's own sample-data loader, in a
process of its own, then served. Until the loader indexed the catalogue after
its transaction committed, Saleor's indexer (reading through its replica
connection) saw no product, and every keyword search found nothing.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # Locally optional; CI installs it and must run these tests.
    if os.environ.get("CI"):
        raise
    pytest.skip(
        "Playwright for Python is not installed (pip install playwright)",
        allow_module_level=True,
    )

from saleor_cart_takeover.demo.constants import CSR, SHOPPER

from ..live_server import REPO, database_clone, server_env, uvicorn, wait_until_up
from .conftest import serve_dashboard
from .steps import Steps, dash, sign_in, take_over


@pytest.fixture
def demo_dashboard(
    chromium, django_db_setup, django_db_blocker
) -> Iterator[tuple[str, dict]]:
    """The Dashboard's URL, against a Saleor serving a freshly loaded demo
    database; and what the loader made (the sample draft's id)."""
    with database_clone(django_db_blocker, "_demo") as db_url:
        env = server_env(db_url)
        # As the demo runs Saleor: no DATABASE_URL_REPLICA, so Saleor's replica
        # is a connection of its own to the same database.
        del env["DATABASE_URL_REPLICA"]
        with uvicorn(env, "uvicorn-demo.log") as (url, server):
            loaded = subprocess.run(
                [sys.executable, "-m", "tests.dashboard.demo_data", url],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if loaded.returncode:
                raise RuntimeError(f"Loading the demo's data failed:\n{loaded.stderr}")
            demo = json.loads(loaded.stdout.strip().splitlines()[-1])
            wait_until_up(f"{url}/graphql/", server)
            with serve_dashboard(f"{url}/graphql/") as dashboard_url:
                yield dashboard_url, demo


def test_csr_finds_the_demo_shopper_and_products_by_keyword_on_the_first_start(
    demo_dashboard: tuple[str, dict], new_page
) -> None:
    dashboard_url, demo = demo_dashboard
    steps = Steps("demo-first-start")
    page = new_page()
    sign_in(page, dashboard_url, CSR.email, CSR.password)

    # The Dashboard's customer search (Saleor's customers(search:)) on the
    # sample draft: a word of the shopper's email finds them (the picker lists
    # emails and drops options whose email lacks what was typed). The draft is
    # theirs already, so the CSR leaves the dialog without a change.
    page.goto(f"{dashboard_url}/orders/drafts/{demo['draft_id']}")
    dash(page, "change-customer").click()
    dash(page, "select-customer").click()
    page.keyboard.type("shopper")
    expect(dash(page, "select-option").filter(has_text=SHOPPER.email)).to_have_count(1)
    steps.shot(page, "customer-search")
    dialog = page.locator("[role=dialog]")
    dialog.get_by_role("button", name="Back", exact=True).click()
    expect(dialog).to_have_count(0)

    # The takeover popup's product search (Saleor's products(search:)).
    frame = take_over(page, dashboard_url, demo["draft_id"], "Ada Shopper")
    search = frame.get_by_label("Search products")
    for keyword, found, not_found in (
        ("bottle", "Engraved water bottle", "Leather wallet"),
        ("wallet", "Leather wallet", "Engraved water bottle"),
    ):
        search.fill(keyword)
        frame.get_by_role("button", name="Search", exact=True).click()
        expect(frame.get_by_role("button", name=f"Choose {found}")).to_be_visible()
        expect(frame.get_by_role("button", name=f"Choose {not_found}")).to_have_count(0)
        steps.shot(page, f"search-{keyword}", show=search)
