"""Small builders for the benchmark shop, written with Saleor's own models.

Catalogue rows are written with the ORM, as Saleor's test fixtures do; carts
are filled through Saleor's `add_variants_to_checkout`, the service behind its
checkout mutations, so the lines carry the prices Saleor itself would store.
None of this is timed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import graphene
from django.db import transaction
from django.utils import timezone
from saleor.account.models import Address, Group, User
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.checkout.utils import add_variants_to_checkout
from saleor.discount import PromotionType, RewardValueType
from saleor.discount.models import Promotion, PromotionRule
from saleor.graphql.checkout.mutations.utils import CheckoutLineData
from saleor.permission.models import Permission
from saleor.plugins.models import PluginConfiguration
from saleor.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor.product.utils.variant_prices import update_discounted_prices_for_promotion
from saleor.product.utils.variants import fetch_variants_for_promotion_rules
from saleor.shipping import ShippingMethodType
from saleor.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingZone,
)
from saleor.tax.models import TaxConfiguration
from saleor.warehouse.models import Stock, Warehouse

from saleor_cart_takeover import PLUGIN_ID
from saleor_cart_takeover.models import TakeoverGrant

CHANNEL_SLUG = "bench"
CURRENCY = "USD"
COUNTRY = "US"
# Enough that 50 shoppers ordering in a loop never run out: stock errors would
# be the benchmark's fault, not something to measure.
STOCK = 1_000_000
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Shopper",
    "street_address_1": "1 Market St",
    "city": "SAN FRANCISCO",
    "postal_code": "94105",
    "country_area": "CA",
    "country": COUNTRY,
    "phone": "+14155550100",
}
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
        channel = Channel.objects.create(
            name="Benchmark",
            slug=CHANNEL_SLUG,
            currency_code=CURRENCY,
            default_country=COUNTRY,
            is_active=True,
            # Shoppers complete checkouts without a payment app.
            allow_unpaid_orders=True,
        )
        # Saleor's channelCreate makes one; prices cannot be computed without it.
        TaxConfiguration.objects.get_or_create(channel=channel)
        warehouse = Warehouse.objects.create(
            slug="bench-warehouse",
            name="Benchmark warehouse",
            email="warehouse@example.com",
            address=Address.objects.create(**ADDRESS),
        )
        warehouse.channels.add(channel)
        zone = ShippingZone.objects.create(name="Benchmark US", countries=[COUNTRY])
        zone.channels.add(channel)
        zone.warehouses.add(warehouse)
        method = ShippingMethod.objects.create(
            shipping_zone=zone, name="Standard", type=ShippingMethodType.PRICE_BASED
        )
        ShippingMethodChannelListing.objects.create(
            shipping_method=method,
            channel=channel,
            currency=CURRENCY,
            price_amount=Decimal(5),
            minimum_order_price_amount=Decimal(0),
        )
        product_type = ProductType.objects.create(
            name="Benchmark goods",
            slug="bench-goods",
            has_variants=True,
            is_shipping_required=True,
        )
        category = Category.objects.create(name="Benchmark", slug="bench")
        product = Product.objects.create(
            name="Benchmark shirt",
            slug="bench-shirt",
            product_type=product_type,
            category=category,
        )
        ProductChannelListing.objects.create(
            product=product,
            channel=channel,
            is_published=True,
            visible_in_listings=True,
            published_at=timezone.now(),
            available_for_purchase_at=timezone.now() - datetime.timedelta(days=1),
            currency=CURRENCY,
            discounted_price_amount=Decimal(10),
        )
        variants = ProductVariant.objects.bulk_create(
            ProductVariant(product=product, sku=f"BENCH-{i:04d}", name=f"Size {i}")
            for i in range(variant_count)
        )
        ProductVariantChannelListing.objects.bulk_create(
            ProductVariantChannelListing(
                variant=variant,
                channel=channel,
                currency=CURRENCY,
                price_amount=Decimal(10 + i % 5),
                discounted_price_amount=Decimal(10 + i % 5),
            )
            for i, variant in enumerate(variants)
        )
        Stock.objects.bulk_create(
            Stock(warehouse=warehouse, product_variant=variant, quantity=STOCK)
            for variant in variants
        )
        product.default_variant = variants[0]
        product.save(update_fields=["default_variant"])
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


def make_csr(email: str) -> User:
    """A staff member of a "Customer service" group that manages orders in every
    channel and holds the takeover grant, as merchants set CSRs up."""
    group, created = Group.objects.get_or_create(
        name="Customer service", defaults={"restricted_access_to_channels": False}
    )
    if created:
        group.permissions.add(Permission.objects.get(codename="manage_orders"))
    user = User.objects.create(email=email, is_staff=True, is_active=True)
    user.groups.add(group)
    TakeoverGrant.objects.create(user=user)
    return user


def make_customer(email: str) -> User:
    return User.objects.create(email=email, is_active=True, is_confirmed=True)


def make_cart(
    shop: Shop,
    customer: User | None,
    variants: list[ProductVariant],
    quantity: int = 2,
    engrave: bool = True,
) -> Checkout:
    """A cart with one line per variant; lines carry a configuration (metadata)
    the way a CSR's engraving text does, so copies have metadata to carry."""
    checkout = Checkout.objects.create(
        channel=shop.channel,
        currency=CURRENCY,
        country=COUNTRY,
        user=customer,
        email=customer.email if customer else "guest@example.com",
    )
    add_variants_to_checkout(
        checkout,
        variants,
        [
            CheckoutLineData(variant_id=str(variant.pk), quantity=quantity)
            for variant in variants
        ],
        shop.channel,
        calculate_stocks_with_shipping_zones=False,
    )
    if engrave:
        lines = list(CheckoutLine.objects.filter(checkout=checkout))
        for index, line in enumerate(lines):
            line.metadata = {"engraving": f"#{index}"}
        CheckoutLine.objects.bulk_update(lines, ["metadata"])
    return checkout
