"""Run against Saleor's real test fixtures, as Saleor's own root conftest does."""

import django.test
import pytest
from django.conf import settings
from saleor.tests.utils import prepare_test_db_connections

django.test.TransactionTestCase.databases = {
    settings.DATABASE_CONNECTION_DEFAULT_NAME,
    settings.DATABASE_CONNECTION_REPLICA_NAME,
}
django.test.TestCase.databases = django.test.TransactionTestCase.databases

prepare_test_db_connections()

pytest_plugins = [
    "saleor.tests.fixtures",
    "saleor.app.tests.fixtures",
    "saleor.plugins.tests.fixtures",
    "saleor.graphql.tests.fixtures",
    "saleor.webhook.tests.fixtures",
    "saleor.tax.tests.fixtures",
    "saleor.channel.tests.fixtures",
    "saleor.page.tests.fixtures",
    "saleor.menu.tests.fixtures",
    "saleor.warehouse.tests.fixtures",
    "saleor.thumbnail.tests.fixtures",
    "saleor.order.tests.fixtures",
    "saleor.product.tests.fixtures",
    "saleor.site.tests.fixtures",
    "saleor.shipping.tests.fixtures",
    "saleor.permission.tests.fixtures",
    "saleor.giftcard.tests.fixtures",
    "saleor.discount.tests.fixtures",
    "saleor.checkout.tests.fixtures",
    "saleor.attribute.tests.fixtures",
    "saleor.account.tests.fixtures",
    "saleor.graphql.account.tests.fixtures",
    "saleor.payment.tests.fixtures",
    "saleor.webhook.tests.circuit_breaker.fixtures",
    "tests.fixtures",
    "tests.webhooks",
    "tests.live_server",
]


# The core suites, which CI also runs on Saleor 3.22 (`scripts/test -m core`):
# takeover, editing, the session's end, copy, expiry, reconciliation, pickup
# contacts, auth and installation.
CORE_MODULES = {
    "tests.test_takeover_flow",
    "tests.takeover.test_starting",
    "tests.takeover.test_cart_editing",
    "tests.takeover.test_session",
    "tests.takeover.test_draft_copy",
    "tests.takeover.test_draft_lines",
    "tests.takeover.test_expiry",
    "tests.checkout.test_reconciliation",
    "tests.pickup.test_contacts",
    "tests.access.test_auth",
    "tests.test_installation",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.getparent(pytest.Module)
        if module is not None and module.obj.__name__ in CORE_MODULES:
            item.add_marker(pytest.mark.core)
