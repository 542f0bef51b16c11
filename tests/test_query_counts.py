"""Query-count guards for issue 6's benchmarks (items 1-3).

They fail when a change makes SQL queries grow with the number of cart lines,
or makes Saleor's storefront mutations pay for the plugin. The full figures,
with times, come from `python -m benchmarks`; these only compare counts, which
are deterministic, so they are safe in the normal suite.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine, CheckoutMetadata
from saleor.discount import PromotionType, RewardValueType
from saleor.discount.models import Promotion, PromotionRule
from saleor.plugins.manager import get_plugins_manager
from saleor.product.models import Product, ProductVariant, ProductVariantChannelListing
from saleor.product.utils.variant_prices import update_discounted_prices_for_promotion
from saleor.product.utils.variants import fetch_variants_for_promotion_rules
from saleor.warehouse.models import Stock

from benchmarks import documents
from benchmarks.budgets import (
    CART_VIEW_MAX_QUERIES,
    COMPLETE_MAX_EXTRA_QUERIES,
    COPY_HAND_BACK_MAX_QUERIES,
    COPY_HTTP_MAX_QUERIES,
    COPY_MAX_QUERIES,
    START_MAX_QUERIES,
)
from benchmarks.clients import TRANSACTION_CONTROL
from saleor_cart_takeover.config import TakeoverSettings
from saleor_cart_takeover.takeover import draft_copy

from .builders import create_draft
from .fixtures import QueryCounter
from .ids import gid, pk_of
from .operations import COPY, START
from .storefront import COMPLETE, LINES_ADD, LINES_UPDATE, Shopper

# Big enough that a query per line (or per few lines) cannot hide.
MANY = 50


def statements(counter: QueryCounter) -> int:
    """The request's queries, counted as the benchmark counts them: the
    test's own transaction turns every `atomic` into SAVEPOINT/RELEASE pairs
    where a real request sends BEGIN/COMMIT, and neither is a query."""
    return sum(
        not query["sql"].startswith(TRANSACTION_CONTROL)
        for query in counter.captured_queries
    )


CART_VIEW = """
query($id: ID!) {
  takeoverSession(id: $id) {
    id status
    cart { id code takenOver
           lines { id variantId sku productName variantName quantity
                   metadata { key value } } }
  }
}"""


@pytest.fixture
def many_variants(product, channel_USD, warehouse):
    variants = ProductVariant.objects.bulk_create(
        ProductVariant(product=product, sku=f"QC-{i}", name=f"Q{i}")
        for i in range(MANY)
    )
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(
            variant=variant,
            channel=channel_USD,
            price_amount=Decimal(5),
            discounted_price_amount=Decimal(5),
            currency=channel_USD.currency_code,
        )
        for variant in variants
    )
    Stock.objects.bulk_create(
        Stock(warehouse=warehouse, product_variant=variant, quantity=100)
        for variant in variants
    )
    return variants


def _cart(channel, variants: list[ProductVariant], name: str) -> Checkout:
    """A customer's cart with one configured line per variant."""
    customer = User.objects.create(email=f"{name}@example.com", is_active=True)
    checkout = Checkout.objects.create(
        user=customer,
        email=customer.email,
        channel=channel,
        currency=channel.currency_code,
        country=channel.default_country,
    )
    CheckoutLine.objects.bulk_create(
        CheckoutLine(
            checkout=checkout,
            variant=variant,
            quantity=2,
            currency=channel.currency_code,
            metadata={"engraving": f"#{index}"},
        )
        for index, variant in enumerate(variants)
    )
    return checkout


def _start(csr_client, csr, channel, checkout: Checkout) -> dict:
    draft_id = create_draft(csr, channel, user=checkout.user)
    return csr_client.post(
        START, {"draft": draft_id, "checkout": gid("Checkout", checkout.pk)}
    ).payload("takeoverStart")["session"]


@pytest.fixture
def carts(channel_USD, shop, many_variants):
    """One cart of 1 line and one of MANY lines."""
    return _cart(channel_USD, many_variants[:1], "one"), _cart(
        channel_USD, many_variants, "many"
    )


@pytest.fixture
def registered_carts(channel_USD, shop, many_variants):
    """Issue 21's measure: a registered shopper's cart of 2 lines, then MANY,
    each with its metadata row, as Saleor's `checkoutCreate` leaves it."""
    pair = (
        _cart(channel_USD, many_variants[:2], "two"),
        _cart(channel_USD, many_variants, "many"),
    )
    for checkout in pair:
        CheckoutMetadata.objects.create(checkout=checkout)
    return pair


def test_start_view_and_copy_over_http_meet_their_budgets(
    csr_client, csr, channel_USD, registered_carts
):
    """takeoverStart, the cart view and takeoverCopyToDraft as the benchmark
    sends them (benchmarks/documents.py), from 2 lines to MANY: flat, and
    within issue 21's budgets (benchmarks/budgets.py)."""
    starts, views, copies, hand_backs = [], [], [], []
    for checkout in registered_carts:
        draft_id = create_draft(csr, channel_USD, user=checkout.user)
        with QueryCounter() as counter:
            session = csr_client.post(
                documents.TAKEOVER_START,
                {"draft": draft_id, "checkout": gid("Checkout", checkout.pk)},
            ).payload("takeoverStart")["session"]
        assert len(session["cart"]["lines"]) == checkout.lines.count()
        starts.append(statements(counter))
        with QueryCounter() as counter:
            data = csr_client.post(documents.CART_VIEW, {"id": session["id"]}).data
        assert len(data["takeoverSession"]["cart"]["lines"]) == checkout.lines.count()
        views.append(statements(counter))
        with QueryCounter() as counter:
            copied = csr_client.post(
                documents.TAKEOVER_COPY, {"session": session["id"]}
            ).payload("takeoverCopyToDraft")
        assert copied["result"]["added"] == checkout.lines.count()
        copies.append(statements(counter))
        # Copying again and handing the cart back: the unit of work hands what
        # it locked (session, cart) to the closing, which reads neither again.
        with QueryCounter() as counter:
            handed = csr_client.post(
                documents.TAKEOVER_COPY, {"session": session["id"], "handBack": True}
            ).payload("takeoverCopyToDraft")
        assert handed["session"]["status"] == "ENDED"
        hand_backs.append(statements(counter))
    assert starts[0] == starts[1] <= START_MAX_QUERIES, f"takeoverStart: {starts}"
    assert views[0] == views[1] <= CART_VIEW_MAX_QUERIES, f"cart view: {views}"
    assert copies[0] == copies[1] <= COPY_HTTP_MAX_QUERIES, f"copy: {copies}"
    assert hand_backs[0] == hand_backs[1] <= COPY_HAND_BACK_MAX_QUERIES, (
        f"copy and hand back: {hand_backs}"
    )


def test_copy_queries_do_not_grow_with_lines(csr_client, csr, channel_USD, carts):
    counts = []
    for checkout in carts:
        session = _start(csr_client, csr, channel_USD, checkout)
        with QueryCounter() as counter:
            result = csr_client.post(COPY, {"session": session["id"]}).payload(
                "takeoverCopyToDraft"
            )
        assert result["result"]["added"] == checkout.lines.count()
        counts.append(counter.count)
    one, many = counts
    assert many == one, f"copy: {one} queries for 1 line, {many} for {MANY}"


def _promote(variants: list[ProductVariant], channel) -> None:
    """A 10 % catalogue promotion on `variants`, applied as Saleor applies one."""
    promotion = Promotion.objects.create(
        name="Sale",
        type=PromotionType.CATALOGUE,
        start_date=timezone.now() - datetime.timedelta(days=1),
    )
    rule = PromotionRule.objects.create(
        promotion=promotion,
        catalogue_predicate={
            "variantPredicate": {"ids": [gid("ProductVariant", v.pk) for v in variants]}
        },
        reward_value_type=RewardValueType.PERCENTAGE,
        reward_value=Decimal(10),
    )
    rule.channels.add(channel)
    fetch_variants_for_promotion_rules(PromotionRule.objects.filter(pk=rule.pk))
    update_discounted_prices_for_promotion(
        Product.objects.filter(pk=variants[0].product_id)
    )


def test_copy_queries_do_not_grow_with_lines_under_a_promotion(
    csr_client, csr, channel_USD, carts, many_variants
):
    """With a promotion the copy prices through Saleor's repricing: still flat."""
    _promote(many_variants, channel_USD)
    counts = []
    for checkout in carts:
        session = _start(csr_client, csr, channel_USD, checkout)
        with QueryCounter() as counter:
            result = csr_client.post(COPY, {"session": session["id"]}).payload(
                "takeoverCopyToDraft"
            )
        assert result["result"]["added"] == checkout.lines.count()
        counts.append(counter.count)
    one, many = counts
    assert many == one, f"copy with promotion: {one} queries for 1 line, {many}"


def test_copy_domain_function_queries_do_not_grow_with_lines(
    csr_client, csr, channel_USD, carts
):
    counts = []
    for checkout in carts:
        session = _start(csr_client, csr, channel_USD, checkout)
        manager = get_plugins_manager(allow_replica=False)
        with (
            QueryCounter() as counter,
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            _, result = draft_copy.copy_cart_to_draft(
                int(pk_of(session["id"])),
                csr,
                settings=TakeoverSettings(),
                manager=manager,
            )
        assert result.added == checkout.lines.count()
        counts.append(counter.count)
    one, many = counts
    assert many == one, f"copy_cart_to_draft: {one} queries for 1 line, {many}"
    assert many <= COPY_MAX_QUERIES, f"copy_cart_to_draft: {many} queries"


def test_start_and_cart_view_queries_do_not_grow_with_lines(
    csr_client, csr, channel_USD, carts
):
    starts, views = [], []
    for checkout in carts:
        draft_id = create_draft(csr, channel_USD, user=checkout.user)
        with QueryCounter() as counter:
            session = csr_client.post(
                START, {"draft": draft_id, "checkout": gid("Checkout", checkout.pk)}
            ).payload("takeoverStart")["session"]
        starts.append(counter.count)
        with QueryCounter() as counter:
            data = csr_client.post(CART_VIEW, {"id": session["id"]}).data
        assert len(data["takeoverSession"]["cart"]["lines"]) == checkout.lines.count()
        views.append(counter.count)
    assert starts[1] == starts[0], f"takeoverStart: {starts}"
    assert views[1] == views[0], f"cart view: {views}"
    assert views[1] <= CART_VIEW_MAX_QUERIES, f"cart view: {views[1]} queries"


def _storefront_counts(customer_user, channel_USD, shop, shipping_method) -> list[int]:
    """Queries of checkoutLinesAdd, checkoutLinesUpdate and checkoutComplete."""
    shopper = Shopper(customer_user)
    cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1), (shop[1], 1)])
    counts = []
    with QueryCounter() as counter:
        lines = shopper.call(
            LINES_ADD,
            {
                "id": cart["id"],
                "lines": [
                    {"variantId": gid("ProductVariant", shop[2].pk), "quantity": 1}
                ],
            },
        )["checkoutLinesAdd"]["checkout"]["lines"]
    counts.append(counter.count)
    with QueryCounter() as counter:
        shopper.call(
            LINES_UPDATE,
            {"id": cart["id"], "lines": [{"lineId": lines[0]["id"], "quantity": 2}]},
        )
    counts.append(counter.count)
    shopper.prepare_delivery(cart["id"], gid("ShippingMethod", shipping_method.pk))
    with QueryCounter() as counter:
        placed = shopper.call(COMPLETE, {"id": cart["id"]})["checkoutComplete"]
    assert placed["errors"] == [], placed["errors"]
    counts.append(counter.count)
    return counts


def test_storefront_pays_nothing_on_lines_and_at_most_two_on_complete(
    takeover_plugin, customer_user, channel_USD, shop, shipping_method
):
    # A first round fills per-process caches, so that one-off queries do not
    # land on whichever side is measured first.
    _storefront_counts(customer_user, channel_USD, shop, shipping_method)
    active = _storefront_counts(customer_user, channel_USD, shop, shipping_method)
    takeover_plugin.active = False
    takeover_plugin.save(update_fields=["active"])
    inactive = _storefront_counts(customer_user, channel_USD, shop, shipping_method)

    assert active[0] == inactive[0], f"checkoutLinesAdd: {active[0]} vs {inactive[0]}"
    assert active[1] == inactive[1], (
        f"checkoutLinesUpdate: {active[1]} vs {inactive[1]}"
    )
    assert active[2] <= inactive[2] + COMPLETE_MAX_EXTRA_QUERIES, (
        f"checkoutComplete: {active[2]} vs {inactive[2]}"
    )
