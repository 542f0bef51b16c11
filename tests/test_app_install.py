"""The merchant installs the dashboard app the way any Saleor app is installed:
`appInstall` with the manifest URL. Saleor fetches the manifest over HTTP from
the plugin's real endpoint, validates it and posts the app's token to the
token target, exactly as in production (only loopback is allowed here)."""

from saleor.app.models import App, AppInstallation
from saleor.permission.enums import get_permission_names

from saleor_cart_takeover import APP_IDENTIFIER

from .clients import PLUGIN_ROOT, SaleorClient

APP_INSTALL = """
mutation($input: AppInstallInput!) {
  appInstall(input: $input) {
    appInstallation { id status message }
    errors { field code message }
  }
}"""


def test_app_install_from_the_manifest_url(
    transactional_db, takeover_plugin, live_server, superuser, settings
):
    settings.HTTP_IP_FILTER_ENABLED = True
    settings.HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS = True
    manifest_url = f"{live_server.url}{PLUGIN_ROOT}/manifest"

    result = SaleorClient(superuser).call(
        APP_INSTALL,
        {
            "input": {
                "appName": "Cart takeover",
                "manifestUrl": manifest_url,
                "permissions": ["MANAGE_ORDERS", "MANAGE_STAFF"],
            }
        },
    )["appInstall"]

    assert result["errors"] == []
    # The install task ran (eagerly) and left no pending or failed installation.
    assert list(AppInstallation.objects.values_list("status", "message")) == []
    app = App.objects.get(identifier=APP_IDENTIFIER)
    assert (app.is_installed, app.is_active) == (True, True)
    assert app.manifest_url == manifest_url
    assert app.app_url == f"{live_server.url}{PLUGIN_ROOT}/dashboard"
    assert get_permission_names(app.permissions.all()) == {
        "MANAGE_ORDERS",
        "MANAGE_STAFF",
    }
    extensions = {(e.label, e.mount) for e in app.extensions.all()}
    assert ("View user's cart", "draft_order_details_more_actions") in extensions
    assert len(extensions) == 5
    # Saleor created the app's token and posted it to the token target.
    assert app.tokens.count() == 1


def test_app_install_refuses_a_manifest_url_that_is_not_the_plugins(
    transactional_db, takeover_plugin, live_server, superuser
):
    manifest_url = f"{live_server.url}{PLUGIN_ROOT}/no-such-manifest"

    SaleorClient(superuser).call(
        APP_INSTALL,
        {"input": {"appName": "Cart takeover", "manifestUrl": manifest_url}},
    )

    installation = AppInstallation.objects.get()
    assert installation.status == "failed"
    assert not App.objects.filter(identifier=APP_IDENTIFIER).exists()
