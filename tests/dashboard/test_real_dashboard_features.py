"""Issue 13's UI, clicked through the real Saleor Dashboard 3.23.27: configured
line options and the "added by customer service" mark, "Revert my changes",
"Hand over", the takeover report (chart, table, CSV) and the popup waiting for
the shopper's consent.

Each test builds its own shopper, cart, draft (and product, rep or setting it
needs) against the shared live Saleor; one screenshot per step lands in
test-artifacts/dashboard/.
"""

import csv
import io
import json
import os
import re
import uuid
from typing import Any

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

from saleor_cart_takeover.const import LINE_OPTIONS_KEY, PLUGIN_ID
from saleor_cart_takeover.takeover.carts import cart_code

from ..clients import LiveClient
from ..live_server import LiveSaleor
from ..operations import END, START
from ..storefront import CONSENT_ANSWER, UPDATE_METADATA
from .steps import (
    Steps,
    add_item,
    create_customer,
    search_and_choose,
    sessions_page,
    shopper_cart,
    sign_in,
    take_over,
)

PLUGIN_UPDATE = """
mutation($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) { errors { field code message } }
}"""
# The popup repaints slowly on busy cores: a second before each screenshot.
REPAINT_MS = 1000


def make(live: LiveSaleor, *args: str) -> dict:
    """Data of one test (tests/dashboard/make_data.py), in the live database."""
    return json.loads(live.run("tests.dashboard.make_data", *args))


def new_rep(live: LiveSaleor) -> str:
    email = f"rep-{uuid.uuid4().hex[:6]}@example.com"
    return make(live, "rep", email, live.seed["password"], live.seed["channel"][4:])[
        "email"
    ]


def cart_rows(live: LiveSaleor, token: str) -> dict[str, tuple[int, dict]]:
    rows = live.sql(
        "SELECT v.sku, l.quantity, l.metadata FROM checkout_checkoutline l"
        " JOIN product_productvariant v ON v.id = l.variant_id"
        " WHERE l.checkout_id = %s",
        token,
    )
    return {sku: (quantity, metadata) for sku, quantity, metadata in rows}


def test_line_options_render_validate_and_mark_the_line(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    suffix = seed["channel"][4:]
    name = f"Fountain pen {uuid.uuid4().hex[:6]}"
    pen = make(live_saleor, "product", suffix, name)
    # The merchant declares the options in the product type's public metadata.
    admin = live_saleor.client(seed["admin"])
    options = [
        {
            "key": "engraving",
            "label": "Engraving text",
            "type": "text",
            "required": True,
            "maxLength": 20,
        },
        {
            "key": "box",
            "label": "Gift box",
            "type": "choice",
            "required": False,
            "choices": ["Plain", "Ribbon"],
        },
    ]
    assert not admin.call(
        UPDATE_METADATA,
        {
            "id": pen["product_type_id"],
            "input": [{"key": LINE_OPTIONS_KEY, "value": json.dumps(options)}],
        },
    )["updateMetadata"]["errors"]
    customer = create_customer(live_saleor, "Ann", "Options")
    _, cart = shopper_cart(
        live_saleor,
        customer["email"],
        {seed["towel"]["variants"]["Linen"]: 1},
        signed_in=True,
    )
    csr = live_saleor.client(seed["csr"])
    draft_id = live_saleor.create_draft(csr, user=customer["id"])
    steps = Steps("line-options", repaint_ms=REPAINT_MS)
    page = new_page()
    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    frame = take_over(page, dashboard_url, draft_id, "Ann Options")

    search_and_choose(frame, name, keyword="fountain")
    fields = frame.get_by_test_id("line-options")
    # Exactly the declared fields: one text input, one select; no free notes.
    expect(fields.locator("input, select")).to_have_count(2)
    engraving = frame.get_by_label(re.compile(r"^Engraving text"))
    box = frame.get_by_label("Gift box")
    expect(engraving).to_have_attribute("aria-required", "true")
    expect(engraving).to_have_attribute("maxlength", "20")
    expect(fields).to_contain_text("Engraving text *")
    expect(box.locator("option")).to_have_text(["None", "Plain", "Ribbon"])
    expect(frame.get_by_label("Note 1 name")).to_have_count(0)
    steps.shot(page, "declared-fields", show=fields)

    # Without the required engraving the item cannot be added.
    box.select_option("Ribbon")
    add = frame.get_by_role("button", name="Add to Cart")
    expect(add).to_be_disabled()
    engraving.fill("x")
    engraving.fill("")
    expect(add).to_be_disabled()
    expect(frame.get_by_test_id("cart-line")).to_have_count(1)
    steps.shot(page, "required-missing", show=add)

    engraving.fill("For Ann")
    expect(add).to_be_enabled()
    add.click()
    lines = frame.get_by_test_id("cart-line")
    expect(lines).to_have_count(2)
    added = lines.filter(has_text=name)
    notes = added.get_by_test_id("line-note")
    expect(notes).to_have_count(2)
    expect(notes.filter(has_text="For Ann")).to_have_count(1)
    expect(notes.filter(has_text="Ribbon")).to_have_count(1)
    expect(added.get_by_test_id("added-by-cs")).to_have_text(
        "Added by customer service"
    )
    # The shopper's own line carries no mark.
    expect(
        lines.filter(has_text=seed["towel"]["name"]).get_by_test_id("added-by-cs")
    ).to_have_count(0)
    steps.shot(page, "line-added", show=added)
    stored = cart_rows(live_saleor, cart["token"])[pen["sku"]]
    assert stored[0] == 1
    assert stored[1] == {
        "engraving": "For Ann",
        "box": "Ribbon",
        "cart_takeover.source": "customer_service",
    }


def test_revert_my_changes_restores_the_original_cart(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    suffix = seed["channel"][4:]
    towel, mug = seed["towel"], seed["mug"]
    customer = create_customer(live_saleor, "Rita", "Revert")
    _, cart = shopper_cart(
        live_saleor, customer["email"], {towel["variants"]["Linen"]: 1}, signed_in=True
    )
    original = cart_rows(live_saleor, cart["token"])
    csr = live_saleor.client(seed["csr"])
    draft_id = live_saleor.create_draft(csr, user=customer["id"])
    steps = Steps("revert", repaint_ms=REPAINT_MS)
    page = new_page()
    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    frame = take_over(page, dashboard_url, draft_id, "Rita Revert")

    quantity = frame.get_by_label(f"Quantity of {towel['name']} (Linen)")
    quantity.fill("3")
    frame.get_by_role("button", name="Update").first.click()
    expect(frame.get_by_test_id("notice")).to_contain_text("quantity is now 3")
    search_and_choose(frame, mug["name"], keyword="mug")
    add_item(frame, "Small", 2, {"engraving": "Oops"})
    expect(frame.get_by_test_id("cart-line")).to_have_count(2)
    steps.shot(page, "edited", show=frame.get_by_test_id("cart-line"))
    assert cart_rows(live_saleor, cart["token"])[f"TOWEL-{suffix}"][0] == 3

    frame.get_by_role("button", name="Revert my changes").click()
    confirm = frame.get_by_role("group", name="Confirm revert")
    expect(confirm).to_contain_text(
        "Undo every change to the cart since you opened it?"
    )
    steps.shot(page, "confirm-revert", show=confirm)
    confirm.get_by_role("button", name="Yes, revert").click()
    lines = frame.get_by_test_id("cart-line")
    expect(lines).to_have_count(1)
    expect(lines).to_contain_text(towel["name"])
    expect(quantity).to_have_value("1")
    expect(frame.get_by_test_id("not-restored")).to_have_count(0)
    steps.shot(page, "reverted", show=lines)
    assert cart_rows(live_saleor, cart["token"]) == original


def test_admin_hands_a_session_over_to_another_rep(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    colleague = new_rep(live_saleor)
    email = f"handover-{uuid.uuid4().hex[:6]}@example.com"
    _, cart = shopper_cart(live_saleor, email, {seed["towel"]["variants"]["Linen"]: 1})
    code = cart_code(cart["token"])
    csr = live_saleor.client(seed["csr"])
    plugin = live_saleor.plugin_client(csr)
    draft_id = live_saleor.create_draft(csr, userEmail=email)
    plugin.post(START, {"draft": draft_id, "checkout": cart["id"]}).payload(
        "takeoverStart"
    )
    steps = Steps("hand-over", repaint_ms=REPAINT_MS)
    page = new_page()
    sign_in(page, dashboard_url, seed["admin"], seed["password"])
    frame = sessions_page(page)
    row = frame.get_by_test_id("session-row").filter(has_text=code)
    expect(row).to_contain_text(seed["csr"])
    steps.shot(page, "session-held-by-csr", show=row)

    row.get_by_role("button", name=f"Hand over cart {code}").click()
    form = frame.get_by_role("form", name=f"Hand over cart {code}")
    form.get_by_label("Colleague's staff email").fill(colleague)
    steps.shot(page, "hand-over-form", docs="csr-hand-over.png", show=form)
    form.get_by_role("button", name="Hand over", exact=True).click()
    expect(frame.get_by_test_id("handed-over")).to_contain_text(
        f"Cart {code} is now with {colleague}."
    )
    expect(row).to_contain_text(colleague)
    expect(row).to_contain_text(f"started by {seed['csr']}")
    steps.shot(page, "handed-over", show=row)
    assert live_saleor.sql(
        "SELECT held_by_email, status FROM saleor_cart_takeover_takeoversession"
        " WHERE checkout_token = %s",
        cart["token"],
    ) == [(colleague, "active")]


def test_report_shows_the_period_and_downloads_csv(
    live_saleor: LiveSaleor, dashboard_url: str, new_page
) -> None:
    seed = live_saleor.seed
    rep = new_rep(live_saleor)
    # This test's rep takes over two carts; hands one back, keeps the other.
    staff = live_saleor.client(rep)
    plugin = live_saleor.plugin_client(staff)
    for index in range(2):
        email = f"report-{uuid.uuid4().hex[:6]}@example.com"
        _, cart = shopper_cart(
            live_saleor, email, {seed["towel"]["variants"]["Linen"]: 1}
        )
        draft_id = live_saleor.create_draft(staff, userEmail=email)
        session = plugin.post(
            START, {"draft": draft_id, "checkout": cart["id"]}
        ).payload("takeoverStart")["session"]
        if index == 0:
            plugin.post(END, {"session": session["id"]}).payload("takeoverEnd")
    steps = Steps("report", repaint_ms=REPAINT_MS)
    page = new_page()
    sign_in(page, dashboard_url, seed["admin"], seed["password"])
    frame = sessions_page(page)
    frame.get_by_role("button", name="Show report").click()
    report = frame.get_by_test_id("report")
    row = frame.get_by_test_id("report-row").filter(has_text=rep)
    expect(row.locator("td")).to_have_text(
        [rep, "2", "1", "0", "0", "0", re.compile(".*"), re.compile(".*")]
    )
    expect(frame.get_by_test_id("report-totals")).to_contain_text("Total")
    # One bar group per rep in the chart.
    expect(
        report.get_by_role("img", name="Sessions per rep by outcome")
    ).to_be_visible()
    expect(report.get_by_test_id("chart-bar")).to_have_count(
        frame.get_by_test_id("report-row").count()
    )
    steps.shot(page, "report", docs="csr-report.png", show=report)

    with page.expect_download() as download_info:
        frame.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(
        r"cart-takeovers-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv",
        download.suggested_filename,
    )
    rows = list(csv.reader(io.StringIO(download.path().read_text())))
    assert rows[0][:7] == [
        "Rep",
        "Sessions",
        "Handed back",
        "Shopper completed",
        "Drafts completed",
        "Expired",
        "Median minutes",
    ]
    mine = [r for r in rows if r[0] == rep]
    assert len(mine) == 1
    assert mine[0][1:6] == ["2", "1", "0", "0", "0"]
    assert rows[-1][0] == "Total"
    steps.shot(page, "csv-downloaded", show=report)


def set_consent(live: LiveSaleor, on: bool) -> None:
    admin = live.client(live.seed["admin"])
    errors = admin.call(
        PLUGIN_UPDATE,
        {
            "id": PLUGIN_ID,
            "input": {
                "active": True,
                "configuration": [
                    {"name": "require_shopper_consent", "value": str(on).lower()}
                ],
            },
        },
    )["pluginUpdate"]["errors"]
    assert not errors, errors


@pytest.fixture
def consent_required(live_saleor: LiveSaleor) -> Any:
    """The setting is shop-wide: on for this test only."""
    set_consent(live_saleor, True)
    yield
    set_consent(live_saleor, False)


def test_popup_waits_for_consent_then_opens_the_cart(
    live_saleor: LiveSaleor, dashboard_url: str, new_page, consent_required
) -> None:
    seed = live_saleor.seed
    customer = create_customer(live_saleor, "Cora", "Consent")
    shopper, cart = shopper_cart(
        live_saleor,
        customer["email"],
        {seed["towel"]["variants"]["Linen"]: 1},
        signed_in=True,
    )
    csr = live_saleor.client(seed["csr"])
    draft_id = live_saleor.create_draft(csr, user=customer["id"])
    steps = Steps("consent", repaint_ms=REPAINT_MS)
    page = new_page()
    sign_in(page, dashboard_url, seed["csr"], seed["password"])
    frame = take_over(page, dashboard_url, draft_id, "Cora Consent")
    expect(frame.get_by_test_id("session-status")).to_have_text(
        "Waiting for the shopper"
    )
    expect(frame.get_by_test_id("pending")).to_contain_text(
        "The shopper has to accept the takeover on the storefront"
    )
    expect(frame.get_by_role("button", name="Add Items to Order")).to_have_count(0)
    expect(frame.get_by_role("button", name=re.compile("^Remove "))).to_be_disabled()
    # The rep is not shown the code of a cart waiting for consent.
    code = re.compile(r"code [0-9A-F]{4}-[0-9A-F]{4}")
    expect(frame.get_by_test_id("whose-cart")).not_to_contain_text(code)
    steps.shot(page, "waiting-for-consent", show=frame.get_by_test_id("pending"))

    # The storefront reads the request from Saleor's API and the signed-in
    # shopper answers on the plugin's endpoint with their own token.
    read = shopper.call(
        "query($id: ID!) { checkout(id: $id) { metadata { key value } } }",
        {"id": cart["id"]},
    )["checkout"]["metadata"]
    requested = {m["key"]: m["value"] for m in read}["cart_takeover.consent_requested"]
    answered = LiveClient(live_saleor.plugin_api, shopper.token).call(
        CONSENT_ANSWER, {"checkout": cart["id"], "session": requested, "accept": True}
    )["takeoverConsentAnswer"]
    assert answered == {"status": "ACTIVE", "errors": []}

    # The popup notices by itself (it polls) and opens the cart for editing.
    expect(frame.get_by_test_id("session-status")).to_have_text("Takeover active")
    expect(frame.get_by_test_id("pending")).to_have_count(0)
    expect(frame.get_by_role("button", name="Add Items to Order")).to_be_enabled()
    expect(frame.get_by_label("Search products")).to_be_visible()
    expect(frame.get_by_test_id("whose-cart")).to_contain_text(cart_code(cart["token"]))
    steps.shot(page, "consent-given", show=frame.get_by_test_id("whose-cart"))
