"""Sample data that shows cart takeover: a shop, a CSR, a shopper with a cart in
progress, an anonymous cart and a draft order.

Everything is looked up by a fixed slug, e-mail or marker before it is created,
so a second run reuses the data instead of failing or duplicating it. Catalogue
rows are written with the ORM (as Saleor's own fixtures do); carts go through
Saleor's `add_variants_to_checkout`, the service its checkout mutations use.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from saleor.account.models import Address, Group, User
from saleor.attribute import AttributeType
from saleor.attribute.models import Attribute, AttributeValue
from saleor.attribute.utils import associate_attribute_values_to_instance
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout, CheckoutMetadata
from saleor.checkout.utils import add_variants_to_checkout
from saleor.order import OrderOrigin, OrderStatus, events
from saleor.order.models import Order
from saleor.order.search import update_order_search_vector
from saleor.permission.models import Permission
from saleor.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor.product.search import update_products_search_vector
from saleor.shipping import ShippingMethodType
from saleor.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingZone,
)
from saleor.tax.models import TaxConfiguration
from saleor.warehouse import WarehouseClickAndCollectOption
from saleor.warehouse.models import Stock, Warehouse

from .. import grants
from ..carts import cart_code
from ..compat import CheckoutLineData
from .constants import ADMIN, CHANNEL_SLUG, CSR, SHOPPER, Account

CURRENCY = "USD"
COUNTRY = "US"
CSR_GROUP = "Customer service (demo)"
STOCK = 500
# Marks the carts and the draft this module made, in private metadata (which
# storefronts never see), so a second run finds them again.
MARKER = "cart_takeover.demo"


SHOPPER_ADDRESS = {
    "first_name": "Ada",
    "last_name": "Shopper",
    "street_address_1": "1 Market St",
    "city": "SAN FRANCISCO",
    "postal_code": "94105",
    "country_area": "CA",
    "country": COUNTRY,
    "phone": "+14155550100",
}
STORE_ADDRESS = {
    "company_name": "Demo Store",
    "street_address_1": "500 Howard St",
    "city": "SAN FRANCISCO",
    "postal_code": "94105",
    "country_area": "CA",
    "country": COUNTRY,
    "phone": "+14155550199",
}

# (product slug, name, product type, description, [(size, colour, price)])
Option = tuple[str | None, str, Decimal]
APPAREL = "apparel"
ENGRAVABLE = "engravable"
PRODUCTS: list[tuple[str, str, str, str, list[Option]]] = [
    (
        "demo-classic-tshirt",
        "Classic T-shirt",
        APPAREL,
        "Cotton T-shirt in three sizes and two colours.",
        [
            (size, colour, Decimal(price))
            for size, price in (("S", 20), ("M", 22), ("L", 24))
            for colour in ("Black", "White")
        ],
    ),
    (
        "demo-engraved-bottle",
        "Engraved water bottle",
        ENGRAVABLE,
        "Steel bottle; the engraving text is a free-text configuration the CSR "
        "records on the cart line (metadata key 'engraving').",
        [(None, colour, Decimal(30)) for colour in ("Steel", "Black")],
    ),
    (
        "demo-leather-wallet",
        "Leather wallet",
        ENGRAVABLE,
        "Leather wallet with optional initials (metadata key 'engraving').",
        [(None, colour, Decimal(45)) for colour in ("Brown", "Black")],
    ),
]


@dataclass
class SampleData:
    channel: Channel
    warehouse: Warehouse
    shipping_method: ShippingMethod
    csr: User
    shopper: User
    shopper_cart: Checkout
    anonymous_cart: Checkout
    draft: Order
    variants: dict[str, ProductVariant]

    @property
    def anonymous_cart_code(self) -> str:
        return cart_code(self.anonymous_cart.token)

    @property
    def shopper_cart_code(self) -> str:
        return cart_code(self.shopper_cart.token)


def load() -> SampleData:
    with transaction.atomic():
        channel = _channel()
        warehouse = _warehouse(channel)
        shipping_method = _shipping(channel, warehouse)
        variants = _catalogue(channel, warehouse)
        _user(ADMIN, is_staff=True, is_superuser=True)
        csr = _csr()
        shopper = _shopper()
    # Checkout writes lock rows and run in transactions of their own.
    shopper_cart = _cart(
        "shopper-cart",
        channel,
        shopper,
        [(variants["DEMO-TSHIRT-M-BLACK"], 1), (variants["DEMO-BOTTLE-STEEL"], 1)],
    )
    anonymous_cart = _cart(
        "anonymous-cart",
        channel,
        None,
        [(variants["DEMO-WALLET-BROWN"], 1), (variants["DEMO-TSHIRT-S-WHITE"], 2)],
    )
    with transaction.atomic():
        draft = _draft(channel, shopper, csr)
    return SampleData(
        channel,
        warehouse,
        shipping_method,
        csr,
        shopper,
        shopper_cart,
        anonymous_cart,
        draft,
        variants,
    )


def _address(values: dict[str, str]) -> Address:
    return Address.objects.create(**values)


def _channel() -> Channel:
    channel, _ = Channel.objects.get_or_create(
        slug=CHANNEL_SLUG,
        defaults={
            "name": "Cart takeover demo",
            "currency_code": CURRENCY,
            "default_country": COUNTRY,
            "is_active": True,
            # The walkthrough's shopper checks out without a payment app.
            "allow_unpaid_orders": True,
        },
    )
    if not channel.allow_unpaid_orders:
        channel.allow_unpaid_orders = True
        channel.save(update_fields=["allow_unpaid_orders"])
    # Saleor's channelCreate makes one; without it prices cannot be computed.
    TaxConfiguration.objects.get_or_create(channel=channel)
    return channel


def _warehouse(channel: Channel) -> Warehouse:
    warehouse = Warehouse.objects.filter(slug="demo-store").first()
    if warehouse is None:
        warehouse = Warehouse.objects.create(
            slug="demo-store",
            name="Demo Store (click & collect)",
            email="store@example.com",
            address=_address(STORE_ADDRESS),
            # Shoppers may pick up here whatever this store has in stock.
            click_and_collect_option=WarehouseClickAndCollectOption.LOCAL_STOCK,
            is_private=False,
        )
    warehouse.channels.add(channel)
    return warehouse


def _shipping(channel: Channel, warehouse: Warehouse) -> ShippingMethod:
    zone, _ = ShippingZone.objects.get_or_create(
        name="Cart takeover demo: United States", defaults={"countries": [COUNTRY]}
    )
    zone.channels.add(channel)
    zone.warehouses.add(warehouse)
    method, _ = ShippingMethod.objects.get_or_create(
        shipping_zone=zone,
        name="Standard delivery",
        defaults={"type": ShippingMethodType.PRICE_BASED},
    )
    ShippingMethodChannelListing.objects.get_or_create(
        shipping_method=method,
        channel=channel,
        defaults={"currency": CURRENCY, "price_amount": Decimal(5)},
    )
    return method


def _attribute(slug: str, name: str, values: list[str]) -> dict[str, AttributeValue]:
    attribute, _ = Attribute.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "type": AttributeType.PRODUCT_TYPE,
            "filterable_in_storefront": True,
            "filterable_in_dashboard": True,
            "available_in_grid": True,
        },
    )
    result = {}
    for index, value in enumerate(values):
        result[value], _ = AttributeValue.objects.get_or_create(
            attribute=attribute,
            slug=f"{slug}-{value.lower()}",
            defaults={"name": value, "sort_order": index},
        )
    return result


def _catalogue(channel: Channel, warehouse: Warehouse) -> dict[str, ProductVariant]:
    sizes = _attribute("demo-size", "Size", ["S", "M", "L"])
    colours = _attribute("demo-colour", "Colour", ["Black", "White", "Steel", "Brown"])
    size_attr = next(iter(sizes.values())).attribute
    colour_attr = next(iter(colours.values())).attribute
    types = {}
    for kind, name, attributes in (
        (APPAREL, "Demo apparel", [size_attr, colour_attr]),
        (ENGRAVABLE, "Demo engravable goods", [colour_attr]),
    ):
        types[kind], _ = ProductType.objects.get_or_create(
            slug=f"demo-{kind}",
            defaults={"name": name, "has_variants": True, "is_shipping_required": True},
        )
        for attribute in attributes:
            if not types[kind].variant_attributes.filter(pk=attribute.pk).exists():
                types[kind].variant_attributes.add(
                    attribute, through_defaults={"variant_selection": True}
                )
    category, _ = Category.objects.get_or_create(
        slug="demo-gifts", defaults={"name": "Demo gifts"}
    )
    variants: dict[str, ProductVariant] = {}
    product_ids = []
    for slug, name, kind, description, options in PRODUCTS:
        product, _ = Product.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "product_type": types[kind],
                "category": category,
                "description": _rich_text(description),
                "description_plaintext": description,
            },
        )
        product_ids.append(product.pk)
        ProductChannelListing.objects.get_or_create(
            product=product,
            channel=channel,
            defaults={
                "is_published": True,
                "visible_in_listings": True,
                "published_at": timezone.now(),
                "available_for_purchase_at": timezone.now()
                - datetime.timedelta(days=1),
                "currency": CURRENCY,
                "discounted_price_amount": min(price for *_, price in options),
            },
        )
        for size, colour, price in options:
            label = " / ".join(part for part in (size, colour) if part)
            sku = "-".join(
                [
                    "DEMO",
                    slug.split("-")[-1].upper(),
                    *(p.upper() for p in (size, colour) if p),
                ]
            )
            variant, created = ProductVariant.objects.get_or_create(
                sku=sku, defaults={"product": product, "name": label}
            )
            if created:
                values = {colour_attr.pk: [colours[colour]]}
                if size:
                    values[size_attr.pk] = [sizes[size]]
                associate_attribute_values_to_instance(variant, values)
            ProductVariantChannelListing.objects.get_or_create(
                variant=variant,
                channel=channel,
                defaults={
                    "currency": CURRENCY,
                    "price_amount": price,
                    "discounted_price_amount": price,
                },
            )
            Stock.objects.get_or_create(
                warehouse=warehouse,
                product_variant=variant,
                defaults={"quantity": STOCK},
            )
            variants[sku] = variant
        if product.default_variant_id is None:
            product.default_variant = product.variants.order_by("pk").first()
            product.save(update_fields=["default_variant"])
    update_products_search_vector(product_ids)
    return variants


def _rich_text(text: str) -> dict:
    """Saleor stores descriptions as Editor.js JSON."""
    return {
        "blocks": [{"type": "paragraph", "data": {"text": text}}],
        "version": "2.24.3",
    }


def _user(account: Account, **fields: Any) -> User:
    user, created = User.objects.get_or_create(
        email=account.email,
        defaults={"is_active": True, "is_confirmed": True, **fields},
    )
    # Keep the printed credentials true even if someone changed them.
    if created or not user.check_password(account.password):
        user.set_password(account.password)
        user.save(update_fields=["password"])
    return user


def _csr() -> User:
    csr = _user(CSR, is_staff=True, first_name="Casey", last_name="Rep")
    group, created = Group.objects.get_or_create(
        name=CSR_GROUP, defaults={"restricted_access_to_channels": False}
    )
    if created:
        group.permissions.add(Permission.objects.get(codename="manage_orders"))
    csr.groups.add(group)
    grants.grant(user=csr, by="demo")
    return csr


def _shopper() -> User:
    shopper = _user(SHOPPER, first_name="Ada", last_name="Shopper")
    if shopper.default_shipping_address_id is None:
        address = _address(SHOPPER_ADDRESS)
        shopper.addresses.add(address)
        shopper.default_shipping_address = address
        shopper.default_billing_address = _address(SHOPPER_ADDRESS)
        shopper.addresses.add(shopper.default_billing_address)
        shopper.save(
            update_fields=["default_shipping_address", "default_billing_address"]
        )
    return shopper


def _cart(
    name: str,
    channel: Channel,
    user: User | None,
    lines: list[tuple[ProductVariant, int]],
) -> Checkout:
    """The marked cart, or a new one when it was completed or expired since."""
    existing = Checkout.objects.filter(
        metadata_storage__private_metadata__contains={MARKER: name}
    ).first()
    if existing is not None:
        return existing
    checkout = Checkout.objects.create(
        channel=channel,
        currency=CURRENCY,
        country=COUNTRY,
        user=user,
        email=user.email if user else None,
    )
    CheckoutMetadata.objects.create(checkout=checkout, private_metadata={MARKER: name})
    add_variants_to_checkout(
        checkout,
        [variant for variant, _ in lines],
        [
            CheckoutLineData(variant_id=str(variant.pk), quantity=quantity)
            for variant, quantity in lines
        ],
        channel,
        calculate_stocks_with_shipping_zones=False,
    )
    return checkout


def _draft(channel: Channel, shopper: User, csr: User) -> Order:
    """An empty draft for the shopper, as "Orders → Create order" makes it."""
    existing = Order.objects.filter(
        status=OrderStatus.DRAFT, private_metadata__contains={MARKER: "draft"}
    ).first()
    if existing is not None:
        return existing
    draft = Order.objects.create(
        status=OrderStatus.DRAFT,
        origin=OrderOrigin.DRAFT,
        channel=channel,
        currency=CURRENCY,
        user=shopper,
        user_email=shopper.email,
        billing_address=_address(SHOPPER_ADDRESS),
        shipping_address=_address(SHOPPER_ADDRESS),
        lines_count=0,
        should_refresh_prices=True,
        private_metadata={MARKER: "draft"},
    )
    update_order_search_vector(draft)
    events.draft_order_created_event(order=draft, user=csr, app=None)
    return draft
