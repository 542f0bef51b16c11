"""Run with Saleor's tests by scripts/saleor-suite: the plugin is really there.

Not named test_*.py, so the project's own suite does not collect it (it needs
Saleor's conftest); the script passes it explicitly. Without it, a change in
Saleor's fixtures could drop the plugin from every test and everything would
still pass.
"""

import graphene
import pytest
from django.apps import apps
from django.conf import settings
from saleor.plugins.manager import get_plugins_manager

from saleor_cart_takeover.const import CHECKOUT_TAKEN_OVER_KEY, PLUGIN_ID

from .plugin import PLUGIN, WITH_PLUGIN

UPDATE_METADATA = """
mutation ($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) {
    item { metadata { key value } }
    errors { field code message }
  }
}
"""


@pytest.mark.skipif(not WITH_PLUGIN, reason="run with the plugin")
def test_plugin_is_installed_and_active(checkout, api_client):
    # The plugin is in the list Saleor's test left, Django runs the app (its
    # migrations made its tables in the test database), and Saleor's manager
    # loads it active.
    from saleor_cart_takeover.models import TakeoverSession

    assert PLUGIN in settings.PLUGINS
    assert apps.is_installed("saleor_cart_takeover")
    assert TakeoverSession.objects.count() == 0
    plugin = get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID)
    assert plugin is not None
    assert plugin.active

    # Its hooks run inside Saleor's API: a storefront cannot claim that a rep
    # holds its cart; the plugin drops the key it alone writes.
    response = api_client.post_graphql(
        UPDATE_METADATA,
        {
            "id": graphene.Node.to_global_id("Checkout", checkout.pk),
            "input": [
                {"key": CHECKOUT_TAKEN_OVER_KEY, "value": "true"},
                {"key": "gift-note", "value": "Happy birthday"},
            ],
        },
    )

    data = response.json()["data"]["updateMetadata"]
    assert data["errors"] == []
    checkout.metadata_storage.refresh_from_db()
    assert checkout.metadata_storage.metadata == {"gift-note": "Happy birthday"}


@pytest.mark.skipif(WITH_PLUGIN, reason="run without the plugin")
def test_plugin_is_absent(checkout):
    # The comparison run is Saleor as it is without the package.
    assert PLUGIN not in settings.PLUGINS
    assert not apps.is_installed("saleor_cart_takeover")
    assert get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID) is None
