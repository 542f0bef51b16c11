"""The merchant configures the plugin in the Dashboard, which sends Saleor's
`pluginUpdate`: bad values are refused with the field named and nothing stored;
good values are stored and govern the next takeover."""

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from graphene.utils.str_converters import to_camel_case
from saleor.plugins.models import PluginConfiguration

from saleor_cart_takeover import PLUGIN_ID

from .builders import create_draft
from .clients import SaleorClient
from .operations import START
from .storefront import Shopper

PLUGIN_UPDATE = """
mutation($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { globalConfiguration { active configuration { name value } } }
    errors { field code message }
  }
}"""


def update(staff, **values: str) -> dict:
    configuration = [{"name": k, "value": v} for k, v in values.items()]
    return SaleorClient(staff).call(
        PLUGIN_UPDATE,
        {"id": PLUGIN_ID, "input": {"active": True, "configuration": configuration}},
    )["pluginUpdate"]


def stored(name: str) -> str | None:
    configuration = PluginConfiguration.objects.get(identifier=PLUGIN_ID)
    return {i["name"]: i["value"] for i in configuration.configuration}.get(name)


def test_bad_configuration_is_refused_field_by_field(
    takeover_plugin, staff_user, permission_manage_plugins
):
    staff_user.user_permissions.add(permission_manage_plugins)
    update(staff_user, session_timeout_minutes="30")

    for field, value in (
        ("session_timeout_minutes", "0"),
        ("session_timeout_minutes", "1441"),
        ("session_timeout_minutes", "ten"),
        ("draft_after_checkout", "shred"),
    ):
        result = update(staff_user, **{field: value})

        assert result["plugin"] is None, (field, value)
        # Saleor names the field as its API spells it.
        assert [(e["field"], e["code"]) for e in result["errors"]] == [
            (to_camel_case(field), "INVALID")
        ], result
        assert result["errors"][0]["message"], result
        assert stored(field) != value
    assert stored("session_timeout_minutes") == "30"


def test_good_configuration_is_stored_and_sets_the_next_sessions_timeout(
    takeover_plugin,
    staff_user,
    permission_manage_plugins,
    csr_client,
    csr,
    customer_user,
    channel_USD,
    shop,
):
    staff_user.user_permissions.add(permission_manage_plugins)

    result = update(
        staff_user, session_timeout_minutes="45", draft_after_checkout="keep"
    )

    assert result["errors"] == []
    settings = {
        i["name"]: i["value"]
        for i in result["plugin"]["globalConfiguration"]["configuration"]
    }
    assert settings["session_timeout_minutes"] == "45"
    assert settings["draft_after_checkout"] == "keep"
    assert stored("session_timeout_minutes") == "45"

    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 1)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    before = timezone.now()
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")
    expires = parse_datetime(session["session"]["expiresAt"])
    assert expires is not None, session
    assert before + timedelta(minutes=45) <= expires
    assert expires <= timezone.now() + timedelta(minutes=45)
