"""Create what one real-Dashboard test needs in the live server's database.

Run with the server's settings:
- `python -m tests.dashboard.make_data rep EMAIL PASSWORD SUFFIX`: a rep of the
  seed's customer-service group, holding the takeover grant;
- `python -m tests.dashboard.make_data product SUFFIX NAME`: a product type and
  a published, stocked, searchable product of it (one variant, "Blue") in the
  seed's channel.
Prints JSON. Uses the project's shop builders (as tests/e2e/seed.py does).
"""

import json
import sys
from collections.abc import Callable
from decimal import Decimal

import django


def rep(email: str, password: str, suffix: str) -> dict:
    from saleor_cart_takeover.demo import builders

    group = builders.staff_group(f"Customer service {suffix}", "manage_orders")
    user = builders.csr(email, password, group, first_name="Robin", last_name="Rep")
    return {"email": user.email}


def product(suffix: str, name: str) -> dict:
    from saleor.channel.models import Channel
    from saleor.product.models import Category
    from saleor.warehouse.models import Warehouse

    from saleor_cart_takeover.demo import builders

    from ..ids import gid

    slug = name.lower().replace(" ", "-")
    kind = builders.product_type(f"{slug}-type", f"{name} type")
    variants = builders.product(
        slug,
        name,
        kind,
        Category.objects.get(slug=f"kitchen-{suffix}"),
        Channel.objects.get(slug=f"web-{suffix}"),
        Warehouse.objects.get(slug=f"store-{suffix}"),
        [builders.Variant(f"{slug.upper()}-B", "Blue", Decimal(20), 30)],
    )
    variant = variants[f"{slug.upper()}-B"]
    builders.index_products([variant.product_id])
    return {
        "product_type_id": gid("ProductType", kind.pk),
        "variant_id": variant.pk,
        "sku": variant.sku,
    }


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    commands: dict[str, Callable[..., dict]] = {"rep": rep, "product": product}
    print(json.dumps(commands[command](*args)))
