"""Installed as a merchant installs it, Saleor knows the plugin and its endpoint
answers: the first thing a merchant checks after setup."""

from saleor_cart_takeover import PLUGIN_ID, PLUGIN_NAME

from .clients import SaleorClient, TakeoverClient

PLUGIN = """
query($id: ID!) {
  plugin(id: $id) {
    id name
    globalConfiguration { active configuration { name value } }
  }
}"""


def test_saleor_lists_the_plugin_with_its_settings(
    takeover_plugin, staff_user, permission_manage_plugins
):
    staff_user.user_permissions.add(permission_manage_plugins)

    plugin = SaleorClient(staff_user).call(PLUGIN, {"id": PLUGIN_ID})["plugin"]

    assert (plugin["id"], plugin["name"]) == (PLUGIN_ID, PLUGIN_NAME)
    configuration = plugin["globalConfiguration"]
    assert configuration["active"] is True
    settings = {item["name"]: item["value"] for item in configuration["configuration"]}
    assert settings["session_timeout_minutes"] == "30"
    assert settings["block_checkout_during_takeover"] == "true"
    assert set(settings) == {
        "session_timeout_minutes",
        "block_checkout_during_takeover",
        "blocked_checkout_message",
        "draft_after_checkout",
        "clear_cart_after_draft_completed",
        "enforce_line_options",
        "require_shopper_consent",
    }


def test_the_endpoint_knows_who_is_calling(csr_client, csr):
    viewer = csr_client.post("{ viewer { email canTakeOver } }").data["viewer"]
    assert viewer == {"email": csr.email, "canTakeOver": True}


def test_the_endpoint_refuses_an_anonymous_caller(takeover_plugin):
    answer = TakeoverClient().post("{ viewer { email } }")
    assert answer.status == 401
    assert answer.error_codes == ["Unauthenticated"]
