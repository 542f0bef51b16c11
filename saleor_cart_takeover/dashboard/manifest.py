"""The dashboard app's manifest: which extensions appear where."""

from typing import Any

from .. import __version__
from ..const import APP_IDENTIFIER, PLUGIN_NAME, PLUGIN_URL_PATH

# Relative to the plugin's URL space on the Saleor host.
# The pages live under `appUrl`.
PAGES_PATH = "/dashboard"

# Only what the extensions use: MANAGE_ORDERS for drafts and takeovers, and
# MANAGE_STAFF so the app page's token can carry it for grant management (the
# Dashboard intersects it with the user's own permissions; it never exceeds
# them). The plugin keeps no app token, so the app cannot act on its own.
APP_PERMISSIONS = ["MANAGE_ORDERS", "MANAGE_STAFF"]
EXTENSION_PERMISSIONS = ["MANAGE_ORDERS"]

# (identifier, label, mount, target, page)
EXTENSIONS: list[tuple[str, str, str, str, str]] = [
    (
        "takeover",
        "View user's cart",
        "DRAFT_ORDER_DETAILS_MORE_ACTIONS",
        "POPUP",
        "/takeover",
    ),
    (
        "draft-widget",
        "Cart takeover",
        "DRAFT_ORDER_DETAILS_WIDGETS",
        "WIDGET",
        "/draft-widget",
    ),
    (
        "customer",
        "Take over cart",
        "CUSTOMER_DETAILS_MORE_ACTIONS",
        "POPUP",
        "/customer",
    ),
    (
        "order-widget",
        "Pickup & takeover",
        "ORDER_DETAILS_WIDGETS",
        "WIDGET",
        "/order-widget",
    ),
    ("sessions", "Cart takeovers", "NAVIGATION_ORDERS", "APP_PAGE", "/sessions"),
]
PAGES = frozenset(page.strip("/") for *_, page in EXTENSIONS)


def plugin_base_url(base_url: str) -> str:
    return base_url.rstrip("/") + PLUGIN_URL_PATH


def extension_url(base_url: str, target: str, page: str) -> str:
    """The manifest url of an extension, so that it opens `page` in the Dashboard.

    A relative url lands on two different paths: Saleor's API rewrites a POPUP
    url starting with "/" with `urljoin` onto the app URL's path (dropping its
    last segment, `.../dashboard` + `/takeover` -> `.../takeover`), while the
    Dashboard prepends `appUrl` to every url that is still relative (a trailing
    slash on `appUrl` then doubles the "/"). An absolute url is left alone by
    both, so popups and widgets get one. App pages must stay relative (Saleor
    refuses anything else; the Dashboard url-joins them onto `appUrl`).
    """
    if target == "APP_PAGE":
        return page
    return plugin_base_url(base_url) + PAGES_PATH + page


def build_manifest(base_url: str) -> dict[str, Any]:
    """The manifest for a Saleor reachable at `base_url` (e.g. https://shop.example,
    or https://example.com/shop when Saleor is served under a path prefix)."""
    base = plugin_base_url(base_url)
    return {
        "id": APP_IDENTIFIER,
        "version": __version__,
        "name": PLUGIN_NAME,
        "about": "Customer-service reps take over a shopper's cart from a draft "
        "order, edit it on the shopper's behalf and add its items to the order.",
        "permissions": list(APP_PERMISSIONS),
        "appUrl": base + PAGES_PATH,
        "tokenTargetUrl": base + "/token",
        "dataPrivacy": "Data stays in this Saleor's database.",
        "extensions": [
            {
                "identifier": identifier,
                "label": label,
                "mount": mount,
                "target": target,
                "permissions": list(EXTENSION_PERMISSIONS),
                "url": extension_url(base_url, target, page),
            }
            for identifier, label, mount, target, page in EXTENSIONS
        ],
    }
