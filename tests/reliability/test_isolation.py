"""The committed tests leave the database as migrations left it.

Each test commits what it needs itself and then checks; none relies on which
tests ran before it (xdist runs them in any order, on any worker).
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management import call_command
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


def test_after_a_committed_test_the_baseline_is_back(committed, world):
    """What Django does after every committed test (empty the tables, then
    `post_migrate`), done here on committed takeover rows: the baseline is back."""
    world.start()
    assert TakeoverSession.objects.exists()

    call_command("flush", interactive=False, verbosity=0)

    assert_baseline()


def test_baseline_in_an_ordinary_test(db):
    assert_baseline()
