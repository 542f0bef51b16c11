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
import uuid

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

from saleor_cart_takeover.const import LINE_SOURCE_CUSTOMER_SERVICE, LINE_SOURCE_KEY
from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import ADDRESS
from ..ids import gid, pk_of
from ..live_server import LiveSaleor
from ..operations import START
from ..storefront import (
    BILLING_ADDRESS,
    COMPLETE,
    DELIVERY,
    SHIPPING_ADDRESS,
    UPDATE_METADATA,
)
from .steps import (
    Steps,
    add_item,
    change_customer,
    choose_option,
    create_customer,
    create_draft_in_dashboard,
    dash,
    draft_grid_row,
    open_more_action,
    open_users_cart,
    search_and_choose,
    sessions_page,
    shopper_cart,
    sign_in,
    widget,
)

# What a line the rep added or changed carries into the draft and the order
# (public attribution; the staff and session keys are private).
BY_CUSTOMER_SERVICE = {LINE_SOURCE_KEY: LINE_SOURCE_CUSTOMER_SERVICE}


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
    steps.shot(page, "view-users-cart", docs="csr-view-users-cart.png")
    frame.get_by_role("button", name="Take over Wanda Maximoff's cart").click()
    expect(
        frame.get_by_role("heading", name="Editing Wanda Maximoff's cart")
    ).to_be_visible()
    expect(frame.get_by_test_id("whose-cart")).to_contain_text(cart_code(cart["token"]))
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)
    steps.shot(page, "taken-over", show=frame.get_by_test_id("whose-cart"))

    # Search by keyword, then by product type, then by category.
    search_and_choose(frame, mug["name"], keyword="mug")
    steps.shot(
        page,
        "search-keyword",
        docs="csr-search.png",
        show=frame.get_by_label("Search products"),
    )
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
    assert live_saleor.order_lines(draft_id) == {
        f"TOWEL-{suffix}": (3, BY_CUSTOMER_SERVICE),
        f"MUG-M-{suffix}": (2, {"engraving": "For Wanda", **BY_CUSTOMER_SERVICE}),
    }

    # The shopper checks out on the storefront: their order carries the lines
    # and the CSR's draft is gone.
    checkout_id = cart["id"]
    address = {"id": checkout_id, "address": ADDRESS}
    shopper.post(SHIPPING_ADDRESS, address).payload("checkoutShippingAddressUpdate")
    shopper.post(BILLING_ADDRESS, address).payload("checkoutBillingAddressUpdate")
    shopper.post(
        DELIVERY,
        {
            "id": checkout_id,
            "method": gid("ShippingMethod", seed["shipping_method_id"]),
        },
    ).payload("checkoutDeliveryMethodUpdate")
    order = shopper.post(COMPLETE, {"id": checkout_id}).payload("checkoutComplete")[
        "order"
    ]
    assert live_saleor.order_lines(order["id"]) == {
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
    customer = dash(page, "select-customer")
    customer.click()
    page.keyboard.type(email)
    choose_option(page, customer, f"Use email: {email}").click()
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
    assert live_saleor.order_lines(draft_id) == {f"TOWEL-{suffix}": (2, {})}


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
    assert live_saleor.order_lines(draft_id) == {
        f"TOWEL-{seed['channel'][4:]}": (4, BY_CUSTOMER_SERVICE)
    }


def test_cart_takeovers_page_lists_sessions_and_grants(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    email = f"list-{uuid.uuid4().hex[:6]}@example.com"
    _, cart = shopper_cart(live_saleor, email, {seed["towel"]["variants"]["Linen"]: 1})
    # A takeover of this test's own, started by the CSR through the plugin's API.
    csr = live_saleor.client(seed["csr"])
    draft_id = live_saleor.create_draft(csr, userEmail=email)
    live_saleor.plugin_client(csr).post(
        START, {"draft": draft_id, "checkout": cart["id"]}
    ).payload("takeoverStart")
    steps = Steps("sessions")
    page = new_page()
    sign_in(page, dashboard_url, seed["admin"], seed["password"])
    frame = sessions_page(page)
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
        UPDATE_METADATA,
        {
            "id": cart["id"],
            "input": [
                {"key": "cart_takeover.pickup_contacts", "value": json.dumps(contacts)}
            ],
        },
    )
    shopper.post(BILLING_ADDRESS, {"id": cart["id"], "address": ADDRESS}).payload(
        "checkoutBillingAddressUpdate"
    )
    shopper.post(
        DELIVERY, {"id": cart["id"], "method": gid("Warehouse", seed["warehouse_id"])}
    ).payload("checkoutDeliveryMethodUpdate")
    order = shopper.post(COMPLETE, {"id": cart["id"]}).payload("checkoutComplete")[
        "order"
    ]
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
    newcomer = live_saleor.client(seed["newcomer"])
    draft_id = live_saleor.create_draft(newcomer, user=customer["id"])
    steps = Steps("no-grant")
    page = new_page()
    sign_in(page, dashboard_url, seed["newcomer"], seed["password"])
    frame = open_users_cart(page, dashboard_url, draft_id)
    error = frame.get_by_test_id("error")
    expect(error).to_contain_text("You don't have permission for this")
    expect(error).to_contain_text("cart takeover permission")
    # Nothing of the shopper's carts is shown.
    expect(frame.get_by_text(cart_code(cart["token"]))).to_have_count(0)
    expect(frame.get_by_role("button", name=re.compile("Take over"))).to_have_count(0)
    steps.shot(page, "permission-denied", docs="csr-no-grant.png")
