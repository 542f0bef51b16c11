"""Installing, configuring and managing the plugin, as a merchant does."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from saleor.account.models import Group
from saleor.permission.models import Permission
from saleor.plugins.manager import get_plugins_manager

from saleor_cart_takeover.apps import check_saleor_version
from saleor_cart_takeover.config import TakeoverSettings, validate_configuration
from saleor_cart_takeover.models import TakeoverGrant
from saleor_cart_takeover.plugin import CartTakeoverPlugin

from .clients import TakeoverClient
from .operations import operation


def test_entry_point_makes_saleor_load_the_plugin():
    from importlib.metadata import entry_points

    (entry,) = [
        e
        for e in entry_points(group="saleor.plugins")
        if e.name == "saleor_cart_takeover"
    ]
    assert entry.value == "saleor_cart_takeover.plugin:CartTakeoverPlugin"
    assert entry.load() is CartTakeoverPlugin
    assert CartTakeoverPlugin.PLUGIN_ID == "saleor.cart_takeover"
    assert CartTakeoverPlugin.CONFIGURATION_PER_CHANNEL is False


def test_migrate_leaves_no_unused_permission(db):
    # Who may take over carts is the takeover grant, in the plugin's own table;
    # only Django's default model permissions remain.
    codenames = set(
        Permission.objects.filter(
            content_type__app_label="saleor_cart_takeover"
        ).values_list("codename", flat=True)
    )
    assert codenames
    assert all(
        c.split("_", 1)[0] in {"add", "change", "delete", "view"} for c in codenames
    )


@pytest.mark.parametrize("version", ["3.22.0", "3.22.67", "3.23.28"])
def test_supported_saleor_versions_load(version):
    check_saleor_version(version)


@pytest.mark.parametrize("version", ["3.21.9", "3.24.0", "2.10.1", "nonsense"])
def test_other_saleor_versions_are_refused_clearly(version):
    with pytest.raises(ImproperlyConfigured, match="supports Saleor 3.22 up to"):
        check_saleor_version(version)


def test_plugin_shows_up_on_the_plugins_page_and_activates(takeover_plugin):
    manager = get_plugins_manager(allow_replica=False)
    plugin = manager.get_plugin("saleor.cart_takeover")
    assert plugin is not None
    assert plugin.active
    assert plugin.settings == TakeoverSettings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("session_timeout_minutes", "0"),
        ("session_timeout_minutes", "soon"),
        ("session_timeout_minutes", "1441"),
        ("draft_after_checkout", "archive"),
        ("blocked_checkout_message", "x" * 1001),
    ],
)
def test_bad_configuration_is_rejected_naming_the_field(name, value):
    configuration = [
        {"name": "session_timeout_minutes", "value": "30"},
        {"name": name, "value": value},
    ]
    with pytest.raises(ValidationError) as error:
        validate_configuration(configuration)
    assert name in error.value.error_dict


def test_grant_revoke_and_list_for_users_and_groups(db, staff_user, capsys):
    group = Group.objects.create(name="Customer service")

    call_command("cart_takeover", "grant", "--user", staff_user.email)
    call_command("cart_takeover", "grant", "--user", staff_user.email.upper())
    call_command("cart_takeover", "grant", "--group", "Customer service")
    call_command("cart_takeover", "list")
    output = capsys.readouterr().out
    assert "Granted cart takeover to" in output
    assert "already holds" in output
    assert f"user      {staff_user.email}" in output
    assert "group     Customer service" in output
    assert TakeoverGrant.objects.filter(group=group).exists()
    # The Dashboard's permission-group screens never see a custom permission.
    assert not group.permissions.filter(
        content_type__app_label="saleor_cart_takeover"
    ).exists()

    call_command("cart_takeover", "revoke", "--user", staff_user.email)
    assert not TakeoverGrant.objects.filter(user=staff_user).exists()


def test_grant_refuses_unknown_people_and_shoppers(db, customer_user):
    with pytest.raises(CommandError, match="No user"):
        call_command("cart_takeover", "grant", "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="not a staff member"):
        call_command("cart_takeover", "grant", "--user", customer_user.email)
    with pytest.raises(CommandError, match="No permission group"):
        call_command("cart_takeover", "grant", "--group", "Nope")


GRANT = operation("plugin/Grant")


def test_staff_managers_grant_through_the_api(
    takeover_plugin, staff_user, csr, manage_orders
):
    from saleor.permission.models import Permission as P

    manage_staff = P.objects.get(codename="manage_staff")
    manager = TakeoverClient(csr)
    denied = manager.post(GRANT, {"user": staff_user.email})
    assert denied.error_codes == ["PermissionDenied"]

    csr.groups.get().permissions.add(manage_staff)
    granted = manager.post(GRANT, {"user": staff_user.email}).payload(
        "takeoverPermissionGrant"
    )
    assert granted["changed"] is True
    assert TakeoverGrant.objects.filter(user=staff_user).exists()


def test_install_app_command_prints_the_app_id_and_is_idempotent(db, capsys):
    import graphene
    from saleor.app.models import App

    call_command(
        "cart_takeover", "install-app", "--base-url", "https://shop.example.com"
    )
    call_command(
        "cart_takeover", "install-app", "--base-url", "https://shop.example.com"
    )

    first, second = capsys.readouterr().out.split()
    app = App.objects.get()
    assert first == second == graphene.Node.to_global_id("App", app.pk)
