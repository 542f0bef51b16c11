"""Items 1-3 of the benchmark, in-process against the real database.

Every measured call goes through Django's whole request stack, exactly as an
HTTP request would, minus the network. Each repetition gets fresh carts and
drafts (set up untimed), the two sides of a comparison alternate within a
repetition so drift on a busy machine hits both, and query counts come from one
extra repetition after a warm-up (they are deterministic).
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from saleor.account.models import User
from saleor.plugins.manager import get_plugins_manager
from saleor.product.models import ProductVariant

from saleor_cart_takeover.access import rate_limits
from saleor_cart_takeover.config import TakeoverSettings
from saleor_cart_takeover.takeover import draft_copy

from . import builders, clients, documents
from .builders import Shop
from .clients import Measurement, gid, pk_of
from .stats import median, ms

_emails = (f"bench-customer-{i}@example.com" for i in itertools.count())

# Item 5: the documents the endpoint must refuse, by the key they are reported under.
HOSTILE = (
    ("fragment_fan_out", documents.FRAGMENT_FAN_OUT),
    ("hidden_code_lookups", documents.HIDDEN_CODE_LOOKUPS),
    ("deep_nesting", documents.DEEP_NESTING),
    ("parser_exhausting_nesting", documents.PARSER_EXHAUSTING_NESTING),
)


@dataclass
class Series:
    """One measured operation: its query count and its timed repetitions."""

    queries: int | None = None
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)

    def add(self, measurement: Measurement) -> None:
        if measurement.queries is not None:
            self.queries = measurement.queries
            self.statements = measurement.statements
        else:
            self.seconds.append(measurement.seconds)
            self.cpu_seconds.append(measurement.cpu_seconds)

    @property
    def median_ms(self) -> float:
        return ms(median(self.seconds))

    def as_dict(self) -> dict[str, Any]:
        return {
            "queries": self.queries,
            "median_ms": self.median_ms,
            "ms": [ms(s) for s in self.seconds],
            "cpu_ms": [ms(s) for s in self.cpu_seconds],
            "statements": self.statements,
        }


def _repeat(reps: int, steps: list[Callable[[bool], None]]) -> None:
    """A warm-up round, a counted round, then `reps` timed rounds.

    The warm-up fills per-process caches (content types, compiled schemas) so
    that one-off queries do not land on whichever side happens to run first.
    Within a round the sides alternate their order, so drift on a busy machine
    hits both equally.
    """
    for step in steps:
        step(True)
    for rep in range(reps + 1):
        ordered = steps if rep % 2 == 0 else list(reversed(steps))
        for step in ordered:
            step(rep == 0)


class Bench:
    def __init__(self, shop: Shop, csr: User, log: Callable[[str], None]) -> None:
        self.shop = shop
        self.csr = csr
        self.log = log
        self.dashboard = clients.saleor(csr)
        self.screen = clients.plugin(csr)
        self.settings = TakeoverSettings()

    # --- setup helpers (never timed) ------------------------------------
    def draft_for(self, customer: User) -> str:
        payload = self.dashboard.call(
            documents.DRAFT_ORDER_CREATE,
            {
                "input": {
                    "channelId": gid("Channel", self.shop.channel.pk),
                    "user": gid("User", customer.pk),
                }
            },
            "draftOrderCreate",
        )
        return payload["order"]["id"]

    def allow_another_start(self) -> None:
        """The benchmark starts far more takeovers than a rep may (30 per 10
        minutes, rate_limits.STARTS_PER_CALLER); it measures starts, not the limit."""
        cache.delete(rate_limits.window_key(rate_limits.STARTS_PER_CALLER, self.csr.pk))

    def started_session(self, variants: list[ProductVariant]) -> tuple[str, str, User]:
        """A customer's cart with one line per variant, taken over from a new draft."""
        customer = builders.make_customer(next(_emails))
        cart = builders.make_cart(self.shop, customer, variants)
        draft_id = self.draft_for(customer)
        self.allow_another_start()
        session = self.screen.call(
            documents.TAKEOVER_START,
            {"draft": draft_id, "checkout": gid("Checkout", cart.pk)},
            "takeoverStart",
        )["session"]
        return session["id"], draft_id, customer

    # --- item 1: "Add Items to Order" vs orderLinesCreate ----------------
    def copy_vs_order_lines_create(
        self,
        sizes: list[int],
        reps: int,
        catalogue: list[ProductVariant],
        label: str = "",
    ) -> list[dict[str, Any]]:
        rows = []
        for size in sizes:
            variants = catalogue[:size]
            http, domain, saleor_way = Series(), Series(), Series()

            def copy_http(
                count: bool,
                size: int = size,
                series: Series = http,
                variants: list[ProductVariant] = variants,
            ) -> None:
                session_id, _, _ = self.started_session(variants)
                measurement = self.screen.measure(
                    documents.TAKEOVER_COPY, {"session": session_id}, count=count
                )
                result = clients.check(measurement.body, "takeoverCopyToDraft")
                assert result["result"]["added"] == size, result
                series.add(measurement)

            def copy_domain(
                count: bool,
                size: int = size,
                series: Series = domain,
                variants: list[ProductVariant] = variants,
            ) -> None:
                session_id, _, _ = self.started_session(variants)
                pk = int(pk_of(session_id))
                # Built outside the measurement: the mutation builds it lazily
                # too, and item 1 wants the domain function's own cost.
                manager = get_plugins_manager(allow_replica=False)
                outcome: list[Any] = []
                measurement = clients.measure_callable(
                    lambda: outcome.append(
                        draft_copy.copy_cart_to_draft(
                            pk, self.csr, settings=self.settings, manager=manager
                        )
                    ),
                    count=count,
                )
                assert outcome[0][1].added == size, outcome
                series.add(measurement)

            def order_lines_create(
                count: bool,
                series: Series = saleor_way,
                variants: list[ProductVariant] = variants,
            ) -> None:
                # An equal draft: same channel, a customer, no lines yet.
                draft_id = self.draft_for(builders.make_customer(next(_emails)))
                lines = [
                    {"variantId": gid("ProductVariant", variant.pk), "quantity": 2}
                    for variant in variants
                ]
                measurement = self.dashboard.measure(
                    documents.ORDER_LINES_CREATE,
                    {"id": draft_id, "input": lines},
                    count=count,
                )
                clients.check(measurement.body, "orderLinesCreate")
                series.add(measurement)

            _repeat(reps, [copy_http, order_lines_create, copy_domain])
            row = {
                "lines": size,
                "copy_http": http.as_dict(),
                "copy_domain": domain.as_dict(),
                "order_lines_create": saleor_way.as_dict(),
            }
            self.log(
                f"  {size:>3} lines{label}: copy {http.queries} q "
                f"{http.median_ms:.0f} ms, "
                f"domain {domain.queries} q {domain.median_ms:.0f} ms, "
                f"orderLinesCreate {saleor_way.queries} q "
                f"{saleor_way.median_ms:.0f} ms"
            )
            rows.append(row)
        return rows

    # --- item 2: what the storefront pays --------------------------------
    def storefront(self, reps: int) -> dict[str, Any]:
        customer = builders.make_customer(next(_emails))
        shopper = clients.saleor(customer)
        variants = self.shop.variants
        series = {
            (op, state): Series()
            for op in ("checkoutLinesAdd", "checkoutLinesUpdate", "checkoutComplete")
            for state in ("active", "inactive")
        }

        def run(state: str) -> Callable[[bool], None]:
            def step(count: bool) -> None:
                builders.set_plugin_active(self.shop, state == "active")
                cart = builders.make_cart(
                    self.shop, customer, variants[:3], quantity=1, engrave=False
                )
                cart_id = gid("Checkout", cart.pk)
                added = shopper.measure(
                    documents.CHECKOUT_LINES_ADD,
                    {
                        "id": cart_id,
                        "lines": [
                            {
                                "variantId": gid("ProductVariant", variants[3].pk),
                                "quantity": 1,
                            }
                        ],
                    },
                    count=count,
                )
                lines = clients.check(added.body, "checkoutLinesAdd")["checkout"][
                    "lines"
                ]
                series["checkoutLinesAdd", state].add(added)
                updated = shopper.measure(
                    documents.CHECKOUT_LINES_UPDATE,
                    {
                        "id": cart_id,
                        "lines": [{"lineId": lines[0]["id"], "quantity": 2}],
                    },
                    count=count,
                )
                clients.check(updated.body, "checkoutLinesUpdate")
                series["checkoutLinesUpdate", state].add(updated)
                self.prepare_delivery(shopper, cart_id)
                completed = shopper.measure(
                    documents.CHECKOUT_COMPLETE, {"id": cart_id}, count=count
                )
                assert clients.check(completed.body, "checkoutComplete")["order"]
                series["checkoutComplete", state].add(completed)

            return step

        try:
            _repeat(reps, [run("active"), run("inactive")])
        finally:
            builders.set_plugin_active(self.shop, True)
        result = {}
        for op in ("checkoutLinesAdd", "checkoutLinesUpdate", "checkoutComplete"):
            on, off = series[op, "active"], series[op, "inactive"]
            result[op] = {
                "active": on.as_dict(),
                "inactive": off.as_dict(),
                "query_delta": (on.queries or 0) - (off.queries or 0),
                # The median of per-round ratios: both sides of a round ran back
                # to back, so a busy spell on the machine cancels out of each
                # ratio instead of landing on one side's median.
                "time_ratio": median(
                    [a / b for a, b in zip(on.seconds, off.seconds, strict=True)]
                ),
                "ratio_of_medians": on.median_ms / off.median_ms,
                # The same for the CPU time of the Django side alone.
                "cpu_time_ratio": median(
                    [
                        a / b
                        for a, b in zip(on.cpu_seconds, off.cpu_seconds, strict=True)
                    ]
                ),
            }
            self.log(
                f"  {op}: {on.queries} vs {off.queries} q, "
                f"{on.median_ms:.0f} vs {off.median_ms:.0f} ms "
                f"(x{result[op]['time_ratio']:.3f})"
            )
        return result

    def prepare_delivery(self, shopper: clients.Caller, cart_id: str) -> None:
        address = builders.ADDRESS_INPUT
        shopper.call(
            documents.CHECKOUT_SHIPPING_ADDRESS,
            {"id": cart_id, "address": address},
            "checkoutShippingAddressUpdate",
        )
        shopper.call(
            documents.CHECKOUT_BILLING_ADDRESS,
            {"id": cart_id, "address": address},
            "checkoutBillingAddressUpdate",
        )
        shopper.call(
            documents.CHECKOUT_DELIVERY,
            {
                "id": cart_id,
                "method": gid("ShippingMethod", self.shop.shipping_method.pk),
            },
            "checkoutDeliveryMethodUpdate",
        )

    # --- item 3: the CSR's screen -----------------------------------------
    def csr_screen(self, sizes: list[int], reps: int) -> list[dict[str, Any]]:
        rows = []
        for size in sizes:
            start, view, carts = Series(), Series(), Series()

            def step(
                count: bool,
                size: int = size,
                start: Series = start,
                view: Series = view,
                carts: Series = carts,
            ) -> None:
                customer = builders.make_customer(next(_emails))
                cart = builders.make_cart(
                    self.shop, customer, self.shop.variants[:size]
                )
                draft_id = self.draft_for(customer)
                self.allow_another_start()
                started = self.screen.measure(
                    documents.TAKEOVER_START,
                    {"draft": draft_id, "checkout": gid("Checkout", cart.pk)},
                    count=count,
                )
                session = clients.check(started.body, "takeoverStart")["session"]
                assert len(session["cart"]["lines"]) == size
                start.add(started)
                viewed = self.screen.measure(
                    documents.CART_VIEW, {"id": session["id"]}, count=count
                )
                data = clients.check(viewed.body)
                assert len(data["takeoverSession"]["cart"]["lines"]) == size
                view.add(viewed)
                listed = self.screen.measure(
                    documents.CUSTOMER_CARTS,
                    {"customer": gid("User", customer.pk)},
                    count=count,
                )
                assert len(clients.check(listed.body)["customerCarts"]) == 1
                carts.add(listed)

            _repeat(reps, [step])
            rows.append(
                {
                    "lines": size,
                    "takeoverStart": start.as_dict(),
                    "cartView": view.as_dict(),
                    "customerCarts": carts.as_dict(),
                }
            )
            self.log(
                f"  {size:>3} lines: takeoverStart {start.queries} q "
                f"{start.median_ms:.0f} ms, cart view {view.queries} q "
                f"{view.median_ms:.0f} ms, customerCarts {carts.queries} q"
            )
        return rows

    # --- item 5: hostile documents ----------------------------------------
    def hostile_documents(self, reps: int) -> dict[str, Any]:
        """What the endpoint pays to refuse documents built to exhaust it.

        Each is sent with the rep's token, like the baseline, and must come back
        400 `QueryTooComplex`: a refusal that turned into an answer would
        measure the wrong thing, so every call's outcome is kept for the report.
        """
        baseline = Series()

        def viewer(count: bool) -> None:
            measurement = self.screen.measure(documents.VIEWER, {}, count=count)
            assert clients.check(measurement.body)["viewer"]["email"] == self.csr.email
            baseline.add(measurement)

        # Per document: its timings, every call's answer, the document itself.
        hostile: dict[str, tuple[Series, list[dict[str, Any]], str]] = {
            key: (Series(), [], document) for key, document in HOSTILE
        }

        def refuse(key: str) -> Callable[[bool], None]:
            series, outcomes, document = hostile[key]

            def step(count: bool) -> None:
                measurement = self.screen.measure(
                    document, {}, count=count, expect_status=400
                )
                errors = measurement.body.get("errors") or []
                codes = [error["extensions"]["exception"]["code"] for error in errors]
                outcomes.append(
                    {
                        "status": measurement.status,
                        "codes": codes,
                        "message": errors[0]["message"] if errors else None,
                    }
                )
                assert codes == ["QueryTooComplex"], measurement.body
                series.add(measurement)

            return step

        _repeat(reps, [viewer, *(refuse(key) for key, _ in HOSTILE)])
        result: dict[str, Any] = {"baseline": baseline.as_dict(), "documents": {}}
        for key, (series, outcomes, document) in hostile.items():
            result["documents"][key] = {
                **series.as_dict(),
                "bytes": len(document.encode()),
                # The distinct answers of every call, warm-up and counted round
                # included: one, a 400 QueryTooComplex, when all went as meant.
                "outcomes": [
                    o for i, o in enumerate(outcomes) if o not in outcomes[:i]
                ],
                "calls": len(outcomes),
                "refused_calls": sum(
                    o["status"] == 400 and o["codes"] == ["QueryTooComplex"]
                    for o in outcomes
                ),
                # Per-round ratios, as for the storefront: both ran back to back.
                "time_ratio": median(
                    [
                        a / b
                        for a, b in zip(series.seconds, baseline.seconds, strict=True)
                    ]
                ),
                "cpu_time_ratio": median(
                    [
                        a / b
                        for a, b in zip(
                            series.cpu_seconds, baseline.cpu_seconds, strict=True
                        )
                    ]
                ),
            }
            data = result["documents"][key]
            self.log(
                f"  {key}: {data['refused_calls']}/{data['calls']} refused, "
                f"{series.queries} q, {series.median_ms:.2f} ms "
                f"(x{data['time_ratio']:.2f} of viewer: {baseline.queries} q, "
                f"{baseline.median_ms:.2f} ms)"
            )
        return result
