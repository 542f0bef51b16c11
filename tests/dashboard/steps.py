"""What a CSR or an admin does in the real Saleor Dashboard, step by step, for
the tests in this folder; and the shoppers and carts those steps start from."""

import json
import os
import re
import uuid
from pathlib import Path
from typing import Any, Protocol

from playwright.sync_api import FrameLocator, Locator, Page, expect

from ..clients import LiveClient
from ..live_server import REPO, LiveSaleor
from .conftest import SCREENSHOTS

DOCS = REPO / "docs" / "screenshots"
# Viewport height for docs shots of steps further down a page or popup.
DOCS_TALL = 2000
DOCS_PAINT_TRIES = 20


def dash(page: Page, test_id: str) -> Any:
    """The Dashboard marks its controls with data-test-id (the extension's
    pages use data-testid, Playwright's default)."""
    return page.locator(f"[data-test-id={test_id}]")


class Screenshots(Protocol):
    """What the steps below need of a test's screenshots: `Steps`, or a
    stand-in that takes none."""

    def shot(
        self, page: Page, step: str, docs: str | None = None, show: Any = None
    ) -> None: ...


class Steps:
    """Numbered screenshots of one test, under test-artifacts/dashboard/."""

    def __init__(self, name: str, repaint_ms: int = 300) -> None:
        self.name = name
        self.count = 0
        # How long an iframe may take to repaint after scrolling.
        self.repaint_ms = repaint_ms

    def shot(
        self, page: Page, step: str, docs: str | None = None, show: Any = None
    ) -> None:
        """`show`: a locator (in an iframe) to scroll into view first."""
        if show is not None:
            show.first.scroll_into_view_if_needed()
            page.wait_for_timeout(self.repaint_ms)
        self.count += 1
        path = SCREENSHOTS / f"{self.name}-{self.count:02d}-{step}.png"
        page.screenshot(path=str(path))
        if docs and os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
            self.docs_shot(page, docs, show)

    def docs_shot(self, page: Page, name: str, show: Any) -> None:
        """The docs' copy, shot unscrolled in a viewport tall enough for the
        whole popup. Headless Chromium paints a popup's iframe slowly on busy
        cores (often only its first lines for seconds): shoot again until the
        popup shows more than its top, or give up after a while."""
        DOCS.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size or {"width": 1280, "height": 900}
        if show is not None:
            show.first.evaluate("e => e.ownerDocument.scrollingElement.scrollTo(0, 0)")
            page.set_viewport_size({"width": size["width"], "height": DOCS_TALL})
        path = DOCS / name
        for _ in range(DOCS_PAINT_TRIES):
            page.wait_for_timeout(self.repaint_ms)
            page.screenshot(path=str(path))
            if not half_painted(path):
                break
        if show is not None:
            page.set_viewport_size(size)
            show.first.scroll_into_view_if_needed()
        trim(path, size["height"])


def half_painted(path: Path) -> bool:
    """Whether the popup's content stops right below its first lines: white
    from there down to the middle of the viewport."""
    from PIL import Image

    grey = Image.open(path).convert("L")
    width, height = grey.size
    band = grey.crop((80, 200, width - 80, min(height, 700)))
    return band.point(lambda value: 255 if value < 235 else 0).getbbox() is None


def trim(path: Path, least_height: int) -> None:
    """Cut a tall docs shot below its last line of content (the popup's empty
    rest), never shorter than the test's viewport, and store it small."""
    from PIL import Image

    image = Image.open(path).convert("RGB")
    width, height = image.size
    grey = image.convert("L").crop((80, 0, width - 80, height - 60))
    # The lowest row with anything darker than the popup's white background.
    rows = grey.point(lambda value: 255 if value < 235 else 0).getbbox()
    bottom = (rows[3] + 40) if rows else height
    image = image.crop((0, 0, width, min(height, max(least_height, bottom))))
    # 256 colours hold a Dashboard screen without visible loss, at a third of
    # the bytes of Chromium's own PNG.
    palette = image.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette.save(path, optimize=True)


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
    made = live.run("tests.e2e.make_shopper", email, first, last, live.seed["password"])
    return json.loads(made)


def shopper_cart(
    live: LiveSaleor, email: str, lines: dict[int, int], signed_in: bool = False
) -> tuple[LiveClient, dict]:
    """The shopper's cart through the storefront API: signed in (a registered
    shopper), else anonymous with their email."""
    shopper = live.client(email if signed_in else None)
    return shopper, live.create_cart(shopper, email, lines)


def choose_option(page: Page, field: Locator, text: str) -> Locator:
    """Click the open combobox's option holding `text`, as often as a person
    would: until the dialog's Confirm button takes it (three tries). The
    Dashboard re-renders its option list when the list's query answers; on a
    busy machine a click landing in between is lost, and the list stays open
    (or closes) with nothing chosen. `field` reopens the list. Returns the
    enabled Confirm button."""
    option = dash(page, "select-option").filter(has_text=text)
    submit = page.locator("[role=dialog] [data-test-id=submit]")
    for attempt in range(3):
        if attempt and not option.is_visible():
            field.click()
        expect(option).to_have_count(1)
        option.click()
        try:
            expect(submit).to_be_enabled(timeout=5_000)
            return submit
        except AssertionError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def create_draft_in_dashboard(page: Page, live: LiveSaleor, steps: Screenshots) -> str:
    """Orders → Drafts → Create order → the channel; returns the draft's id."""
    page.get_by_text("Fulfillment", exact=True).click()
    page.get_by_role("link", name="Drafts", exact=True).click()
    dash(page, "create-draft-order-button").click()
    channel = dash(page, "channel-autocomplete")
    channel.click()
    submit = choose_option(page, channel, f"Web shop {live.seed['channel'][4:]}")
    steps.shot(page, "create-order-channel")
    submit.click()
    expect(page).to_have_url(re.compile(r"/orders/drafts/[^/?]+$"))
    return page.url.rsplit("/", 1)[1]


def change_customer(page: Page, email: str, steps: Screenshots) -> None:
    """Type the start of the email, pick the customer, use their address."""
    dash(page, "change-customer").click()
    customer = dash(page, "select-customer")
    customer.click()
    page.keyboard.type(email.split("@")[0][:8])
    expect(dash(page, "select-option").filter(has_text=email)).to_have_count(1)
    steps.shot(page, "change-customer")
    choose_option(page, customer, email).click()
    page.get_by_text("Use one of customer addresses").click()
    page.locator("[role=dialog] [data-test-id=submit]").click()
    expect(page.locator("[role=dialog]")).to_have_count(0)
    expect(page.get_by_text(email).first).to_be_visible()


def open_more_action(page: Page, label: str) -> FrameLocator:
    """The page's ⋮ menu → an extension's entry; the popup it opens."""
    dash(page, "show-more-button").click()
    page.get_by_role("menuitem", name=label).click()
    return page.frame_locator("[role=dialog] iframe")


def open_users_cart(page: Page, dashboard_url: str, draft_id: str) -> FrameLocator:
    """The draft's page → ⋮ → View user's cart."""
    page.goto(f"{dashboard_url}/orders/drafts/{draft_id}")
    return open_more_action(page, "View user's cart")


def take_over(page: Page, dashboard_url: str, draft_id: str, name: str) -> FrameLocator:
    """The draft's ⋮ → View user's cart → Take over the shopper's cart."""
    frame = open_users_cart(page, dashboard_url, draft_id)
    frame.get_by_role("button", name=f"Take over {name}'s cart").click()
    expect(frame.get_by_role("heading", name=f"Editing {name}'s cart")).to_be_visible()
    return frame


def widget(page: Page, name: str) -> FrameLocator:
    return page.frame_locator(f"iframe[src*='/dashboard/{name}']")


def sessions_page(page: Page) -> FrameLocator:
    """Fulfillment → Cart takeovers."""
    page.get_by_text("Fulfillment", exact=True).click()
    page.get_by_role("link", name="Cart takeovers").click()
    frame = widget(page, "sessions")
    expect(frame.get_by_role("heading", name="Cart takeovers")).to_be_visible()
    return frame


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
