"""The CSR's work, clicked through the real Saleor Dashboard 3.23.27.

The Dashboard runs from its production build against the live Saleor (uvicorn,
the plugin installed as the demo installs it); it resolves the extensions'
URLs, mints their tokens and speaks the app bridge itself, so these tests see
what a CSR sees. Each test builds its own shopper, cart and draft; one
screenshot per step lands in test-artifacts/dashboard/.
"""

import json
import os
import re
import subprocess
import sys
import uuid
from typing import Any

import graphene
import pytest

try:
    from playwright.sync_api import FrameLocator, Locator, Page, expect
except ImportError:  # Locally optional; CI installs it and must run these tests.
    if os.environ.get("CI"):
        raise
    pytest.skip(
        "Playwright for Python is not installed (pip install playwright)",
        allow_module_level=True,
    )

from saleor_cart_takeover.const import LINE_SOURCE_CUSTOMER_SERVICE, LINE_SOURCE_KEY

from ..e2e.saleor_api import (
    ADDRESS,
    BILLING,
    CHECKOUT_CREATE,
    COMPLETE,
    DELIVERY,
    DRAFT_CREATE,
    SHIPPING,
    SaleorApi,
)
from ..live_server import REPO, LiveSaleor
from .conftest import SCREENSHOTS

DOCS = REPO / "docs" / "screenshots"


def gid(type_name: str, pk: Any) -> str:
    return graphene.Node.to_global_id(type_name, pk)


def pk_of(global_id: str) -> str:
    return graphene.Node.from_global_id(global_id)[1]


def cart_code(token: str) -> str:
    return f"{token[:4]}-{token[4:8]}".upper()


def dash(page: Page, test_id: str) -> Any:
    """The Dashboard marks its controls with data-test-id (the extension's
    pages use data-testid, Playwright's default)."""
    return page.locator(f"[data-test-id={test_id}]")


class Steps:
    """Numbered screenshots of one test, under test-artifacts/dashboard/."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def shot(
        self, page: Page, step: str, docs: str | None = None, show: Any = None
    ) -> None:
        """`show`: a locator (in an iframe) to scroll into view first."""
        if show is not None:
            show.first.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # let the iframe repaint after scrolling
        self.count += 1
        path = SCREENSHOTS / f"{self.name}-{self.count:02d}-{step}.png"
        page.screenshot(path=str(path))
        if docs and os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS / docs))


def sign_in(page: Page, dashboard_url: str, email: str, password: str) -> None:
    page.goto(dashboard_url + "/")
    dash(page, "email").fill(email)
    dash(page, "password").fill(password)
    dash(page, "submit").click()
    expect(dash(page, "menu-item-label-home")).to_be_visible()
    # The "Saleor Pulse" promo card sits over the sidebar's bottom.
    dismiss = dash(page, "ripple-video-announcement-dismiss")
    if dismiss.count():
        dismiss.click()


def create_customer(live: LiveSaleor, first: str, last: str) -> dict:
    """A registered shopper with an address, searchable as Saleor's own
    account mutations leave one (tests/e2e/make_shopper.py)."""
    email = f"{first.lower()}-{uuid.uuid4().hex[:6]}@example.com"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.make_shopper",
            email,
            first,
            last,
            live.seed["password"],
        ],
        env=live.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(made.stdout.strip().splitlines()[-1])


def shopper_cart(
    live: LiveSaleor, email: str, lines: dict[int, int], signed_in: bool = False
) -> tuple:
    """The shopper's cart through the storefront API: signed in (a registered
    shopper), else anonymous with their email."""
    seed = live.seed
    shopper = (
        SaleorApi.login(live.api, email, seed["password"])
        if signed_in
        else SaleorApi(live.api)
    )
    cart = shopper.mutate(
        CHECKOUT_CREATE,
        "checkoutCreate",
        {
            "input": {
                "channel": seed["channel"],
                "email": email,
                "lines": [
                    {"variantId": gid("ProductVariant", pk), "quantity": quantity}
                    for pk, quantity in lines.items()
                ],
            }
        },
    )["checkout"]
    return shopper, cart


def create_draft_in_dashboard(page: Page, live: LiveSaleor, steps: Steps) -> str:
    """Orders → Drafts → Create order → the channel; returns the draft's id."""
    page.get_by_text("Fulfillment", exact=True).click()
    page.get_by_role("link", name="Drafts", exact=True).click()
    dash(page, "create-draft-order-button").click()
    dash(page, "channel-autocomplete").click()
    dash(page, "select-option").filter(
        has_text=f"Web shop {live.seed['channel'][4:]}"
    ).click()
    steps.shot(page, "create-order-channel")
    page.locator("[role=dialog] [data-test-id=submit]").click()
    expect(page).to_have_url(re.compile(r"/orders/drafts/[^/?]+$"))
    return page.url.rsplit("/", 1)[1]


def change_customer(page: Page, email: str, steps: Steps) -> None:
    """Type the start of the email, pick the customer, use their address."""
    dash(page, "change-customer").click()
    dash(page, "select-customer").click()
    page.keyboard.type(email.split("@")[0][:8])
    option = dash(page, "select-option").filter(has_text=email)
    expect(option).to_have_count(1)
    steps.shot(page, "change-customer")
    option.click()
    submit = page.locator("[role=dialog] [data-test-id=submit]")
    expect(submit).to_be_enabled()
    submit.click()
    page.get_by_text("Use one of customer addresses").click()
    page.locator("[role=dialog] [data-test-id=submit]").click()
    expect(page.locator("[role=dialog]")).to_have_count(0)
    expect(page.get_by_text(email).first).to_be_visible()


def open_more_action(page: Page, label: str) -> FrameLocator:
    dash(page, "show-more-button").click()
    page.get_by_role("menuitem", name=label).click()
    return page.frame_locator("[role=dialog] iframe")


def widget(page: Page, name: str) -> FrameLocator:
    return page.frame_locator(f"iframe[src*='/dashboard/{name}']")


def search_and_choose(
    frame: FrameLocator,
    product: str,
    keyword: str = "",
    type_label: str = "All types",
    category_label: str = "All categories",
) -> None:
    frame.get_by_label("Search products").fill(keyword)
    frame.get_by_label("Product type").select_option(label=type_label)
    frame.get_by_label("Category").select_option(label=category_label)
    frame.get_by_role("button", name="Search", exact=True).click()
    expect(frame.get_by_role("button", name=f"Choose {product}")).to_be_visible()
    # By keyboard: the Dashboard's "Order updated" toast can sit over the
    # button, and a click at its position would land on the toast.
    frame.get_by_role("button", name=f"Choose {product}").press("Enter")


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


def draft_grid_row(page: Page, product_name: str) -> Locator:
    """A line of the draft's order-lines grid. The Dashboard paints the grid on
    a canvas; its cells exist as an accessibility table that Playwright counts
    as hidden, so tests wait for the cell to be there rather than visible."""
    return page.locator("[role=gridcell]", has_text=product_name).first


# What a line the rep added or changed carries into the draft and the order
# (public attribution; the staff and session keys are private).
BY_CUSTOMER_SERVICE = {LINE_SOURCE_KEY: LINE_SOURCE_CUSTOMER_SERVICE}


def draft_lines(live: LiveSaleor, order_id: str) -> dict[str, tuple[int, dict]]:
    rows = live.sql(
        "SELECT product_sku, quantity, metadata FROM order_orderline WHERE order_id = %s",
        pk_of(order_id),
    )
    return {sku: (quantity, metadata) for sku, quantity, metadata in rows}


def test_csr_prepares_the_order_and_the_shopper_checks_out(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    suffix = seed["channel"][4:]
    mug, towel = seed["mug"], seed["towel"]
    customer = create_customer(live_saleor, "Wanda", "Maximoff")
    shopper, cart = shopper_cart(
        live_saleor, customer["email"], {towel["variants"]["Linen"]: 1}, signed_in=True
    )
    steps = Steps("flow")
    page = new_page()

    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    steps.shot(page, "signed-in")
    draft_id = create_draft_in_dashboard(page, live_saleor, steps)
    change_customer(page, customer["email"], steps)
    steps.shot(page, "draft-with-customer")

    frame = open_more_action(page, "View user's cart")
    expect(frame.get_by_role("heading", name="Wanda Maximoff's carts")).to_be_visible()
    steps.shot(page, "view-users-cart")
    frame.get_by_role("button", name="Take over Wanda Maximoff's cart").click()
    expect(
        frame.get_by_role("heading", name="Editing Wanda Maximoff's cart")
    ).to_be_visible()
    expect(frame.get_by_test_id("whose-cart")).to_contain_text(cart_code(cart["token"]))
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)
    steps.shot(page, "taken-over", show=frame.get_by_test_id("whose-cart"))

    # Search by keyword, then by product type, then by category.
    search_and_choose(frame, mug["name"], keyword="mug")
    steps.shot(page, "search-keyword", show=frame.get_by_label("Search products"))
    search_and_choose(frame, towel["name"], type_label=f"Textile {suffix}")
    steps.shot(page, "search-product-type", show=frame.get_by_label("Product type"))
    search_and_choose(frame, mug["name"], category_label=seed["category"])
    steps.shot(page, "search-category", show=frame.get_by_label("Category"))
    # The item: variant, quantity and configuration, then Add to Cart.
    expect(
        frame.get_by_test_id("variant-option").filter(has_text="Large")
    ).to_contain_text("Out of stock")
    add_item(frame, "Medium", 2, {"engraving": "For Wanda"})
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)
    steps.shot(
        page,
        "added-to-cart",
        docs="takeover-screen.png",
        show=frame.get_by_test_id("whose-cart"),
    )
    search_and_choose(frame, mug["name"], keyword="mug")
    add_item(frame, "Small", 1, {})
    expect(frame.get_by_test_id("cart-line")).to_have_count(3)

    # Change a quantity, remove a line.
    frame.get_by_label(f"Quantity of {towel['name']} (Linen)").fill("3")
    frame.get_by_role("button", name="Update").first.click()
    expect(frame.get_by_test_id("notice")).to_contain_text("quantity is now 3")
    frame.get_by_role("button", name=f"Remove {mug['name']} (Small)").click()
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)
    steps.shot(
        page, "quantity-changed-line-removed", show=frame.get_by_test_id("whose-cart")
    )

    # Add Items to Order: the popup closes, the draft lists the items and the
    # widget shows the new state, all without a reload.
    frame.get_by_role("button", name="Add Items to Order").click()
    expect(page.locator("[role=dialog] iframe")).to_have_count(0)
    expect(draft_grid_row(page, mug["name"])).to_be_attached()
    expect(draft_grid_row(page, towel["name"])).to_be_attached()
    session = widget(page, "draft-widget").get_by_test_id("widget-session")
    expect(session).to_contain_text("Takeover ended")
    expect(session).to_contain_text("Last added to the order")
    expect(session).to_contain_text("5 item(s) in 2 line(s)")
    steps.shot(page, "items-in-draft", docs="draft-after-add-items.png")
    assert draft_lines(live_saleor, draft_id) == {
        f"TOWEL-{suffix}": (3, BY_CUSTOMER_SERVICE),
        f"MUG-M-{suffix}": (2, {"engraving": "For Wanda", **BY_CUSTOMER_SERVICE}),
    }

    # The shopper checks out on the storefront: their order carries the lines
    # and the CSR's draft is gone.
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
    assert draft_lines(live_saleor, order["id"]) == {
        f"TOWEL-{suffix}": (3, BY_CUSTOMER_SERVICE),
        f"MUG-M-{suffix}": (2, {"engraving": "For Wanda", **BY_CUSTOMER_SERVICE}),
    }
    assert not live_saleor.sql(
        "SELECT 1 FROM order_order WHERE id = %s", pk_of(draft_id)
    )
    page.goto(f"{dashboard_url}/orders/{order['id']}")
    expect(widget(page, "order-widget").get_by_test_id("prepared-by")).to_contain_text(
        seed["csr"]
    )
    steps.shot(page, "shopper-order")


def test_anonymous_shopper_found_by_cart_code(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    suffix = seed["channel"][4:]
    email = f"anon-{uuid.uuid4().hex[:6]}@example.com"
    _, cart = shopper_cart(live_saleor, email, {seed["towel"]["variants"]["Linen"]: 2})
    steps = Steps("anonymous")
    page = new_page()
    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    draft_id = create_draft_in_dashboard(page, live_saleor, steps)
    # A draft with only an email: the customer picker's free-text entry.
    dash(page, "change-customer").click()
    dash(page, "select-customer").click()
    page.keyboard.type(email)
    option = dash(page, "select-option").filter(has_text=f"Use email: {email}")
    expect(option).to_be_visible()
    option.click()
    submit = page.locator("[role=dialog] [data-test-id=submit]")
    expect(submit).to_be_enabled()
    submit.click()
    # No address book to choose from: the Dashboard offers a form; skip it.
    address_prompt = page.get_by_text("Change address for order")
    expect(address_prompt).to_be_visible()
    for _ in range(10):  # Escape is ignored until the dialog has focus
        page.keyboard.press("Escape")
        if not address_prompt.count():
            break
        page.wait_for_timeout(500)
    expect(address_prompt).to_have_count(0)
    expect(page.get_by_text(email).first).to_be_visible()
    steps.shot(page, "draft-with-email")

    frame = open_more_action(page, "View user's cart")
    expect(frame.get_by_text("This draft has no customer account")).to_be_visible()
    frame.get_by_label("Cart code").fill(
        cart_code(cart["token"]).replace("-", "").lower()
    )
    frame.get_by_role("button", name="Find cart").click()
    expect(frame.get_by_test_id("found-cart")).to_contain_text(email)
    steps.shot(page, "found-by-code", docs="find-cart-by-code.png")
    frame.get_by_role(
        "button", name=f"Take over cart {cart_code(cart['token'])}"
    ).click()
    expect(frame.get_by_role("heading", name=f"Editing {email}'s cart")).to_be_visible()
    frame.get_by_role("button", name="Add Items to Order").click()
    expect(page.locator("[role=dialog] iframe")).to_have_count(0)
    expect(
        widget(page, "draft-widget").get_by_test_id("widget-session")
    ).to_contain_text("Last added to the order")
    steps.shot(page, "items-in-draft")
    assert draft_lines(live_saleor, draft_id) == {f"TOWEL-{suffix}": (2, {})}


def test_customer_page_takes_over_the_cart(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    customer = create_customer(live_saleor, "Peter", "Parker")
    steps = Steps("customer")
    page = new_page()
    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    page.goto(f"{dashboard_url}/customers/{customer['id']}")
    expect(page.locator("input[name=email]")).to_have_value(customer["email"])
    frame = open_more_action(page, "Take over cart")
    expect(
        frame.get_by_role("heading", name="Take over Peter Parker's cart")
    ).to_be_visible()
    steps.shot(page, "customer-take-over")
    frame.get_by_role("button", name="Create draft order and take over cart").click()
    frame.get_by_role(
        "button", name=re.compile("Start with a new cart|Take over Peter Parker's cart")
    ).click()
    expect(
        frame.get_by_role("heading", name="Editing Peter Parker's cart")
    ).to_be_visible()
    search_and_choose(frame, seed["towel"]["name"], keyword="towel")
    add_item(frame, "Linen", 4, {})
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)
    steps.shot(page, "customer-cart", docs="customer-takeover.png")
    frame.get_by_role("button", name="Add Items to Order").click()
    # The popup closes and the Dashboard opens the new draft.
    expect(page).to_have_url(re.compile(r"/orders/drafts/[^/?]+$"))
    expect(draft_grid_row(page, seed["towel"]["name"])).to_be_attached()
    steps.shot(page, "new-draft")
    draft_id = page.url.rsplit("/", 1)[1]
    assert draft_lines(live_saleor, draft_id) == {
        f"TOWEL-{seed['channel'][4:]}": (4, BY_CUSTOMER_SERVICE)
    }


def test_cart_takeovers_page_lists_sessions_and_grants(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    email = f"list-{uuid.uuid4().hex[:6]}@example.com"
    _, cart = shopper_cart(live_saleor, email, {seed["towel"]["variants"]["Linen"]: 1})
    # A takeover of this test's own, started by the CSR through the plugin's API.
    csr = SaleorApi.login(live_saleor.api, seed["csr"], seed["password"])
    plugin = SaleorApi(f"{live_saleor.plugin}/graphql/", csr.token)
    draft = csr.mutate(
        DRAFT_CREATE,
        "draftOrderCreate",
        {
            "input": {
                "channelId": gid("Channel", seed["channel_id"]),
                "userEmail": email,
            }
        },
    )["order"]
    plugin.mutate(
        "mutation($d: ID!, $c: ID!) { takeoverStart(draftOrderId: $d, checkoutId: $c)"
        " { session { id } errors { field code message } } }",
        "takeoverStart",
        {"d": draft["id"], "c": cart["id"]},
    )
    steps = Steps("sessions")
    page = new_page()
    sign_in(page, dashboard_url, seed["admin"], seed["password"])
    page.get_by_text("Fulfillment", exact=True).click()
    page.get_by_role("link", name="Cart takeovers").click()
    frame = page.frame_locator("iframe[src*='/dashboard/sessions']")
    expect(frame.get_by_role("heading", name="Cart takeovers")).to_be_visible()
    expect(
        frame.get_by_test_id("session-row").filter(has_text=cart_code(cart["token"]))
    ).to_have_count(1)
    steps.shot(page, "sessions")

    newcomer = seed["newcomer"]
    frame.get_by_label("Staff member's email").fill(newcomer)
    frame.get_by_role("button", name="Grant", exact=True).click()
    expect(frame.get_by_text(f"Granted cart takeover to {newcomer}.")).to_be_visible()
    expect(frame.get_by_test_id("holder-row").filter(has_text=newcomer)).to_have_count(
        1
    )
    steps.shot(page, "granted", docs="sessions-page.png")
    frame.get_by_role("button", name=f"Revoke from {newcomer}").click()
    expect(frame.get_by_text(f"Revoked cart takeover from {newcomer}.")).to_be_visible()
    expect(frame.get_by_test_id("holder-row").filter(has_text=newcomer)).to_have_count(
        0
    )
    steps.shot(page, "revoked")


def test_order_widget_shows_both_pickup_contacts(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    email = f"pickup-{uuid.uuid4().hex[:6]}@example.com"
    shopper, cart = shopper_cart(
        live_saleor, email, {seed["towel"]["variants"]["Linen"]: 1}
    )
    contacts = {
        "primary": {"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com"},
        "alternate": {"firstName": "Bo", "lastName": "Lee", "email": "bo@example.com"},
    }
    shopper.call(
        "mutation($id: ID!, $input: [MetadataInput!]!) { updateMetadata(id: $id,"
        " input: $input) { errors { field message } } }",
        {
            "id": cart["id"],
            "input": [
                {"key": "cart_takeover.pickup_contacts", "value": json.dumps(contacts)}
            ],
        },
    )
    shopper.mutate(
        BILLING, "checkoutBillingAddressUpdate", {"id": cart["id"], "address": ADDRESS}
    )
    shopper.mutate(
        DELIVERY,
        "checkoutDeliveryMethodUpdate",
        {"id": cart["id"], "method": gid("Warehouse", seed["warehouse_id"])},
    )
    order = shopper.mutate(COMPLETE, "checkoutComplete", {"id": cart["id"]})["order"]
    steps = Steps("pickup")
    page = new_page()
    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    page.goto(f"{dashboard_url}/orders/{order['id']}")
    contact = widget(page, "order-widget").get_by_test_id("pickup-contact")
    expect(contact.first).to_contain_text("Ann Lee")
    expect(contact.nth(1)).to_contain_text("Bo Lee")
    steps.shot(page, "order-widget", docs="order-widget.png")


def test_csr_without_the_grant_sees_why_and_no_data(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    customer = create_customer(live_saleor, "Nora", "Allen")
    _, cart = shopper_cart(
        live_saleor,
        customer["email"],
        {seed["towel"]["variants"]["Linen"]: 1},
        signed_in=True,
    )
    # Manages orders, but was never granted cart takeover.
    newcomer = SaleorApi.login(live_saleor.api, seed["newcomer"], seed["password"])
    draft = newcomer.mutate(
        DRAFT_CREATE,
        "draftOrderCreate",
        {
            "input": {
                "channelId": gid("Channel", seed["channel_id"]),
                "user": customer["id"],
            }
        },
    )["order"]
    steps = Steps("no-grant")
    page = new_page()
    sign_in(page, dashboard_url, seed["newcomer"], seed["password"])
    page.goto(f"{dashboard_url}/orders/drafts/{draft['id']}")
    frame = open_more_action(page, "View user's cart")
    error = frame.get_by_test_id("error")
    expect(error).to_contain_text("You don't have permission for this")
    expect(error).to_contain_text("cart takeover permission")
    # Nothing of the shopper's carts is shown.
    expect(frame.get_by_text(cart_code(cart["token"]))).to_have_count(0)
    expect(frame.get_by_role("button", name=re.compile("Take over"))).to_have_count(0)
    steps.shot(page, "permission-denied")
