"""Fixtures for driving the plugin through its real endpoint and Saleor's real API."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.permission.models import Permission
from saleor.plugins.models import PluginConfiguration

from saleor_cart_takeover import PLUGIN_ID

from .builders import make_csr
from .clients import TakeoverClient

PLUGIN_PATH = "saleor_cart_takeover.plugin.CartTakeoverPlugin"


@pytest.fixture
def plugin_configuration(db):
    return PluginConfiguration.objects.create(
        identifier=PLUGIN_ID, name="Cart takeover", active=True, configuration=[]
    )


@pytest.fixture
def takeover_plugin(settings, plugin_configuration):
    """The plugin installed and active, as a merchant has it after setup."""
    settings.PLUGINS = [*settings.PLUGINS, PLUGIN_PATH]
    return plugin_configuration


def set_config(configuration: PluginConfiguration, **values: Any) -> None:
    items = {item["name"]: item for item in configuration.configuration}
    for name, value in values.items():
        items[name] = {"name": name, "value": value}
    configuration.configuration = list(items.values())
    configuration.save(update_fields=["configuration"])


@pytest.fixture
def manage_orders():
    return Permission.objects.get(codename="manage_orders")


@pytest.fixture
def csr(db, manage_orders):
    return make_csr("csr@example.com", manage_orders)


@pytest.fixture
def csr_client(takeover_plugin, csr):
    return TakeoverClient(csr)


@pytest.fixture
def other_csr_client(takeover_plugin, manage_orders):
    return TakeoverClient(make_csr("csr2@example.com", manage_orders))


class QueryCounter(CaptureQueriesContext):
    def __init__(self) -> None:
        super().__init__(connection)

    @property
    def count(self) -> int:
        return len(self.captured_queries)


@pytest.fixture
def variants(product, warehouse, channel_USD):
    """Three sellable variants of one product (S, M, L), 50 of each in stock."""
    from decimal import Decimal

    from saleor.product.models import ProductVariant, ProductVariantChannelListing
    from saleor.warehouse.models import Stock

    first = product.variants.get()
    first.name = "S"
    first.save(update_fields=["name"])
    Stock.objects.filter(product_variant=first).update(quantity=50)
    result = [first]
    for size, price in (("M", 12), ("L", 14)):
        variant = ProductVariant.objects.create(
            product=product, sku=f"SKU-{size}", name=size
        )
        ProductVariantChannelListing.objects.create(
            variant=variant,
            channel=channel_USD,
            price_amount=Decimal(price),
            discounted_price_amount=Decimal(price),
            currency=channel_USD.currency_code,
        )
        Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=50)
        result.append(variant)
    return result


@pytest.fixture
def shop(channel_USD, variants, shipping_method):
    """A channel that takes unpaid orders, three variants and a shipping method."""
    channel_USD.allow_unpaid_orders = True
    channel_USD.save(update_fields=["allow_unpaid_orders"])
    return variants


@pytest.fixture
def pickup_store(shop, address, channel_USD):
    """A click-and-collect store that stocks the shop's variants."""
    from saleor.warehouse import WarehouseClickAndCollectOption
    from saleor.warehouse.models import Stock, Warehouse

    store = Warehouse.objects.create(
        address=address.get_copy(),
        name="Downtown store",
        slug="downtown-store",
        email="store@example.com",
        is_private=False,
        click_and_collect_option=WarehouseClickAndCollectOption.LOCAL_STOCK,
    )
    store.channels.add(channel_USD)
    Stock.objects.bulk_create(
        Stock(warehouse=store, product_variant=variant, quantity=20) for variant in shop
    )
    return store


@pytest.fixture
def built_pages(tmp_path, monkeypatch):
    """A Vite build output, as `npm run build` leaves it."""
    import json

    from saleor_cart_takeover.dashboard import views

    (tmp_path / "assets").mkdir()
    (tmp_path / ".vite").mkdir()
    manifest = {
        "src/main.tsx": {
            "file": "assets/main-abc123.js",
            "isEntry": True,
            "css": ["assets/main-def456.css"],
        }
    }
    for folder in (tmp_path, tmp_path / ".vite"):
        (folder / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "assets" / "main-abc123.js").write_text("console.log(1)")
    (tmp_path / "assets" / "main-def456.css").write_text("body{}")
    monkeypatch.setattr(views, "STATIC_DIR", tmp_path)
    return tmp_path
