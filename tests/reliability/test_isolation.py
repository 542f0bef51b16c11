"""The committed tests leave the database as migrations left it.

pytest-django runs transactional tests after the others, but the next run of a
reused test database (`--reuse-db`) starts from whatever they left. These run
among the transactional tests, after the concurrency and fault tests, and check
what every other test relies on.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from saleor.permission.models import Permission

from saleor_cart_takeover.models import TakeoverSession


def assert_baseline() -> None:
    codenames = set(Permission.objects.values_list("codename", flat=True))
    assert {
        "manage_orders",
        "manage_staff",
        "manage_checkouts",
    } <= codenames
    assert ContentType.objects.filter(app_label="saleor_cart_takeover").exists()
    assert Site.objects.exists()
    assert not TakeoverSession.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_after_committed_tests_the_baseline_is_back():
    assert_baseline()


def test_baseline_in_an_ordinary_test(db):
    assert_baseline()
