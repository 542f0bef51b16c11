"""The seed's workflow in real Chromium, inside a Dashboard stand-in, against a live Saleor.

The extension pages are served by the plugin in a uvicorn-run Saleor; the host
page embeds them like the Dashboard does (query parameters, sandbox, the
app-bridge handshake with tokens minted by Saleor for the logged-in CSR) and
records every action the extension posts.
"""

import json
import os
import re
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import graphene
import pytest
import requests

try:
    from playwright.sync_api import FrameLocator, Page, expect
except ImportError:  # Locally optional; CI installs it and must run these tests.
    if os.environ.get("CI"):
        raise
    pytest.skip(
        "Playwright for Python is not installed (pip install playwright)",
        allow_module_level=True,
    )

from .conftest import ARTIFACTS, DASHBOARD_TOKEN_TTL, LiveSaleor, copy_to_docs
from .saleor_api import (
    ADDRESS,
    BILLING,
    CHECKOUT_CREATE,
    COMPLETE,
    DELIVERY,
    DRAFT_CREATE,
    SHIPPING,
    SaleorApi,
)


def gid(type_name: str, pk: Any) -> str:
    return graphene.Node.to_global_id(type_name, pk)


def pk_of(global_id: str) -> str:
    return graphene.Node.from_global_id(global_id)[1]


def cart_code(token: str) -> str:
    return f"{token[:4]}-{token[4:8]}".upper()


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


def csr_api(live: LiveSaleor, who: str = "csr") -> SaleorApi:
    return SaleorApi.login(live.api, live.seed[who], live.seed["password"])


def create_draft(csr: SaleorApi, live: LiveSaleor, **customer: str) -> dict:
    """The CSR's "Orders → Create order" in the Dashboard, through Saleor's API."""
    return csr.mutate(
        DRAFT_CREATE,
        "draftOrderCreate",
        {"input": {"channelId": gid("Channel", live.seed["channel_id"]), **customer}},
    )["order"]


def extension_token(live: LiveSaleor, csr: SaleorApi, identifier: str) -> str:
    return csr.extension_token(gid("App", live.seed["app_id"]), identifier)[1]


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


# Lines the rep added carry this public mark (issue 13, attribution).
BY_CS = {"cart_takeover.source": "customer_service"}


def draft_lines(live: LiveSaleor, draft_id: str) -> dict[str, tuple[int, dict]]:
    rows = live.sql(
        "SELECT product_sku, quantity, metadata FROM order_orderline WHERE order_id = %s",
        pk_of(draft_id),
    )
    return {sku: (quantity, metadata) for sku, quantity, metadata in rows}


def session_row(
    live: LiveSaleor, draft_id: str | None = None, order_id: str | None = None
):
    column, value = ("draft_order_id", draft_id) if draft_id else ("order_id", order_id)
    rows = live.sql(
        "SELECT status, end_reason, order_id::text, started_by_email"
        f" FROM saleor_cart_takeover_takeoversession WHERE {column} = %s",
        pk_of(value),
    )
    assert len(rows) == 1, rows
    return rows[0]


def test_registered_shopper_gets_the_order_the_csr_prepared(
    live_saleor: LiveSaleor, page: Page, browser: Any, host_url: str
) -> None:
    seed = live_saleor.seed
    mug, towel = seed["mug"], seed["towel"]
    shopper = SaleorApi.login(live_saleor.api, seed["shopper"], seed["password"])
    cart = shopper.mutate(
        CHECKOUT_CREATE,
        "checkoutCreate",
        {
            "input": {
                "channel": seed["channel"],
                "lines": [
                    {
                        "variantId": gid("ProductVariant", mug["variants"]["Small"]),
                        "quantity": 1,
                    }
                ],
            }
        },
    )["checkout"]
    csr = csr_api(live_saleor)
    draft = create_draft(csr, live_saleor, user=gid("User", seed["shopper_id"]))

    # Draft order → ⋮ → "View user's cart".
    popup_token = extension_token(live_saleor, csr, "takeover")
    minted = time.monotonic()
    frame = open_extension(
        page, host_url, live_saleor, "takeover", popup_token, draftOrderId=draft["id"]
    )
    expect(frame.get_by_role("heading", name="Wade Wilson's carts")).to_be_visible()
    frame.get_by_role("button", name="Take over Wade Wilson's cart").click()

    # The header says plainly whose cart this is (not the CSR's).
    expect(
        frame.get_by_role("heading", name="Editing Wade Wilson's cart")
    ).to_be_visible()
    expect(frame.get_by_test_id("whose-cart")).to_contain_text(seed["csr"])
    expect(frame.get_by_test_id("whose-cart")).to_contain_text(cart_code(cart["token"]))
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)

    # Search by keyword narrowed by product type, open the item, choose its
    # variant, quantity and engraving, Add to Cart.
    search_and_choose(frame, "mug", mug["name"], type_label=seed["mug_type"])
    expect(frame.get_by_role("radio", name=re.compile("Large"))).to_be_visible()
    expect(
        frame.get_by_test_id("variant-option").filter(has_text="Large")
    ).to_contain_text("Out of stock")
    shot(page, "item-view.png")
    add_item(frame, "Medium", 2, {"engraving": "For Ada"})
    expect(frame.get_by_test_id("notice")).to_contain_text(f"Added 2 × {mug['name']}")
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)
    expect(frame.get_by_test_id("line-note")).to_have_text("For Ada")

    # Change a quantity; add something and remove it again.
    frame.get_by_label(f"Quantity of {mug['name']} (Small)").fill("3")
    frame.get_by_role("button", name="Update").click()
    expect(frame.get_by_test_id("notice")).to_contain_text("quantity is now 3")
    search_and_choose(frame, "towel", towel["name"])
    add_item(frame, "Linen", 1, {})
    expect(frame.get_by_test_id("cart-line")).to_have_count(3)
    frame.get_by_role("button", name=f"Remove {towel['name']} (Linen)").click()
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)
    expect(frame.get_by_test_id("subtotal")).to_have_text("$64.00")
    shot(page, "takeover-screen.png", docs=True)

    # The shopper's own cart changed, and they cannot check out meanwhile.
    lines = live_saleor.sql(
        "SELECT v.sku, l.quantity FROM checkout_checkoutline l"
        " JOIN product_productvariant v ON v.id = l.variant_id WHERE l.checkout_id = %s",
        cart["token"],
    )
    assert dict(lines) == {
        f"MUG-S-{seed['channel'][4:]}": 3,
        f"MUG-M-{seed['channel'][4:]}": 2,
    }

    # A second rep opening the same draft is told who holds the cart.
    manager = csr_api(live_saleor, "manager")
    other = browser.new_context().new_page()
    other_frame = open_extension(
        other,
        host_url,
        live_saleor,
        "takeover",
        extension_token(live_saleor, manager, "takeover"),
        draftOrderId=draft["id"],
    )
    expect(other_frame.get_by_test_id("error")).to_contain_text(seed["csr"])
    shot(other, "already-taken-over.png")
    other.context.close()

    # The Dashboard never refreshes a popup's token; once it has expired the
    # screen still works on the plugin session it exchanged the token for.
    time.sleep(max(0.0, DASHBOARD_TOKEN_TTL + 1 - (time.monotonic() - minted)))
    expired = requests.post(
        f"{live_saleor.plugin}/graphql/",
        json={"query": "{ viewer { email } }"},
        headers={"Authorization": f"Bearer {popup_token}"},
        timeout=30,
    )
    assert expired.status_code == 401

    # "Add Items to Order": copy, hand the cart back, tell the Dashboard, close.
    frame.get_by_role("button", name="Add Items to Order").click()
    wait_for_action(page, "popupClose")
    posted = [a["type"] for a in actions(page)]
    assert posted[0] == "notifyReady"
    assert posted[1:] == ["notification", "refreshEntity", "popupClose"]
    notification = actions(page)[1]["payload"]
    assert notification["status"] == "success"
    assert f"draft order #{draft['number']}" in notification["text"]
    suffix = seed["channel"][4:]
    assert draft_lines(live_saleor, draft["id"]) == {
        f"MUG-S-{suffix}": (3, BY_CS),  # the rep changed its quantity
        f"MUG-M-{suffix}": (2, {"engraving": "For Ada", **BY_CS}),
    }
    assert session_row(live_saleor, draft_id=draft["id"])[0] == "ended"

    # The shopper checks out and gets the order the CSR prepared.
    checkout_id = cart["id"]
    shopper.mutate(
        SHIPPING,
        "checkoutShippingAddressUpdate",
        {"id": checkout_id, "address": ADDRESS},
    )
    shopper.mutate(
        BILLING, "checkoutBillingAddressUpdate", {"id": checkout_id, "address": ADDRESS}
    )
    shopper.mutate(
        DELIVERY,
        "checkoutDeliveryMethodUpdate",
        {
            "id": checkout_id,
            "method": gid("ShippingMethod", seed["shipping_method_id"]),
        },
    )
    order = shopper.mutate(COMPLETE, "checkoutComplete", {"id": checkout_id})["order"]
    status, _, order_pk, started_by = session_row(live_saleor, order_id=order["id"])
    assert (status, started_by) == ("completed", seed["csr"])
    assert (
        live_saleor.sql(
            "SELECT count(*) FROM order_order WHERE id = %s", pk_of(draft["id"])
        )[0][0]
        == 0
    )


def test_anonymous_shopper_found_by_cart_code(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    seed = live_saleor.seed
    mug, towel = seed["mug"], seed["towel"]
    suffix = seed["channel"][4:]
    email = f"anon-{uuid.uuid4().hex[:6]}@example.com"
    shopper = SaleorApi(live_saleor.api)
    cart = shopper.mutate(
        CHECKOUT_CREATE,
        "checkoutCreate",
        {
            "input": {
                "channel": seed["channel"],
                "email": email,
                "lines": [
                    {
                        "variantId": gid("ProductVariant", towel["variants"]["Linen"]),
                        "quantity": 1,
                    }
                ],
            }
        },
    )["checkout"]
    csr = csr_api(live_saleor)
    draft = create_draft(csr, live_saleor, userEmail=email)

    frame = open_extension(
        page,
        host_url,
        live_saleor,
        "takeover",
        extension_token(live_saleor, csr, "takeover"),
        draftOrderId=draft["id"],
    )
    expect(frame.get_by_text("This draft has no customer account")).to_be_visible()
    # The shopper reads the code out; the CSR types it as heard.
    frame.get_by_label("Cart code").fill(
        cart_code(cart["token"]).replace("-", "").lower()
    )
    frame.get_by_role("button", name="Find cart").click()
    expect(frame.get_by_test_id("found-cart")).to_contain_text(email)
    shot(page, "find-cart-by-code.png", docs=True)
    frame.get_by_role(
        "button", name=f"Take over cart {cart_code(cart['token'])}"
    ).click()
    expect(frame.get_by_role("heading", name=f"Editing {email}'s cart")).to_be_visible()

    search_and_choose(frame, "mug", mug["name"])
    add_item(frame, "Medium", 1, {"engraving": "Happy birthday", "gift wrap": "yes"})
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)

    # Pickup contacts for a click-and-collect order.
    frame.get_by_label("Primary contact: first name").fill("Ada")
    frame.get_by_label("Primary contact: last name").fill("Lovelace")
    frame.get_by_label("Primary contact: email").fill("ada@example.com")
    frame.get_by_label("Alternate contact: first name").fill("Charles")
    frame.get_by_label("Alternate contact: last name").fill("Babbage")
    frame.get_by_label("Alternate contact: email").fill("charles@example.com")
    frame.get_by_role("button", name="Save pickup contacts").click()
    expect(frame.get_by_test_id("notice")).to_contain_text("Pickup contacts saved")

    # Copy and keep editing: the draft refreshes, the popup stays.
    frame.get_by_role("button", name="Copy to order and keep editing").click()
    wait_for_action(page, "refreshEntity")
    assert "popupClose" not in [a["type"] for a in actions(page)]
    assert draft_lines(live_saleor, draft["id"]) == {
        f"TOWEL-{suffix}": (1, {}),
        f"MUG-M-{suffix}": (
            1,
            {"engraving": "Happy birthday", "gift wrap": "yes", **BY_CS},
        ),
    }
    expect(frame.get_by_test_id("session-status")).to_have_text("Takeover active")

    frame.get_by_label(f"Quantity of {towel['name']} (Linen)").fill("2")
    frame.get_by_role("button", name="Update").click()
    expect(frame.get_by_test_id("notice")).to_contain_text("quantity is now 2")
    frame.get_by_role("button", name="Add Items to Order").click()
    wait_for_action(page, "popupClose")
    assert [a["type"] for a in actions(page)][-3:] == [
        "notification",
        "refreshEntity",
        "popupClose",
    ]
    assert draft_lines(live_saleor, draft["id"])[f"TOWEL-{suffix}"] == (2, BY_CS)

    # The draft's widget shows the hand-back and opens the takeover popup.
    widget = open_extension(
        page,
        host_url,
        live_saleor,
        "draft-widget",
        extension_token(live_saleor, csr, "draft-widget"),
        widget=True,
        orderId=draft["id"],
    )
    expect(widget.get_by_test_id("widget-session")).to_contain_text(
        cart_code(cart["token"])
    )
    expect(widget.get_by_test_id("widget-session")).to_contain_text("Takeover ended")
    shot(page, "draft-widget.png")
    widget.get_by_role("button", name="View user's cart").click()
    wait_for_action(page, "openPopup")
    popup = next(a for a in actions(page) if a["type"] == "openPopup")["payload"]
    assert popup["extensionIdentifier"] == "takeover"

    # The shopper collects in store and checks out.
    checkout_id = cart["id"]
    shopper.mutate(
        BILLING, "checkoutBillingAddressUpdate", {"id": checkout_id, "address": ADDRESS}
    )
    shopper.mutate(
        DELIVERY,
        "checkoutDeliveryMethodUpdate",
        {"id": checkout_id, "method": gid("Warehouse", seed["warehouse_id"])},
    )
    order = shopper.mutate(COMPLETE, "checkoutComplete", {"id": checkout_id})["order"]
    assert session_row(live_saleor, order_id=order["id"])[0] == "completed"
    metadata = live_saleor.sql(
        "SELECT metadata FROM order_order WHERE id = %s", pk_of(order["id"])
    )[0][0]
    contacts = json.loads(metadata["cart_takeover.pickup_contacts"])
    assert contacts["primary"]["email"] == "ada@example.com"

    # The order's widget names the pickup contacts and who prepared the order.
    widget = open_extension(
        page,
        host_url,
        live_saleor,
        "order-widget",
        extension_token(live_saleor, csr, "order-widget"),
        widget=True,
        orderId=order["id"],
    )
    expect(widget.get_by_test_id("pickup-contact").first).to_contain_text(
        "Ada Lovelace"
    )
    expect(widget.get_by_test_id("pickup-contact").nth(1)).to_contain_text(
        "Charles Babbage"
    )
    expect(widget.get_by_test_id("prepared-by")).to_contain_text(seed["csr"])
    shot(page, "order-widget.png")


def test_customer_page_creates_a_draft_and_takes_over(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    seed = live_saleor.seed
    towel = seed["towel"]
    csr = csr_api(live_saleor)
    frame = open_extension(
        page,
        host_url,
        live_saleor,
        "customer",
        extension_token(live_saleor, csr, "customer"),
        theme="dark",
        customerId=gid("User", seed["shopper_id"]),
    )
    expect(
        frame.get_by_role("heading", name="Take over Wade Wilson's cart")
    ).to_be_visible()
    frame.get_by_role("button", name="Create draft order and take over cart").click()
    frame.get_by_role(
        "button", name=re.compile("Start with a new cart|Take over Wade Wilson's cart")
    ).click()
    expect(
        frame.get_by_role("heading", name="Editing Wade Wilson's cart")
    ).to_be_visible()
    search_and_choose(frame, "towel", towel["name"])
    add_item(frame, "Linen", 4, {})
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)
    shot(page, "customer-takeover-dark.png", docs=True)
    frame.get_by_role("button", name="Add Items to Order").click()
    wait_for_action(page, "popupClose")
    posted = actions(page)
    assert [a["type"] for a in posted][-3:] == [
        "notification",
        "redirect",
        "popupClose",
    ]
    redirect = posted[-2]["payload"]["to"]
    draft_id = redirect.removeprefix("/orders/drafts/")
    rows = live_saleor.sql(
        "SELECT o.status, o.user_id, l.product_sku, l.quantity FROM order_order o"
        " JOIN order_orderline l ON l.order_id = o.id WHERE o.id = %s",
        pk_of(draft_id),
    )
    assert rows == [("draft", seed["shopper_id"], f"TOWEL-{seed['channel'][4:]}", 4)]


def test_sessions_page_and_granting_the_permission(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    seed = live_saleor.seed
    manager = csr_api(live_saleor, "manager")
    # App pages get the App's own token for the user, as the Dashboard fetches it.
    app_token = manager.call(
        "query($id: ID!) { app(id: $id) { accessToken } }",
        {"id": gid("App", seed["app_id"])},
    )["app"]["accessToken"]
    frame = open_extension(page, host_url, live_saleor, "sessions", app_token)
    expect(frame.get_by_role("heading", name="Cart takeovers")).to_be_visible()
    frame.get_by_label("Show").select_option(label="All recent")
    expect(frame.get_by_test_id("session-row").first).to_be_visible()

    frame.get_by_label("Staff member's email").fill(seed["newcomer"])
    frame.get_by_role("button", name="Grant", exact=True).click()
    expect(
        frame.get_by_text(f"Granted cart takeover to {seed['newcomer']}.")
    ).to_be_visible()
    expect(
        frame.get_by_test_id("holder-row").filter(has_text=seed["newcomer"])
    ).to_have_count(1)
    granted = live_saleor.sql(
        "SELECT g.granted_by_email FROM saleor_cart_takeover_takeovergrant g"
        " JOIN account_user u ON u.id = g.user_id WHERE u.email = %s",
        seed["newcomer"],
    )
    assert granted == [(seed["manager"],)]
    shot(page, "sessions-page.png", docs=True)

    frame.get_by_role("button", name=f"Revoke from {seed['newcomer']}").click()
    expect(
        frame.get_by_text(f"Revoked cart takeover from {seed['newcomer']}.")
    ).to_be_visible()
    assert not live_saleor.sql(
        "SELECT 1 FROM saleor_cart_takeover_takeovergrant g"
        " JOIN account_user u ON u.id = g.user_id WHERE u.email = %s",
        seed["newcomer"],
    )


def test_without_permission_the_page_explains_why(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    # The Dashboard hands an empty token when the user lacks MANAGE_ORDERS.
    frame = open_extension(
        page, host_url, live_saleor, "takeover", "", draftOrderId="x"
    )
    expect(frame.get_by_test_id("no-token")).to_contain_text("Manage orders")

    # A rep who manages orders but was never granted cart takeover.
    newcomer = csr_api(live_saleor, "newcomer")
    draft = create_draft(newcomer, live_saleor, userEmail="someone@example.com")
    frame = open_extension(
        page,
        host_url,
        live_saleor,
        "takeover",
        extension_token(live_saleor, newcomer, "takeover"),
        draftOrderId=draft["id"],
    )
    error = frame.get_by_test_id("error")
    expect(error).to_contain_text("You don't have permission for this")
    expect(error).to_contain_text("cart takeover permission")
    shot(page, "permission-denied.png")


def test_pages_follow_the_dashboard_theme(
    live_saleor: LiveSaleor, page: Page, host_url: str
) -> None:
    csr = csr_api(live_saleor)
    frame = open_extension(
        page,
        host_url,
        live_saleor,
        "sessions",
        extension_token(live_saleor, csr, "sessions"),
    )
    expect(frame.get_by_role("heading", name="Cart takeovers")).to_be_visible()
    extension = page.locator("#extension").element_handle().content_frame()
    scheme = "document.documentElement.style.colorScheme"
    assert extension.evaluate(scheme) == "light"
    page.evaluate("window.sendTheme('dark')")
    extension.wait_for_function(f"() => {scheme} === 'dark'")
