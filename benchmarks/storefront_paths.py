"""Item 7: the storefront's own calls to the plugin (issue 21).

`pickupContactsUpdate` on a shopper's 3-line cart, each round next to Saleor's
`checkoutLinesAdd` on the same cart and ending with the cart's
`checkoutComplete`; and `takeoverConsentAnswer`, the shopper (signed in, with
their own token) accepting a rep's request for another of their carts, in the
same round. The ratios are the medians of the per-round ratios to Saleor's two
mutations, so that a busy moment on the machine lands on both sides of each.
"""

from collections.abc import Callable
from typing import Any

from . import builders, clients, documents
from .clients import gid
from .inprocess import Bench, Series, _emails, _repeat
from .stats import median

PRIMARY = {
    "firstName": "Ann",
    "lastName": "Lee",
    "email": "ann@example.com",
    "phone": "+1 415 555 0100",
}
ALTERNATE = {"firstName": "Bo", "lastName": "Lee", "email": "bo@example.com"}
BASELINES = ("checkoutLinesAdd", "checkoutComplete")
OPERATIONS = ("pickupContactsUpdate", "takeoverConsentAnswer")


def run(bench: Bench, reps: int, log: Callable[[str], None]) -> dict[str, Any]:
    customer = builders.make_customer(next(_emails))
    shopper = clients.saleor(customer)
    # Storefronts call the plugin's endpoint without a token: the checkout id
    # is what they hold, as with Saleor's own checkout mutations.
    anonymous = clients.plugin()
    variants = bench.shop.variants
    # The shopper answers the plugin with their own token.
    signed_in = clients.plugin(customer)
    series = {name: Series() for name in (*BASELINES, *OPERATIONS)}

    def step(count: bool) -> None:
        cart = builders.make_cart(
            bench.shop, customer, variants[:3], quantity=1, engrave=False
        )
        cart_id = gid("Checkout", cart.pk)
        added = shopper.measure(
            documents.CHECKOUT_LINES_ADD,
            {
                "id": cart_id,
                "lines": [
                    {"variantId": gid("ProductVariant", variants[3].pk), "quantity": 1}
                ],
            },
            count=count,
        )
        clients.check(added.body, "checkoutLinesAdd")
        series["checkoutLinesAdd"].add(added)
        contacts = anonymous.measure(
            documents.PICKUP_CONTACTS_UPDATE,
            {"checkoutId": cart_id, "primary": PRIMARY, "alternate": ALTERNATE},
            count=count,
        )
        stored = clients.check(contacts.body, "pickupContactsUpdate")
        assert stored["pickupContacts"]["primary"]["lastName"] == "Lee", stored
        series["pickupContactsUpdate"].add(contacts)
        # A rep asks to take over another of the shopper's carts (untimed).
        asked = builders.make_cart(
            bench.shop, customer, variants[:3], quantity=1, engrave=False
        )
        draft_id = bench.draft_for(customer)
        bench.allow_another_start()
        session = bench.screen.call(
            documents.TAKEOVER_START,
            {"draft": draft_id, "checkout": gid("Checkout", asked.pk)},
            "takeoverStart",
        )["session"]
        assert session["status"] == "PENDING", session
        answered = signed_in.measure(
            documents.TAKEOVER_CONSENT_ANSWER,
            {
                "checkoutId": gid("Checkout", asked.pk),
                "sessionId": session["id"],
                "accept": True,
            },
            count=count,
        )
        payload = clients.check(answered.body, "takeoverConsentAnswer")
        assert payload["status"] == "ACTIVE", payload
        series["takeoverConsentAnswer"].add(answered)
        bench.prepare_delivery(shopper, cart_id)
        completed = shopper.measure(
            documents.CHECKOUT_COMPLETE, {"id": cart_id}, count=count
        )
        assert clients.check(completed.body, "checkoutComplete")["order"]
        series["checkoutComplete"].add(completed)

    # Requests wait for the shopper's yes only with "Require shopper consent".
    builders.set_plugin_configuration(bench.shop, require_shopper_consent=True)
    try:
        _repeat(reps, [step])
    finally:
        builders.set_plugin_configuration(bench.shop, require_shopper_consent=False)
    lines_add, complete = series["checkoutLinesAdd"], series["checkoutComplete"]
    result: dict[str, Any] = {
        "baselines": {
            "checkoutLinesAdd": lines_add.as_dict(),
            "checkoutComplete": complete.as_dict(),
        },
        "operations": {},
    }
    for name in OPERATIONS:
        measured = series[name]
        result["operations"][name] = {
            **measured.as_dict(),
            "ratio_to_lines_add": _ratio(measured, lines_add),
            "ratio_to_complete": _ratio(measured, complete),
        }
        log(
            f"  {name}: {measured.queries} q, {measured.median_ms:.0f} ms "
            f"(x{result['operations'][name]['ratio_to_lines_add']:.2f} of "
            f"checkoutLinesAdd: {lines_add.queries} q, {lines_add.median_ms:.0f} ms; "
            f"x{result['operations'][name]['ratio_to_complete']:.2f} of "
            f"checkoutComplete: {complete.queries} q, {complete.median_ms:.0f} ms)"
        )
    return result


def _ratio(measured: Series, baseline: Series) -> float:
    return median(
        [a / b for a, b in zip(measured.seconds, baseline.seconds, strict=True)]
    )
