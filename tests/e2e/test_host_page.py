"""What the real Dashboard cannot show quickly, in a Dashboard stand-in.

Everything a CSR sees is tested in the real Saleor Dashboard
(tests/dashboard/). This host page stays only for what the Dashboard cannot
show in a test's time: a popup outliving its token (the Dashboard's tokens live
5 minutes; here Saleor mints one that lives seconds) and the `theme` event
switching a mounted page (the Dashboard sends it only when the user changes
the theme). The host page embeds the plugin's pages like the Dashboard does
(query parameters, sandbox, the app-bridge handshake with tokens minted by
Saleor) and records every action the extension posts.
"""

import base64
import json
import os
import re
import time
import uuid
from urllib.parse import urlencode

import pytest

try:
    from playwright.sync_api import FrameLocator, Page, expect
except ImportError:  # Locally optional; CI installs it and must run these tests.
    if os.environ.get("CI"):
        raise
    pytest.skip(
        "Playwright for Python is not installed (pip install playwright)",
        allow_module_level=True,
    )

from saleor_cart_takeover.const import LINE_SOURCE_CUSTOMER_SERVICE, LINE_SOURCE_KEY
from saleor_cart_takeover.takeover.carts import cart_code

from ..clients import LiveClient
from ..ids import gid
from .conftest import ARTIFACTS, LiveSaleor, copy_to_docs


def open_extension(
    page: Page,
    host_url: str,
    live: LiveSaleor,
    name: str,
    token: str,
    theme: str = "light",
    widget: bool = False,
    **entity: str,
) -> FrameLocator:
    """Mount an extension page the way the Dashboard does."""
    query = {
        "domain": live.url.removeprefix("http://"),
        "saleorApiUrl": live.api,
        "id": gid("App", live.seed["app_id"]),
        "theme": theme,
        **entity,
    }
    page.goto(host_url)
    src = f"{live.plugin}/dashboard/{name}?{urlencode(query)}"
    page.evaluate(
        "([src, token, options]) => window.mountExtension(src, token, options)",
        [src, token, {"widget": widget, "label": name}],
    )
    return page.frame_locator("#extension")


def actions(page: Page) -> list[dict]:
    return page.evaluate("window.hostActions")


def wait_for_action(page: Page, kind: str) -> None:
    page.wait_for_function(
        "kind => window.hostActions.some(a => a.type === kind)",
        arg=kind,
        timeout=15_000,
    )


def shot(page: Page, name: str, docs: bool = False) -> None:
    """Screenshot the extension's content (pages), else its whole iframe (widgets)."""
    content = page.frame_locator("#extension").locator("[data-testid=screen-content]")
    target = content if content.count() else page.locator("#extension")
    target.screenshot(path=str(ARTIFACTS / name))
    if docs:
        copy_to_docs(name)


EXTENSIONS = """
{ appExtensions(first: 50) { edges { node { identifier accessToken app { id } } } } }
"""


def extension_token(live: LiveSaleor, staff: LiveClient, identifier: str) -> str:
    """What the Dashboard fetches to mount an extension: its token, minted by Saleor."""
    for edge in staff.call(EXTENSIONS)["appExtensions"]["edges"]:
        node = edge["node"]
        if (
            node["app"]["id"] == gid("App", live.seed["app_id"])
            and node["identifier"] == identifier
        ):
            return node["accessToken"]
    raise AssertionError(f"no extension {identifier}")


def search_and_choose(
    frame: FrameLocator, keyword: str, product: str, type_label: str = "All types"
) -> None:
    frame.get_by_label("Search products").fill(keyword)
    frame.get_by_label("Product type").select_option(label=type_label)
    frame.get_by_role("button", name="Search", exact=True).click()
    expect(frame.get_by_test_id("product-result")).to_have_count(1)
    frame.get_by_role("button", name=f"Choose {product}").click()


def add_item(
    frame: FrameLocator, variant: str, quantity: int, notes: dict[str, str]
) -> None:
    frame.get_by_role("radio", name=re.compile(variant)).check()
    frame.get_by_label("Quantity", exact=True).fill(str(quantity))
    for index, (key, value) in enumerate(notes.items(), start=1):
        if index > 1:
            frame.get_by_role("button", name="Add note").click()
        frame.get_by_label(f"Note {index} name").fill(key)
        frame.get_by_label(f"Note {index} text").fill(value)
    frame.get_by_role("button", name="Add to Cart").click()


def test_a_popup_outlives_the_dashboards_token(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    seed = live_saleor.seed
    mug = seed["mug"]
    email = f"expiry-{uuid.uuid4().hex[:6]}@example.com"
    cart = live_saleor.create_cart(
        live_saleor.client(), email, {mug["variants"]["Small"]: 1}
    )
    draft_id = live_saleor.create_draft(
        live_saleor.client(seed["csr"]), userEmail=email
    )
    # The Dashboard never refreshes a popup's token; this one lives 30 seconds
    # (long enough for the page to load and exchange it on two busy cores).
    token = live_saleor.mint_extension_token("takeover", seed["csr"], ttl=30)
    frame = open_extension(
        page, host_url, live_saleor, "takeover", token, draftOrderId=draft_id
    )
    frame.get_by_label("Cart code").fill(cart_code(cart["token"]))
    frame.get_by_role("button", name="Find cart").click()
    frame.get_by_role(
        "button", name=f"Take over cart {cart_code(cart['token'])}"
    ).click()
    expect(frame.get_by_role("heading", name=f"Editing {email}'s cart")).to_be_visible()
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)

    payload = token.split(".")[1]
    expires = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    time.sleep(max(0.0, expires["exp"] + 1 - time.time()))
    expired = LiveClient(live_saleor.plugin_api, token).post("{ viewer { email } }")
    assert expired.status == 401

    # The screen still works on the plugin session it exchanged the token for.
    search_and_choose(frame, "mug", mug["name"])
    add_item(frame, "Medium", 2, {"engraving": "For Ada"})
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)
    frame.get_by_role("button", name="Add Items to Order").click()
    wait_for_action(page, "popupClose")
    suffix = seed["channel"][4:]
    assert live_saleor.order_lines(draft_id) == {
        f"MUG-S-{suffix}": (1, {}),
        # The rep's line carries its attribution (public source key).
        f"MUG-M-{suffix}": (
            2,
            {"engraving": "For Ada", LINE_SOURCE_KEY: LINE_SOURCE_CUSTOMER_SERVICE},
        ),
    }
    shot(page, "after-token-expiry.png")


def test_pages_follow_the_dashboard_theme(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    csr = live_saleor.client(live_saleor.seed["csr"])
    frame = open_extension(
        page,
        host_url,
        live_saleor,
        "sessions",
        extension_token(live_saleor, csr, "sessions"),
    )
    expect(frame.get_by_role("heading", name="Cart takeovers")).to_be_visible()
    extension = page.locator("#extension").element_handle().content_frame()
    assert extension is not None, "#extension is not an iframe"
    scheme = "document.documentElement.style.colorScheme"
    assert extension.evaluate(scheme) == "light"
    page.evaluate("window.sendTheme('dark')")
    extension.wait_for_function(f"() => {scheme} === 'dark'")
