"""Every extension opens its own page, as the real Dashboard resolves its URL.

Two rules stand between the manifest's `url` and the iframe (checked against
Saleor 3.23 and the Dashboard 3.23.27, see docs/dashboard-extension-facts.md):
Saleor's API stitches a POPUP url that starts with "/" onto the app URL's path
with `urljoin` (dropping its last segment), and the Dashboard then builds
`appUrl + url` for anything still relative (APP_PAGE: url-join of both). The
test installs the app, reads the urls through Saleor's real GraphQL API,
applies the Dashboard's rule and fetches each page through the plugin's real
HTTP endpoint, for the app URLs a merchant can have.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from saleor.app.models import App

from saleor_cart_takeover.dashboard.installation import install_app
from saleor_cart_takeover.dashboard.manifest import EXTENSIONS

APPS_QUERY = """
query {
  apps(first: 20) {
    edges { node { id identifier appUrl extensions { url targetName mountName label } } }
  }
}
"""
# The page each mount must open (the `data-page` of the served HTML).
INTENDED = {mount.lower(): page.strip("/") for _, _, mount, _, page in EXTENSIONS}


def dashboard_url(app_url: str, url: str, target: str) -> str:
    """What the Dashboard loads for an extension url it got from Saleor."""
    if re.match(r"^https?://", url):
        return url
    if target == "APP_PAGE":
        # url-join: /extensions/app/<id>/<url> maps onto appUrl joined with url.
        return app_url.rstrip("/") + "/" + url.lstrip("/")
    return f"{app_url}{url}"


def fetch(url: str, prefix: str) -> tuple[int, str]:
    """GET a URL of a Saleor served under `prefix` (SCRIPT_NAME) at testserver."""
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    assert parts.path.startswith(prefix + "/"), url
    response = Client().get(
        parts.path.removeprefix(prefix) + ("?" + parts.query if parts.query else ""),
        SCRIPT_NAME=prefix,
    )
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/shop"], ids=["root", "path-prefix"])
@pytest.mark.parametrize("trailing_slash", [False, True], ids=["no-slash", "slash"])
def test_every_extension_opens_its_page_in_the_dashboard(
    takeover_plugin, staff_api_client, permission_manage_apps, prefix, trailing_slash
):
    app = install_app(f"http://testserver{prefix}")
    if trailing_slash:
        App.objects.filter(pk=app.pk).update(app_url=app.app_url + "/")
    staff_api_client.user.user_permissions.add(permission_manage_apps)

    response = staff_api_client.post_graphql(APPS_QUERY)
    content = response.json()
    assert "errors" not in content, content
    (node,) = [
        edge["node"]
        for edge in content["data"]["apps"]["edges"]
        if edge["node"]["identifier"] == app.identifier
    ]
    assert len(node["extensions"]) == len(EXTENSIONS)

    opened = {}
    for extension in node["extensions"]:
        url = dashboard_url(node["appUrl"], extension["url"], extension["targetName"])
        status, html = fetch(url + "?id=app&theme=light", prefix)
        assert status == 200, (extension["label"], url, status, html[:200])
        page = re.search(r'data-page="([^"]+)"', html)
        assert page, (extension["label"], url, html[:200])
        opened[extension["mountName"].lower()] = page.group(1)
        # The page's script loads from where the page points (prefix included).
        module = re.search(r'<script type="module" src="([^"]+)"', html)
        assert module, (extension["label"], url, html[:200])
        script = module.group(1)
        status, _ = fetch(f"http://testserver{script}", prefix)
        assert status == 200, (extension["label"], script)
    assert opened == INTENDED


def test_the_manifest_names_urls_under_saleors_path_prefix(takeover_plugin):
    status, body = fetch(
        "http://testserver/shop/plugins/global/saleor.cart_takeover/manifest", "/shop"
    )
    assert status == 200
    root = "http://testserver/shop/plugins/global/saleor.cart_takeover"
    assert f'"appUrl": "{root}/dashboard"' in body
    assert f'"url": "{root}/dashboard/takeover"' in body
