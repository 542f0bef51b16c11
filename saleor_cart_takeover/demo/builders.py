"""The one shop builder shared by the demo, the tests and the benchmarks.

Catalogue rows are written with the ORM, as Saleor's own fixtures do, and then
given what Saleor's mutations and Celery tasks would give them: products their
search vectors (`update_products_search_vector`, what Saleor's
`update_products_search_vector_task` runs for dirty rows), users theirs (what
`accountRegister` / `customerCreate` / `staffCreate` do). Carts are filled
through Saleor's `add_variants_to_checkout`, the service behind its checkout
mutations. Every builder looks its row up by slug, SKU or e-mail first, so the
demo can run again on its own data.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.sites.models import Site
from django.utils import timezone
from saleor.account.models import Address, Group, User
from saleor.attribute import AttributeInputType, AttributeType
from saleor.attribute.models import Attribute, AttributeValue
from saleor.attribute.utils import associate_attribute_values_to_instance
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout, CheckoutLine, CheckoutMetadata
from saleor.checkout.utils import add_variants_to_checkout
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
from saleor.site.models import SiteSettings
from saleor.tax.models import TaxConfiguration
from saleor.warehouse import WarehouseClickAndCollectOption
from saleor.warehouse.models import Stock, Warehouse

from .. import compat
from ..access import grants
from ..compat import CheckoutLineData

CURRENCY = "USD"
COUNTRY = "US"
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


def address(**values: str) -> Address:
    return Address.objects.create(**{**ADDRESS, **values})


def channel(slug: str, name: str, country: str = COUNTRY) -> Channel:
    """An active channel that takes unpaid orders (shoppers in the demo, the
    tests and the benchmarks check out without a payment app)."""
    result, _ = Channel.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "currency_code": CURRENCY,
            "default_country": country,
            "is_active": True,
            "allow_unpaid_orders": True,
        },
    )
    if not result.allow_unpaid_orders:
        result.allow_unpaid_orders = True
        result.save(update_fields=["allow_unpaid_orders"])
    # Saleor's channelCreate makes one; without it prices cannot be computed.
    TaxConfiguration.objects.get_or_create(
        channel=result, defaults={"charge_taxes": False}
    )
    return result


def warehouse(
    slug: str,
    name: str,
    in_channel: Channel,
    store_address: dict[str, str] | None = None,
    click_and_collect: str = WarehouseClickAndCollectOption.LOCAL_STOCK,
) -> Warehouse:
    """A warehouse that is also a store shoppers may pick up from."""
    result = Warehouse.objects.filter(slug=slug).first()
    if result is None:
        result = Warehouse.objects.create(
            slug=slug,
            name=name,
            email="store@example.com",
            address=address(**(store_address or {})),
            click_and_collect_option=click_and_collect,
            is_private=False,
        )
    result.channels.add(in_channel)
    return result


def shipping(
    in_channel: Channel,
    from_warehouse: Warehouse,
    zone_name: str,
    countries: Iterable[str] = (COUNTRY,),
    method_name: str = "Standard delivery",
    price: Decimal = Decimal(5),
) -> ShippingMethod:
    zone, _ = ShippingZone.objects.get_or_create(
        name=zone_name, defaults={"countries": list(countries)}
    )
    zone.channels.add(in_channel)
    zone.warehouses.add(from_warehouse)
    method, _ = ShippingMethod.objects.get_or_create(
        shipping_zone=zone,
        name=method_name,
        defaults={"type": ShippingMethodType.PRICE_BASED},
    )
    ShippingMethodChannelListing.objects.get_or_create(
        shipping_method=method,
        channel=in_channel,
        defaults={
            "currency": CURRENCY,
            "price_amount": price,
            "minimum_order_price_amount": Decimal(0),
        },
    )
    return method


def attribute(slug: str, name: str, values: list[str]) -> dict[str, AttributeValue]:
    """A variant-selection attribute (size, colour) and its values by name."""
    result, _ = Attribute.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "type": AttributeType.PRODUCT_TYPE,
            "input_type": AttributeInputType.DROPDOWN,
            "filterable_in_storefront": True,
            "filterable_in_dashboard": True,
            "available_in_grid": True,
        },
    )
    found = {}
    for index, value in enumerate(values):
        found[value], _ = AttributeValue.objects.get_or_create(
            attribute=result,
            slug=f"{slug}-{value.lower()}",
            defaults={"name": value, "sort_order": index},
        )
    return found


def product_type(slug: str, name: str, attributes: Iterable[Attribute] = ()) -> Any:
    result, _ = ProductType.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "has_variants": True, "is_shipping_required": True},
    )
    for item in attributes:
        if not result.variant_attributes.filter(pk=item.pk).exists():
            result.variant_attributes.add(
                item, through_defaults={"variant_selection": True}
            )
    return result


def category(slug: str, name: str) -> Category:
    result, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return result


@dataclass
class Variant:
    sku: str
    name: str
    price: Decimal
    stock: int
    values: list[AttributeValue] = field(default_factory=list)


def product(
    slug: str,
    name: str,
    kind: ProductType,
    in_category: Category,
    in_channel: Channel,
    stocked_in: Warehouse,
    variants: list[Variant],
    description: str = "",
) -> dict[str, ProductVariant]:
    """A published product with its variants, prices and stock, by SKU.

    Variants are created in bulk (the benchmarks build hundreds). Call
    `index_products` once the catalogue is complete.
    """
    item, _ = Product.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "product_type": kind,
            "category": in_category,
            "description": _rich_text(description) if description else None,
            "description_plaintext": description,
        },
    )
    ProductChannelListing.objects.get_or_create(
        product=item,
        channel=in_channel,
        defaults={
            "is_published": True,
            "visible_in_listings": True,
            "published_at": timezone.now(),
            "available_for_purchase_at": timezone.now() - datetime.timedelta(days=1),
            "currency": CURRENCY,
            "discounted_price_amount": min(v.price for v in variants),
        },
    )
    existing = {v.sku: v for v in item.variants.all()}
    new = [spec for spec in variants if spec.sku not in existing]
    created = ProductVariant.objects.bulk_create(
        ProductVariant(product=item, sku=spec.sku, name=spec.name) for spec in new
    )
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(
            variant=variant,
            channel=in_channel,
            currency=CURRENCY,
            price_amount=spec.price,
            discounted_price_amount=spec.price,
        )
        for variant, spec in zip(created, new, strict=True)
    )
    Stock.objects.bulk_create(
        Stock(warehouse=stocked_in, product_variant=variant, quantity=spec.stock)
        for variant, spec in zip(created, new, strict=True)
    )
    for variant, spec in zip(created, new, strict=True):
        if spec.values:
            associate_attribute_values_to_instance(
                variant, {value.attribute_id: [value] for value in spec.values}
            )
        existing[spec.sku] = variant
    if item.default_variant_id is None:
        item.default_variant = item.variants.order_by("pk").first()
        item.save(update_fields=["default_variant"])
    return existing


def index_products(products: Iterable[Product | int]) -> None:
    """What Saleor's Celery task does for products marked `search_index_dirty`.

    Saleor reads the products through its replica connection: call it once
    the transaction that wrote them has committed, or it indexes nothing.
    """
    update_products_search_vector(p if isinstance(p, int) else p.pk for p in products)


def _rich_text(text: str) -> dict:
    """Saleor stores descriptions as Editor.js JSON."""
    return {
        "blocks": [{"type": "paragraph", "data": {"text": text}}],
        "version": "2.24.3",
    }


def user(
    email: str,
    password: str | None = None,
    addresses: Iterable[dict[str, str]] = (),
    **fields: Any,
) -> User:
    """A user as Saleor's account mutations leave one: searchable by e-mail and
    name (and address) in the Dashboard and through `customers(search:)`."""
    result, created = User.objects.get_or_create(
        email=email, defaults={"is_active": True, "is_confirmed": True, **fields}
    )
    if password and (created or not result.check_password(password)):
        # Keep printed credentials true even if someone changed them.
        result.set_password(password)
        result.save(update_fields=["password"])
    if created:
        for values in addresses:
            shipping_address = address(**values)
            result.addresses.add(shipping_address)
            billing_address = address(**values)
            result.addresses.add(billing_address)
            result.default_shipping_address = shipping_address
            result.default_billing_address = billing_address
        result.save(
            update_fields=["default_shipping_address", "default_billing_address"]
        )
    compat.index_user(result)
    return result


def staff_group(name: str, *codenames: str, restricted: bool = False) -> Group:
    group, created = Group.objects.get_or_create(
        name=name, defaults={"restricted_access_to_channels": restricted}
    )
    if created:
        group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


def csr(
    email: str,
    password: str | None = None,
    group: Group | None = None,
    grant: bool = True,
    **fields: Any,
) -> User:
    """A staff member of a group that manages orders in every channel, holding
    the takeover grant unless `grant` is False."""
    result = user(email, password, is_staff=True, **fields)
    result.groups.add(group or staff_group("Customer service", "manage_orders"))
    if grant:
        grants.grant(user=result, by="builder")
    return result


def cart(
    in_channel: Channel,
    customer: User | None,
    lines: list[tuple[ProductVariant, int]],
    email: str | None = None,
    line_metadata: list[dict[str, str]] | None = None,
    private_metadata: dict[str, str] | None = None,
) -> Checkout:
    """A cart made the way `checkoutCreate` makes one and filled the way
    `checkoutLinesAdd` fills it."""
    checkout = Checkout.objects.create(
        channel=in_channel,
        currency=CURRENCY,
        country=COUNTRY,
        user=customer,
        email=email or (customer.email if customer else None),
    )
    # `checkoutCreate` gives every cart its metadata row
    # (`create_checkout_metadata`); writes to a cart without one pay for it.
    CheckoutMetadata.objects.create(
        checkout=checkout, private_metadata=private_metadata or {}
    )
    add_variants_to_checkout(
        checkout,
        [variant for variant, _ in lines],
        [
            CheckoutLineData(variant_id=str(variant.pk), quantity=quantity)
            for variant, quantity in lines
        ],
        in_channel,
        # Stock from any of the channel's warehouses, as Saleor's fixtures build
        # carts, whatever the shop's shipping-zone setting.
        **dict.fromkeys(
            compat.stock_options(
                SiteSettings.objects.get(site=Site.objects.get_current())
            ),
            False,
        ),
    )
    if line_metadata:
        saved = list(CheckoutLine.objects.filter(checkout=checkout).order_by("pk"))
        for line, metadata in zip(saved, line_metadata, strict=False):
            line.metadata = metadata
        CheckoutLine.objects.bulk_update(saved, ["metadata"])
    return checkout
