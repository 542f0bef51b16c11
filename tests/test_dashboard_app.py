"""The dashboard app: manifest, in-process installation and how pages are served."""

import json

import pytest
from django.test import Client
from saleor.app.models import App, AppExtension
from saleor.permission.enums import get_permission_names

from saleor_cart_takeover import APP_IDENTIFIER, PLUGIN_ID
from saleor_cart_takeover.dashboard import views
from saleor_cart_takeover.dashboard.installation import clean_manifest, install_app
from saleor_cart_takeover.dashboard.manifest import build_manifest

ROOT = f"/plugins/global/{PLUGIN_ID}"
BASE_URL = "https://shop.example.com"


def test_manifest_is_served_and_valid_for_saleor(takeover_plugin):
    response = Client().get(f"{ROOT}/manifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    manifest = response.json()
    assert manifest["id"] == APP_IDENTIFIER
    assert manifest["appUrl"] == f"http://testserver{ROOT}/dashboard"
    assert manifest["tokenTargetUrl"] == f"http://testserver{ROOT}/token"
    mounts = {ext["mount"]: ext for ext in manifest["extensions"]}
    assert set(mounts) == {
        "DRAFT_ORDER_DETAILS_MORE_ACTIONS",
        "DRAFT_ORDER_DETAILS_WIDGETS",
        "CUSTOMER_DETAILS_MORE_ACTIONS",
        "ORDER_DETAILS_WIDGETS",
        "NAVIGATION_ORDERS",
    }
    assert mounts["DRAFT_ORDER_DETAILS_MORE_ACTIONS"]["label"] == "View user's cart"
    assert mounts["NAVIGATION_ORDERS"]["target"] == "APP_PAGE"
    # Saleor's own validation accepts it (permissions exist, extensions ⊆ app).
    clean_manifest(manifest)


def test_manifest_is_not_served_while_the_plugin_is_inactive(plugin_configuration):
    plugin_configuration.active = False
    plugin_configuration.save()
    assert Client().get(f"{ROOT}/manifest").status_code == 404


def test_token_target_accepts_saleors_post_and_keeps_no_token(takeover_plugin):
    client = Client()
    response = client.post(
        f"{ROOT}/token",
        json.dumps({"auth_token": "abc"}),
        content_type="application/json",
    )
    assert response.json() == {"success": True}
    assert b"abc" not in response.content
    refused = client.get(f"{ROOT}/token")
    assert (refused.status_code, refused["Allow"]) == (405, "POST")
    assert refused.json() == {"error": "POST only."}


def test_install_app_creates_the_app_and_is_idempotent(db):
    app = install_app(BASE_URL)

    assert app.identifier == APP_IDENTIFIER
    assert app.is_active
    assert app.app_url == f"{BASE_URL}{ROOT}/dashboard"
    assert get_permission_names(app.permissions.all()) == {
        "MANAGE_ORDERS",
        "MANAGE_STAFF",
    }
    extensions = {ext.identifier: ext for ext in app.extensions.all()}
    assert len(extensions) == 5
    popup = extensions["takeover"]
    assert (popup.mount, popup.target, popup.url) == (
        "draft_order_details_more_actions",
        "popup",
        f"{BASE_URL}{ROOT}/dashboard/takeover",
    )
    assert extensions["sessions"].url == "/sessions"  # app pages stay relative
    for extension in extensions.values():
        assert get_permission_names(extension.permissions.all()) == {"MANAGE_ORDERS"}

    before = {ext.pk: (ext.label, ext.url) for ext in app.extensions.all()}
    again = install_app(BASE_URL)

    assert again.pk == app.pk
    assert App.objects.filter(identifier=APP_IDENTIFIER).count() == 1
    assert {ext.pk: (ext.label, ext.url) for ext in again.extensions.all()} == before


def test_install_app_updates_in_place(db):
    app = install_app("http://old.example.com")
    extension_ids = set(app.extensions.values_list("pk", flat=True))
    app.is_active = False  # a merchant deactivated it: an update keeps that choice
    app.save()
    AppExtension.objects.filter(app=app, identifier="takeover").update(label="Old")

    updated = install_app(BASE_URL)

    assert updated.pk == app.pk
    assert updated.app_url == f"{BASE_URL}{ROOT}/dashboard"
    assert not updated.is_active
    assert set(updated.extensions.values_list("pk", flat=True)) == extension_ids
    assert updated.extensions.get(identifier="takeover").label == "View user's cart"


def test_manifest_with_unknown_permission_is_refused(db):
    from django.core.exceptions import ValidationError

    manifest = build_manifest(BASE_URL)
    manifest["extensions"][0]["permissions"] = ["MANAGE_PRODUCTS"]
    with pytest.raises(ValidationError):
        clean_manifest(manifest)


def test_pages_can_be_framed_by_the_dashboard(takeover_plugin, built_pages):
    response = Client().get(f"{ROOT}/dashboard/takeover?draftOrderId=x&id=y")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert "script-src 'self'" in csp
    assert "X-Frame-Options" not in response
    # The app-bridge reads the Dashboard's origin from document.referrer.
    assert response["Referrer-Policy"] not in {"no-referrer", "same-origin"}
    html = response.content.decode()
    assert f'src="{ROOT}/dashboard/assets/main-abc123.js"' in html
    assert f'href="{ROOT}/dashboard/assets/main-def456.css"' in html
    assert 'data-page="takeover"' in html


def test_the_app_url_itself_shows_the_sessions_page(takeover_plugin, built_pages):
    response = Client().get(f"{ROOT}/dashboard")
    assert response.status_code == 200
    assert 'data-page="sessions"' in response.content.decode()


def test_frame_ancestors_can_be_pinned(takeover_plugin, built_pages, settings):
    settings.CART_TAKEOVER_FRAME_ANCESTORS = "https://dashboard.example.com"
    response = Client().get(f"{ROOT}/dashboard/sessions")
    assert (
        "frame-ancestors https://dashboard.example.com"
        in response["Content-Security-Policy"]
    )


def test_hashed_assets_are_cached_for_long(takeover_plugin, built_pages):
    client = Client()
    script = client.get(f"{ROOT}/dashboard/assets/main-abc123.js")
    style = client.get(f"{ROOT}/dashboard/assets/main-def456.css")

    assert script.status_code == 200
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    assert "immutable" in script["Cache-Control"]
    assert "max-age=31536000" in script["Cache-Control"]
    assert style["Content-Type"] == "text/css; charset=utf-8"
    assert script.content == b"console.log(1)"


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/assets/../manifest.json",
        "/dashboard/assets/%2e%2e/manifest.json",
        "/dashboard/assets/missing.js",
        "/dashboard/unknown-page",
    ],
)
def test_nothing_else_is_served(takeover_plugin, built_pages, path):
    assert Client().get(f"{ROOT}{path}").status_code == 404


def test_unbuilt_pages_say_how_to_build_them(takeover_plugin, tmp_path, monkeypatch):
    monkeypatch.setattr(views, "STATIC_DIR", tmp_path)
    response = Client().get(f"{ROOT}/dashboard/takeover")
    assert response.status_code == 503
    assert b"npm run build" in response.content


def test_manifest_checks_still_run_once_the_app_is_installed(db):
    from django.core.exceptions import ValidationError

    install_app(BASE_URL)
    manifest = build_manifest(BASE_URL)
    # Saleor skips extension checks for an id already installed; updates must not.
    manifest["extensions"][0]["permissions"] = ["MANAGE_PRODUCTS"]
    with pytest.raises(ValidationError):
        clean_manifest(manifest)
    assert clean_manifest(build_manifest(BASE_URL))["id"] == APP_IDENTIFIER


# Hardening (issue 15), item 10: the pages may be framed only by the
# Dashboards Saleor knows. It failed before that fix (from tests/reliability/test_hardening.py).


def _page_csp(client_settings=None) -> str:
    from django.test import Client

    from saleor_cart_takeover.const import PLUGIN_ID

    response = Client().get(f"/plugins/global/{PLUGIN_ID}/dashboard/sessions")
    return response["Content-Security-Policy"]


def test_pages_may_be_framed_only_by_the_dashboards_saleor_knows(
    takeover_plugin, settings, monkeypatch
):
    settings.ALLOWED_CLIENT_HOSTS = ["dashboard.example.com"]
    monkeypatch.setenv("DASHBOARD_URL", "https://admin.example.net/dashboard/")
    csp = _page_csp()
    ancestors = csp.split("frame-ancestors ", 1)[1].split(";")[0].split()
    assert "*" not in ancestors
    assert "'self'" in ancestors
    assert "https://admin.example.net" in ancestors
    assert "dashboard.example.com:*" in ancestors

    settings.CART_TAKEOVER_FRAME_ANCESTORS = "*"
    assert "frame-ancestors *" in _page_csp()
