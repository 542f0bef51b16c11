"""`demo --walkthrough`: the seed's seven-step workflow against a running demo,
over HTTP, with Saleor's own API for the shopper and the draft and the plugin's
API for the takeover. It prints what each step changed and exits non-zero on
the first thing that does not work, so it doubles as a smoke test.

Only the HTTP API is used here, never Django: read it as documentation of the API.
"""

import json
import sys
from dataclasses import dataclass
from typing import Any

import requests

from ..const import PLUGIN_URL_PATH
from . import constants
from .documents import (
    BILLING_ADDRESS_UPDATE,
    CHANNEL_ID,
    CHECKOUT,
    CHECKOUT_COMPLETE,
    CHECKOUT_CREATE,
    CHECKOUT_LINES_ADD,
    DELIVERY_METHOD_UPDATE,
    DRAFT_ORDER_CREATE,
    ORDER,
    PICKUP_CONTACTS_UPDATE,
    TAKEOVER_COPY,
    TAKEOVER_LINES_ADD,
    TAKEOVER_LINES_DELETE,
    TAKEOVER_LINES_UPDATE,
    TAKEOVER_SESSION,
    TAKEOVER_START,
    TOKEN_CREATE,
    USER_BY_EMAIL,
    VARIANTS,
)

CHANNEL = constants.CHANNEL_SLUG
TIMEOUT = 60  # seconds; the first request after start-up warms Saleor's caches
# Variants the walkthrough uses, by SKU (see sample_data.PRODUCTS).
TSHIRT = "DEMO-TSHIRT-M-BLACK"
WALLET = "DEMO-WALLET-BROWN"
BOTTLE = "DEMO-BOTTLE-STEEL"
BILLING_ADDRESS = {
    "firstName": "Ada",
    "lastName": "Shopper",
    "streetAddress1": "1 Market St",
    "city": "San Francisco",
    "postalCode": "94105",
    "countryArea": "CA",
    "country": "US",
    "phone": "+14155550100",
}


class WalkthroughError(RuntimeError):
    pass


@dataclass
class Api:
    """One GraphQL endpoint, called as one user (or anonymously)."""

    url: str
    token: str | None = None

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = requests.post(
                self.url,
                data=json.dumps({"query": query, "variables": variables}),
                headers=headers,
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise WalkthroughError(f"POST {self.url} failed: {exc}") from exc
        if response.status_code != 200:
            raise WalkthroughError(
                f"POST {self.url} answered HTTP {response.status_code}: "
                f"{response.text[:500]}"
            )
        body = response.json()
        if body.get("errors"):
            raise WalkthroughError(f"GraphQL errors from {self.url}: {body['errors']}")
        data = body["data"]
        # Mutations answer {<field>: {..., errors: [...]}}: any error is a failure.
        for field, payload in data.items():
            if isinstance(payload, dict) and payload.get("errors"):
                raise WalkthroughError(f"{field} failed: {payload['errors']}")
        return data


# -- printing -----------------------------------------------------------------
def _say(text: str = "") -> None:
    print(text, flush=True)


def _step(number: int, title: str) -> None:
    _say(f"\n[{number}/7] {title}")


def _detail(text: str) -> None:
    _say(f"      {text}")


def _meta(items: list[dict[str, str]]) -> dict[str, str]:
    return {item["key"]: item["value"] for item in items}


def _describe(line: dict[str, Any]) -> str:
    """`2 x Classic T-shirt (M / Black) {engraving: For Ada}` for either API."""
    if "variant" in line:  # Saleor's CheckoutLine
        product, variant = line["variant"]["product"]["name"], line["variant"]["name"]
    else:  # the plugin's CartLine / Saleor's OrderLine
        product, variant = line["productName"], line["variantName"]
    text = f"{line['quantity']} x {product}" + (f" ({variant})" if variant else "")
    metadata = _meta(line.get("metadata") or [])
    if metadata:
        text += " {" + ", ".join(f"{k}: {v}" for k, v in metadata.items()) + "}"
    return text


def _changes(before: list[dict], after: list[dict]) -> list[str]:
    """What happened to the cart's lines, as + / ~ / - rows."""
    old = {line["id"]: line for line in before}
    new = {line["id"]: line for line in after}
    rows = [f"+ {_describe(line)}" for key, line in new.items() if key not in old]
    for key, line in new.items():
        if key in old and (
            old[key]["quantity"] != line["quantity"]
            or _meta(old[key].get("metadata") or [])
            != _meta(line.get("metadata") or [])
        ):
            rows.append(f"~ {_describe(old[key])}  →  {_describe(line)}")
    rows += [f"- {_describe(line)}" for key, line in old.items() if key not in new]
    return rows or ["(no change)"]


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise WalkthroughError(message)


# -- the workflow -------------------------------------------------------------
def run_walkthrough(base_url: str) -> int:
    base_url = base_url.rstrip("/")
    _say(f"Cart takeover walkthrough against {base_url}")
    try:
        order_number = _walk(base_url)
    except WalkthroughError as error:
        _say(f"\nFAILED: {error}")
        return 1
    _say(
        f"\nWalkthrough passed: the shopper's order #{order_number} is the one "
        "the CSR prepared."
    )
    return 0


def _walk(base_url: str) -> str:
    saleor = Api(f"{base_url}/graphql/")
    plugin_url = f"{base_url}{PLUGIN_URL_PATH}/graphql/"

    def login(account: constants.Account) -> Api:
        token = saleor(TOKEN_CREATE, email=account.email, password=account.password)
        return Api(saleor.url, token["tokenCreate"]["token"])

    variants = {
        edge["node"]["sku"]: edge["node"]
        for edge in saleor(VARIANTS, channel=CHANNEL, skus=[TSHIRT, WALLET, BOTTLE])[
            "productVariants"
        ]["edges"]
    }
    _expect(
        len(variants) == 3,
        f"The demo's sample products are missing from channel {CHANNEL!r}: is this "
        "the demo server?",
    )

    _step(
        1,
        "The shopper fills a cart on the storefront "
        "(Saleor: checkoutCreate, checkoutLinesAdd)",
    )
    shopper = login(constants.SHOPPER)
    created = shopper(
        CHECKOUT_CREATE,
        channel=CHANNEL,
        lines=[{"variantId": variants[TSHIRT]["id"], "quantity": 1}],
    )["checkoutCreate"]["checkout"]
    checkout_id, token = created["id"], created["token"]
    code = f"{token[:4]}-{token[4:8]}".upper()
    _detail(
        f"{constants.SHOPPER.email} logged in (tokenCreate) and created cart {code}"
    )
    lines = shopper(
        CHECKOUT_LINES_ADD,
        id=checkout_id,
        lines=[{"variantId": variants[WALLET]["id"], "quantity": 1}],
    )["checkoutLinesAdd"]["checkout"]["lines"]
    for row in _changes([], lines):
        _detail(row)
    _detail(f"The shopper calls customer service and reads out the cart code {code}.")

    _step(
        2,
        "The CSR logs in and creates a draft order for the shopper "
        "(Saleor: draftOrderCreate)",
    )
    csr = login(constants.CSR)
    customer = csr(USER_BY_EMAIL, email=constants.SHOPPER.email)["user"]
    channel = csr(CHANNEL_ID, slug=CHANNEL)["channel"]
    draft = csr(
        DRAFT_ORDER_CREATE,
        input={"channelId": channel["id"], "user": customer["id"]},
    )["draftOrderCreate"]["order"]
    _detail(
        f"{constants.CSR.email} created draft order #{draft['number']} "
        f"({draft['status']}) for {draft['userEmail']}"
    )

    takeover = Api(plugin_url, csr.token)
    _step(3, "The CSR takes over the shopper's cart (takeoverStart with the cart code)")
    session = takeover(TAKEOVER_START, draft=draft["id"], code=code)["takeoverStart"][
        "session"
    ]
    _expect(
        session["status"] == "ACTIVE" and session["cart"]["takenOver"],
        f"not active: {session}",
    )
    _detail(
        f"session {session['id']} {session['status']}, "
        f"started by {session['startedByEmail']}"
    )
    for line in session["cart"]["lines"]:
        _detail(f"  in the cart: {_describe(line)}")
    flag = _meta(shopper(CHECKOUT, id=checkout_id)["checkout"]["metadata"])
    _expect(
        flag.get("cart_takeover.active") == "true", f"takeover flag not set: {flag}"
    )
    _detail("the storefront now sees cart_takeover.active = true on the checkout")

    _step(
        4,
        "The CSR edits the cart: adds an engraved item, changes a quantity, "
        "removes a line",
    )
    before = session["cart"]["lines"]
    # The engravable product type declares its line options
    # (cart_takeover.line_options): a line without the required engraving is
    # refused, and the rep's line carries exactly the declared keys.
    try:
        takeover(
            TAKEOVER_LINES_ADD,
            session=session["id"],
            lines=[{"variantId": variants[BOTTLE]["id"], "quantity": 1}],
        )
    except WalkthroughError as refused:
        _expect("REQUIRED" in str(refused), f"unexpected refusal: {refused}")
        _detail("without its required engraving the bottle is refused (REQUIRED)")
    else:
        raise WalkthroughError("a bottle without its required engraving was accepted")
    session = takeover(
        TAKEOVER_LINES_ADD,
        session=session["id"],
        lines=[
            {
                "variantId": variants[BOTTLE]["id"],
                "quantity": 1,
                "metadata": [
                    {"key": "engraving", "value": "For Ada, with love"},
                    {"key": "font", "value": "Script"},
                ],
            }
        ],
    )["takeoverLinesAdd"]["session"]
    by_sku = {line["sku"]: line for line in session["cart"]["lines"]}
    session = takeover(
        TAKEOVER_LINES_UPDATE,
        session=session["id"],
        lines=[{"lineId": by_sku[TSHIRT]["id"], "quantity": 2}],
    )["takeoverLinesUpdate"]["session"]
    session = takeover(
        TAKEOVER_LINES_DELETE, session=session["id"], ids=[by_sku[WALLET]["id"]]
    )["takeoverLinesDelete"]["session"]
    for row in _changes(before, session["cart"]["lines"]):
        _detail(row)
    shopper_view = shopper(CHECKOUT, id=checkout_id)["checkout"]["lines"]
    _expect(
        sorted((line["variant"]["sku"], line["quantity"]) for line in shopper_view)
        == [(BOTTLE, 1), (TSHIRT, 2)],
        f"the shopper's checkout does not show the CSR's edits: {shopper_view}",
    )
    _detail("the shopper's own checkout query shows the same lines")

    _step(5, "Add Items to Order: the draft mirrors the cart (takeoverCopyToDraft)")
    copied = takeover(TAKEOVER_COPY, session=session["id"], handBack=True)[
        "takeoverCopyToDraft"
    ]
    result = copied["result"]
    _detail(
        f"added {result['added']}, updated {result['updated']}, removed "
        f"{result['removed']}, unchanged {result['unchanged']}"
    )
    draft_lines = csr(ORDER, id=draft["id"])["order"]["lines"]
    for line in draft_lines:
        _detail(f"  draft #{draft['number']}: {_describe(line)}")
    _expect(
        any(_meta(line["metadata"]).get("engraving") for line in draft_lines),
        "the engraving did not reach the draft's line metadata",
    )
    _expect(
        any(
            _meta(line["metadata"]).get("cart_takeover.source") == "customer_service"
            for line in draft_lines
        ),
        "the rep's lines are not marked cart_takeover.source = customer_service",
    )
    _detail("the rep's lines carry cart_takeover.source = customer_service")

    _step(6, "The CSR hands the cart back (handBack: true on the copy)")
    session = copied["session"]
    _expect(session["status"] == "ENDED", f"session not ended: {session['status']}")
    flag = _meta(shopper(CHECKOUT, id=checkout_id)["checkout"]["metadata"])
    _expect("cart_takeover.active" not in flag, f"takeover flag still set: {flag}")
    _detail(
        f"session {session['status']}; cart_takeover.active removed; "
        "the shopper can check out"
    )

    _step(7, "The shopper checks out the cart the CSR prepared (click & collect)")
    checkout = shopper(CHECKOUT, id=checkout_id)["checkout"]
    points = checkout["availableCollectionPoints"]
    _expect(bool(points), "no click-and-collect point offered for this cart")
    shopper(BILLING_ADDRESS_UPDATE, id=checkout_id, address=BILLING_ADDRESS)
    shopper(DELIVERY_METHOD_UPDATE, id=checkout_id, method=points[0]["id"])
    _detail(f"billing address set; pickup at {points[0]['name']}")
    contacts = Api(plugin_url)(  # no token: whoever holds the checkout id may
        PICKUP_CONTACTS_UPDATE,
        checkoutId=checkout_id,
        primary={
            "firstName": "Ada",
            "lastName": "Shopper",
            "email": constants.SHOPPER.email,
        },
        alternate={
            "firstName": "Grace",
            "lastName": "Friend",
            "email": "grace@example.com",
            "phone": "+14155550111",
        },
    )["pickupContactsUpdate"]["pickupContacts"]
    _detail(
        f"pickup contacts: {contacts['primary']['firstName']} "
        f"{contacts['primary']['lastName']}, alternate "
        f"{contacts['alternate']['firstName']} {contacts['alternate']['lastName']}"
    )
    order = shopper(CHECKOUT_COMPLETE, id=checkout_id)["checkoutComplete"]["order"]
    _detail(
        f"checkoutComplete → order #{order['number']} ({order['status']}) "
        f"for {order['userEmail']}, pickup at {order['collectionPointName']}"
    )
    for line in order["lines"]:
        _detail(f"  order #{order['number']}: {_describe(line)}")
    final = takeover(TAKEOVER_SESSION, id=session["id"])["takeoverSession"]
    _expect(
        final["status"] == "COMPLETED", f"session is {final['status']}, not COMPLETED"
    )
    _expect(
        final["orderId"] == order["id"], "the session does not point at the new order"
    )
    _detail(
        f"session {final['status']} with the shopper's order; "
        + (
            "the CSR's draft was removed, no duplicate order lingers"
            if final["draftOrderId"] is None
            else f"the CSR's draft was kept ({final['draftOrderId']})"
        )
    )
    return str(order["number"])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(
        run_walkthrough(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
    )
