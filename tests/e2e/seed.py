"""Sample data for the end-to-end tests, written into the live server's database.

Run as `python -m tests.e2e.seed BASE_URL SUFFIX [--catalogue-only]` with the
server's settings; prints what the tests need as JSON. With --catalogue-only it
leaves the plugin's activation and the app's installation to the caller (the
installed-wheel test does both as a merchant would). Every name carries SUFFIX, so runs that
share a database never see each other's data.
"""

import json
import sys
from decimal import Decimal

import django


def main(base_url: str, suffix: str, plugin: bool = True) -> dict:
    django.setup()
    from django.conf import settings
    from django.contrib.sites.models import Site
    from saleor.plugins.models import PluginConfiguration
    from saleor.site.models import SiteSettings
    from saleor.warehouse import WarehouseClickAndCollectOption

    from saleor_cart_takeover import PLUGIN_ID
    from saleor_cart_takeover.dashboard.installation import install_app
    from saleor_cart_takeover.demo import builders
    from saleor_cart_takeover.plugin import CartTakeoverPlugin

    # Saleor creates these in a data migration; a test database that
    # transactional tests have flushed no longer has them.
    site, _ = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "127.0.0.1", "name": "Saleor e2e"}
    )
    SiteSettings.objects.get_or_create(site=site)

    app = None
    if plugin:
        PluginConfiguration.objects.update_or_create(
            identifier=PLUGIN_ID,
            # The defaults, as Saleor stores them when it creates the row itself
            # (`pluginUpdate` updates this list; Saleor's default {} breaks it).
            defaults={
                "active": True,
                "name": "Cart takeover",
                "configuration": [
                    dict(i) for i in CartTakeoverPlugin.DEFAULT_CONFIGURATION
                ],
            },
        )
        app = install_app(base_url)

    channel = builders.channel(f"web-{suffix}", f"Web shop {suffix}", country="US")
    store = {
        "first_name": "Store",
        "last_name": "Front",
        "street_address_1": "Rynek 1",
        "city": "WROCŁAW",
        "postal_code": "50-101",
        "country": "PL",
        "country_area": "",
        "phone": "",
    }
    warehouse = builders.warehouse(
        f"store-{suffix}",
        f"Market Square store {suffix}",
        channel,
        store,
        click_and_collect=WarehouseClickAndCollectOption.ALL_WAREHOUSES,
    )
    method = builders.shipping(
        channel, warehouse, f"Europe {suffix}", ["PL", "DE"], "Courier"
    )
    sizes = builders.attribute(f"size-{suffix}", "Size", ["Small", "Medium", "Large"])
    size = sizes["Small"].attribute
    mug_type = builders.product_type(f"mug-{suffix}", f"Mug {suffix}", [size])
    textile_type = builders.product_type(f"textile-{suffix}", f"Textile {suffix}")
    kitchen = builders.category(f"kitchen-{suffix}", f"Kitchen {suffix}")

    def product(name: str, kind, variants: list[tuple]) -> dict:
        built = builders.product(
            f"{name.lower().replace(' ', '-')}-{suffix}",
            f"{name} {suffix}",
            kind,
            kitchen,
            channel,
            warehouse,
            [
                builders.Variant(
                    sku, variant_name, Decimal(price), stock, [value] if value else []
                )
                for variant_name, sku, price, stock, value in variants
            ],
        )
        item = next(iter(built.values())).product
        return {
            "id": item.pk,
            "name": item.name,
            "variants": {v.name: v.pk for v in built.values()},
        }

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
    builders.index_products([mug["id"], towel["id"]])

    password = "e2e-Password-1"
    admin = builders.user(
        f"admin-{suffix}@example.com",
        password,
        is_staff=True,
        is_superuser=True,
        first_name="Ada",
        last_name="Admin",
    )
    service = builders.staff_group(f"Customer service {suffix}", "manage_orders")
    csr = builders.csr(
        f"csr-{suffix}@example.com",
        password,
        service,
        first_name="Casey",
        last_name="Rep",
    )
    managers = builders.staff_group(
        f"Staff managers {suffix}", "manage_orders", "manage_staff"
    )
    manager = builders.csr(f"manager-{suffix}@example.com", password, managers)
    # Manages orders but was never granted cart takeover.
    newcomer = builders.csr(
        f"newcomer-{suffix}@example.com", password, service, grant=False
    )
    shopper = builders.user(
        f"wade-{suffix}@example.com",
        password,
        addresses=[{"first_name": "Wade", "last_name": "Wilson"}],
        first_name="Wade",
        last_name="Wilson",
    )
    return {
        "app_id": app.pk if app else None,
        "channel": channel.slug,
        "channel_id": channel.pk,
        "shipping_method_id": method.pk,
        "warehouse_id": str(warehouse.pk),
        "mug": mug,
        "towel": towel,
        "mug_type": mug_type.name,
        "category": kitchen.name,
        "password": password,
        "admin": admin.email,
        "csr": csr.email,
        "manager": manager.email,
        "newcomer": newcomer.email,
        "shopper": shopper.email,
        "shopper_id": shopper.pk,
    }


if __name__ == "__main__":
    print(
        json.dumps(
            main(sys.argv[1], sys.argv[2], plugin="--catalogue-only" not in sys.argv)
        )
    )
