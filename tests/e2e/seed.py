"""Sample data for the end-to-end tests, written into the live server's database.

Run as `python -m tests.e2e.seed BASE_URL SUFFIX` with the server's settings;
prints what the tests need as JSON. Every name carries SUFFIX, so runs that
share a database never see each other's data.
"""

import datetime
import json
import sys
from decimal import Decimal

import django


def main(base_url: str, suffix: str) -> dict:
    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sites.models import Site
    from saleor.account.models import Address, Group, User
    from saleor.attribute import AttributeInputType, AttributeType
    from saleor.attribute.models import Attribute, AttributeValue
    from saleor.attribute.utils import associate_attribute_values_to_instance
    from saleor.channel.models import Channel
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

    from saleor_cart_takeover import PLUGIN_ID
    from saleor_cart_takeover.dashboard.installation import install_app
    from saleor_cart_takeover.models import TakeoverGrant

    # Saleor creates these in a data migration; a test database that
    # transactional tests have flushed no longer has them.
    site, _ = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "127.0.0.1", "name": "Saleor e2e"}
    )
    SiteSettings.objects.get_or_create(site=site)

    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID, defaults={"active": True, "name": "Cart takeover"}
    )
    app = install_app(base_url)

    channel = Channel.objects.create(
        name=f"Web shop {suffix}",
        slug=f"web-{suffix}",
        currency_code="USD",
        default_country="US",
        is_active=True,
        allow_unpaid_orders=True,
    )
    TaxConfiguration.objects.create(channel=channel, charge_taxes=False)
    zone = ShippingZone.objects.create(name=f"Europe {suffix}", countries=["PL", "DE"])
    zone.channels.add(channel)
    method = ShippingMethod.objects.create(
        name="Courier", type=ShippingMethodType.PRICE_BASED, shipping_zone=zone
    )
    ShippingMethodChannelListing.objects.create(
        channel=channel,
        shipping_method=method,
        currency="USD",
        minimum_order_price_amount=Decimal(0),
        price_amount=Decimal(5),
    )
    store_address = Address.objects.create(
        first_name="Store",
        last_name="Front",
        street_address_1="Rynek 1",
        city="WROCŁAW",
        postal_code="50-101",
        country="PL",
    )
    warehouse = Warehouse.objects.create(
        address=store_address,
        name=f"Market Square store {suffix}",
        slug=f"store-{suffix}",
        email="store@example.com",
        is_private=False,
        click_and_collect_option=WarehouseClickAndCollectOption.ALL_WAREHOUSES,
    )
    warehouse.shipping_zones.add(zone)
    warehouse.channels.add(channel)

    size = Attribute.objects.create(
        name="Size",
        slug=f"size-{suffix}",
        type=AttributeType.PRODUCT_TYPE,
        input_type=AttributeInputType.DROPDOWN,
    )
    sizes = {
        name: AttributeValue.objects.create(
            attribute=size, name=name, slug=f"{name.lower()}-{suffix}"
        )
        for name in ("Small", "Medium", "Large")
    }
    mug_type = ProductType.objects.create(
        name=f"Mug {suffix}", slug=f"mug-{suffix}", has_variants=True
    )
    mug_type.variant_attributes.add(size)
    textile_type = ProductType.objects.create(
        name=f"Textile {suffix}", slug=f"textile-{suffix}", has_variants=True
    )
    kitchen = Category.objects.create(
        name=f"Kitchen {suffix}", slug=f"kitchen-{suffix}"
    )

    def product(name: str, kind: ProductType, variants: list[tuple]) -> dict:
        item = Product.objects.create(
            name=f"{name} {suffix}",
            slug=f"{name.lower().replace(' ', '-')}-{suffix}",
            product_type=kind,
            category=kitchen,
        )
        ProductChannelListing.objects.create(
            product=item,
            channel=channel,
            is_published=True,
            visible_in_listings=True,
            currency="USD",
            available_for_purchase_at=datetime.datetime(
                2020, 1, 1, tzinfo=datetime.UTC
            ),
        )
        ids = {}
        for variant_name, sku, price, stock, value in variants:
            variant = ProductVariant.objects.create(
                product=item, name=variant_name, sku=sku
            )
            ProductVariantChannelListing.objects.create(
                variant=variant,
                channel=channel,
                currency="USD",
                price_amount=Decimal(price),
                discounted_price_amount=Decimal(price),
            )
            Stock.objects.create(
                warehouse=warehouse, product_variant=variant, quantity=stock
            )
            if value is not None:
                associate_attribute_values_to_instance(variant, {size.pk: [value]})
            ids[variant_name] = variant.pk
        return {"id": item.pk, "name": item.name, "variants": ids}

    mug = product(
        "Engravable mug",
        mug_type,
        [
            ("Small", f"MUG-S-{suffix}", 12, 40, sizes["Small"]),
            ("Medium", f"MUG-M-{suffix}", 14, 40, sizes["Medium"]),
            ("Large", f"MUG-L-{suffix}", 16, 0, sizes["Large"]),
        ],
    )
    towel = product(
        "Tea towel", textile_type, [("Linen", f"TOWEL-{suffix}", 9, 25, None)]
    )
    update_products_search_vector([mug["id"], towel["id"]])

    manage_orders = Permission.objects.get(codename="manage_orders")
    manage_staff = Permission.objects.get(codename="manage_staff")
    service = Group.objects.create(name=f"Customer service {suffix}")
    service.permissions.add(manage_orders)
    password = "e2e-Password-1"
    csr = User.objects.create(
        email=f"csr-{suffix}@example.com",
        first_name="Casey",
        last_name="Rep",
        is_staff=True,
        is_active=True,
        password=make_password(password),
    )
    csr.groups.add(service)
    TakeoverGrant.objects.create(user=csr, granted_by_email="seed")
    managers = Group.objects.create(name=f"Staff managers {suffix}")
    managers.permissions.add(manage_orders, manage_staff)
    manager = User.objects.create(
        email=f"manager-{suffix}@example.com",
        is_staff=True,
        is_active=True,
        password=make_password(password),
    )
    manager.groups.add(managers)
    TakeoverGrant.objects.create(user=manager, granted_by_email="seed")
    # Manages orders but was never granted cart takeover.
    newcomer = User.objects.create(
        email=f"newcomer-{suffix}@example.com",
        is_staff=True,
        is_active=True,
        password=make_password(password),
    )
    newcomer.groups.add(service)
    shopper = User.objects.create(
        email=f"wade-{suffix}@example.com",
        first_name="Wade",
        last_name="Wilson",
        is_active=True,
        password=make_password(password),
    )
    return {
        "app_id": app.pk,
        "channel": channel.slug,
        "channel_id": channel.pk,
        "shipping_method_id": method.pk,
        "warehouse_id": str(warehouse.pk),
        "mug": mug,
        "towel": towel,
        "mug_type": mug_type.name,
        "category": kitchen.name,
        "password": password,
        "csr": csr.email,
        "manager": manager.email,
        "newcomer": newcomer.email,
        "shopper": shopper.email,
        "shopper_id": shopper.pk,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
