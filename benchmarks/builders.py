"""The benchmark shop, built with the project's one shop builder
(`saleor_cart_takeover.demo.builders`, shared with the demo and the tests),
plus what only the benchmarks need (a catalogue promotion). None of this is
timed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import graphene
from django.db import transaction
from django.utils import timezone
from saleor.account.models import User
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout
from saleor.discount import PromotionType, RewardValueType
from saleor.discount.models import Promotion, PromotionRule
from saleor.plugins.models import PluginConfiguration
from saleor.product.models import (
    Product,
    ProductVariant,
)
from saleor.product.utils.variant_prices import update_discounted_prices_for_promotion
from saleor.product.utils.variants import fetch_variants_for_promotion_rules
from saleor.shipping.models import (
    ShippingMethod,
)
from saleor.warehouse.models import Warehouse

from saleor_cart_takeover import PLUGIN_ID
from saleor_cart_takeover.demo import builders

CHANNEL_SLUG = "bench"
CURRENCY = "USD"
COUNTRY = "US"
# Enough that 50 shoppers ordering in a loop never run out: stock errors would
# be the benchmark's fault, not something to measure.
STOCK = 1_000_000
ADDRESS = builders.ADDRESS
# The same address as Saleor's GraphQL AddressInput, for the storefront's calls.
ADDRESS_INPUT = {
    "firstName": ADDRESS["first_name"],
    "lastName": ADDRESS["last_name"],
    "streetAddress1": ADDRESS["street_address_1"],
    "city": ADDRESS["city"],
    "postalCode": ADDRESS["postal_code"],
    "countryArea": ADDRESS["country_area"],
    "country": COUNTRY,
    "phone": ADDRESS["phone"],
}


@dataclass
class Shop:
    channel: Channel
    warehouse: Warehouse
    shipping_method: ShippingMethod
    variants: list[ProductVariant]
    plugin: PluginConfiguration


def build_shop(variant_count: int) -> Shop:
    """A channel that takes unpaid orders, one product with many variants."""
    with transaction.atomic():
        channel = builders.channel(CHANNEL_SLUG, "Benchmark")
        warehouse = builders.warehouse(
            "bench-warehouse", "Benchmark warehouse", channel, ADDRESS
        )
        method = builders.shipping(channel, warehouse, "Benchmark US")
        product_type = builders.product_type("bench-goods", "Benchmark goods")
        category = builders.category("bench", "Benchmark")
        by_sku = builders.product(
            "bench-shirt",
            "Benchmark shirt",
            product_type,
            category,
            channel,
            warehouse,
            [
                builders.Variant(
                    sku=f"BENCH-{i:04d}",
                    name=f"Size {i}",
                    price=Decimal(10 + i % 5),
                    stock=STOCK,
                )
                for i in range(variant_count)
            ],
        )
        variants = sorted(by_sku.values(), key=lambda v: v.sku)
        builders.index_products({variants[0].product_id})
        plugin = PluginConfiguration.objects.create(
            identifier=PLUGIN_ID, name="Cart takeover", active=True, configuration=[]
        )
    return Shop(channel, warehouse, method, variants, plugin)


def add_catalogue_promotion(shop: Shop, variants: list[ProductVariant]) -> None:
    """A 10 % catalogue promotion on `variants`, applied the way Saleor's
    promotion mutations apply one (rule → variants → discounted prices)."""
    promotion = Promotion.objects.create(
        name="Benchmark sale",
        type=PromotionType.CATALOGUE,
        start_date=timezone.now() - datetime.timedelta(days=1),
        end_date=timezone.now() + datetime.timedelta(days=30),
    )
    rule = PromotionRule.objects.create(
        name="10 % off",
        promotion=promotion,
        catalogue_predicate={
            "variantPredicate": {
                "ids": [
                    graphene.Node.to_global_id("ProductVariant", v.pk) for v in variants
                ]
            }
        },
        reward_value_type=RewardValueType.PERCENTAGE,
        reward_value=Decimal(10),
    )
    rule.channels.add(shop.channel)
    fetch_variants_for_promotion_rules(PromotionRule.objects.filter(pk=rule.pk))
    update_discounted_prices_for_promotion(
        Product.objects.filter(pk=variants[0].product_id)
    )


def set_plugin_active(shop: Shop, active: bool) -> None:
    """Flip the plugin on or off as a merchant does on the Plugins page."""
    shop.plugin.active = active
    shop.plugin.save(update_fields=["active"])


def set_plugin_configuration(shop: Shop, **values: bool | str) -> None:
    """Change settings as a merchant does on the Plugins page."""
    items = {item["name"]: item for item in shop.plugin.configuration}
    for name, value in values.items():
        items[name] = {"name": name, "value": value}
    shop.plugin.configuration = list(items.values())
    shop.plugin.save(update_fields=["configuration"])


def make_csr(email: str) -> User:
    """A staff member of a "Customer service" group that manages orders in every
    channel and holds the takeover grant, as merchants set CSRs up."""
    return builders.csr(email)


def make_customer(email: str) -> User:
    return builders.user(email)


def make_cart(
    shop: Shop,
    customer: User | None,
    variants: list[ProductVariant],
    quantity: int = 2,
    engrave: bool = True,
) -> Checkout:
    """A cart with one line per variant; lines carry a configuration (metadata)
    the way a CSR's engraving text does, so copies have metadata to carry."""
    return builders.cart(
        shop.channel,
        customer,
        [(variant, quantity) for variant in variants],
        email=None if customer else "guest@example.com",
        line_metadata=[{"engraving": f"#{i}"} for i in range(len(variants))]
        if engrave
        else None,
    )
