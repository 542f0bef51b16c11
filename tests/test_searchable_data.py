"""Data the project creates can be found the way CSRs search for it.

The Dashboard's customer picker and Saleor's `customers(search:)` read
`User.search_vector`; the takeover screen's keyword search reads
`Product.search_vector` (Saleor fills both in its mutations and Celery tasks,
which the demo does not run).
"""

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from saleor.graphql.tests.utils import get_graphql_content

from saleor_cart_takeover.demo import sample_data
from saleor_cart_takeover.demo.constants import CHANNEL_SLUG, CSR, SHOPPER

CUSTOMERS = """
query ($search: String) {
  customers(first: 10, filter: {search: $search}) { edges { node { email } } }
}
"""
STAFF = """
query ($search: String) {
  staffUsers(first: 10, filter: {search: $search}) { edges { node { email } } }
}
"""
PRODUCTS = """
query ($search: String, $channel: String) {
  products(first: 10, search: $search, channel: $channel) {
    edges { node { name } }
  }
}
"""


@pytest.fixture
def demo_data(db):
    return sample_data.load()


@pytest.mark.parametrize("typed", ["shopper@", "shop", "Ada", "Shopper"])
def test_the_demo_shopper_is_found_by_saleors_customer_search(
    demo_data, staff_api_client, permission_manage_users, typed
):
    staff_api_client.user.user_permissions.add(permission_manage_users)
    content = get_graphql_content(
        staff_api_client.post_graphql(CUSTOMERS, {"search": typed})
    )
    emails = [e["node"]["email"] for e in content["data"]["customers"]["edges"]]
    assert SHOPPER.email in emails


def test_the_demo_csr_is_found_by_saleors_staff_search(
    demo_data, staff_api_client, permission_manage_staff
):
    staff_api_client.user.user_permissions.add(permission_manage_staff)
    content = get_graphql_content(
        staff_api_client.post_graphql(STAFF, {"search": "Casey"})
    )
    emails = [e["node"]["email"] for e in content["data"]["staffUsers"]["edges"]]
    assert CSR.email in emails


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("bottle", "Engraved water bottle"),
        ("wallet", "Leather wallet"),
        ("t-shirt", "Classic T-shirt"),
        ("DEMO-WALLET-BROWN", "Leather wallet"),  # by variant SKU
    ],
)
def test_the_demo_products_are_found_by_keyword(
    demo_data, staff_api_client, permission_manage_products, typed, expected
):
    staff_api_client.user.user_permissions.add(permission_manage_products)
    content = get_graphql_content(
        staff_api_client.post_graphql(
            PRODUCTS, {"search": typed, "channel": CHANNEL_SLUG}
        )
    )
    names = [e["node"]["name"] for e in content["data"]["products"]["edges"]]
    assert expected in names


def test_benchmark_shops_are_searchable_too(
    db, staff_api_client, permission_manage_products, permission_manage_users
):
    from benchmarks import builders as bench

    shop = bench.build_shop(variant_count=3)
    customer = bench.make_customer("bench-shopper@example.com")
    cart = bench.make_cart(shop, customer, shop.variants[:2])
    staff_api_client.user.user_permissions.add(
        permission_manage_products, permission_manage_users
    )

    products = get_graphql_content(
        staff_api_client.post_graphql(
            PRODUCTS, {"search": "shirt", "channel": shop.channel.slug}
        )
    )["data"]["products"]["edges"]
    customers = get_graphql_content(
        staff_api_client.post_graphql(
            CUSTOMERS, {"search": "bench-shopper@example.com"}
        )
    )["data"]["customers"]["edges"]
    assert [p["node"]["name"] for p in products] == ["Benchmark shirt"]
    assert [c["node"]["email"] for c in customers] == [customer.email]
    assert [line.metadata for line in cart.lines.order_by("pk")] == [
        {"engraving": "#0"},
        {"engraving": "#1"},
    ]


@pytest.fixture
def replica_of_its_own(transactional_db):
    """Saleor's replica as the demo (and any deployment without
    DATABASE_URL_REPLICA) has it: a connection of its own to the same
    database, which sees committed rows only. Saleor's test setup otherwise
    shares the writer's connection, transaction and all."""
    alias = settings.DATABASE_CONNECTION_REPLICA_NAME
    shared = connections[alias]
    writer = connections[DEFAULT_DB_ALIAS]
    backend = load_backend(writer.settings_dict["ENGINE"])
    own = backend.DatabaseWrapper(dict(writer.settings_dict), alias)
    connections[alias] = own
    yield
    own.close()
    connections[alias] = shared


def test_a_fresh_demo_database_is_searchable_as_soon_as_it_is_loaded(
    replica_of_its_own,
    staff_api_client,
    permission_manage_products,
    permission_manage_users,
):
    """What a newcomer's first search finds: the demo's first start loads the
    sample data, then serves; Saleor's own searches find it at once."""
    sample_data.load()
    staff_api_client.user.user_permissions.add(
        permission_manage_products, permission_manage_users
    )

    products = get_graphql_content(
        staff_api_client.post_graphql(
            PRODUCTS, {"search": "bottle", "channel": CHANNEL_SLUG}
        )
    )["data"]["products"]["edges"]
    customers = get_graphql_content(
        staff_api_client.post_graphql(CUSTOMERS, {"search": "Ada"})
    )["data"]["customers"]["edges"]
    assert [p["node"]["name"] for p in products] == ["Engraved water bottle"]
    assert [c["node"]["email"] for c in customers] == [SHOPPER.email]
