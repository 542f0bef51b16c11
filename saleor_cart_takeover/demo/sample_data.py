"""Sample data that shows cart takeover: a shop, a CSR, a shopper with a cart in
progress, an anonymous cart and a draft order.

Everything is looked up by a fixed slug, e-mail or marker before it is created,
so a second run reuses the data instead of failing or duplicating it. Catalogue
rows are written with the ORM (as Saleor's own fixtures do); carts go through
Saleor's `add_variants_to_checkout`, the service its checkout mutations use.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from saleor.account.models import User
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout
from saleor.order import OrderOrigin, OrderStatus, events
from saleor.order.models import Order
from saleor.order.search import update_order_search_vector
from saleor.product.models import (
    ProductVariant,
)
from saleor.shipping.models import (
    ShippingMethod,
)
from saleor.warehouse.models import Warehouse

from ..takeover.carts import cart_code
from . import builders
from .constants import ADMIN, CHANNEL_SLUG, CSR, SHOPPER, Account
from .line_options_sample import declare_line_options

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
    # After the commit: Saleor's indexer reads products through its replica
    # connection, which sees no row of a transaction still open (on a fresh
    # data directory every product would stay unsearchable until a restart).
    builders.index_products({v.product_id for v in variants.values()})
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


def _channel() -> Channel:
    return builders.channel(CHANNEL_SLUG, "Cart takeover demo")


def _warehouse(channel: Channel) -> Warehouse:
    return builders.warehouse(
        "demo-store", "Demo Store (click & collect)", channel, STORE_ADDRESS
    )


def _shipping(channel: Channel, warehouse: Warehouse) -> ShippingMethod:
    return builders.shipping(channel, warehouse, "Cart takeover demo: United States")


def _catalogue(channel: Channel, warehouse: Warehouse) -> dict[str, ProductVariant]:
    sizes = builders.attribute("demo-size", "Size", ["S", "M", "L"])
    colours = builders.attribute(
        "demo-colour", "Colour", ["Black", "White", "Steel", "Brown"]
    )
    size_attr = next(iter(sizes.values())).attribute
    colour_attr = next(iter(colours.values())).attribute
    types = {
        APPAREL: builders.product_type(
            "demo-apparel", "Demo apparel", [size_attr, colour_attr]
        ),
        ENGRAVABLE: builders.product_type(
            "demo-engravable", "Demo engravable goods", [colour_attr]
        ),
    }
    declare_line_options(types[ENGRAVABLE])  # issue 13: configured line options
    category = builders.category("demo-gifts", "Demo gifts")
    variants: dict[str, ProductVariant] = {}
    for slug, name, kind, description, options in PRODUCTS:
        specs = [
            builders.Variant(
                sku="-".join(
                    [
                        "DEMO",
                        slug.split("-")[-1].upper(),
                        *(p.upper() for p in (size, colour) if p),
                    ]
                ),
                name=" / ".join(part for part in (size, colour) if part),
                price=price,
                stock=STOCK,
                values=[colours[colour], *([sizes[size]] if size else [])],
            )
            for size, colour, price in options
        ]
        variants |= builders.product(
            slug, name, types[kind], category, channel, warehouse, specs, description
        )
    return variants


def _user(account: Account, **fields: Any) -> User:
    return builders.user(account.email, account.password, **fields)


def _csr() -> User:
    group = builders.staff_group(CSR_GROUP, "manage_orders")
    return builders.csr(
        CSR.email, CSR.password, group, first_name="Casey", last_name="Rep"
    )


def _shopper() -> User:
    return builders.user(
        SHOPPER.email,
        SHOPPER.password,
        addresses=[SHOPPER_ADDRESS],
        first_name="Ada",
        last_name="Shopper",
    )


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
    return builders.cart(channel, user, lines, private_metadata={MARKER: name})


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
        billing_address=builders.address(**SHOPPER_ADDRESS),
        shipping_address=builders.address(**SHOPPER_ADDRESS),
        lines_count=0,
        should_refresh_prices=True,
        private_metadata={MARKER: "draft"},
    )
    update_order_search_vector(draft)
    events.draft_order_created_event(order=draft, user=csr, app=None)
    return draft
