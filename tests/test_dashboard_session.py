"""Popups get a 5-minute token that is never refreshed; a CSR still works 30 minutes.

The extension trades the Dashboard's token for a dashboard session once, and
the plugin accepts that session until it expires or something revokes it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from saleor.graphql.tests.fixtures import ApiClient
from saleor.permission.models import Permission

from saleor_cart_takeover.dashboard.installation import install_app

from .clients import TakeoverClient, extension_token

EXCHANGE = "mutation { dashboardSessionCreate { token expiresAt } }"
VIEWER = "{ viewer { email canTakeOver } }"


@pytest.fixture
def dashboard_app(db):
    return install_app("http://localhost:8000")


def exchange(token: str) -> dict:
    response = TakeoverClient(token=token).post(EXCHANGE)
    return response.data["dashboardSessionCreate"]


def test_a_csr_keeps_working_for_half_an_hour(csr_client, csr, dashboard_app):
    start = timezone.now()
    with freeze_time(start):
        session = exchange(extension_token(dashboard_app, csr))
        assert session["token"].startswith("ctds.")

    with freeze_time(start + timedelta(minutes=31)):
        expired = TakeoverClient(token=popup_token_at(dashboard_app, csr, start))
        assert expired.post(VIEWER).status == 401
        viewer = TakeoverClient(token=session["token"]).post(VIEWER).data["viewer"]
        assert viewer == {"email": csr.email, "canTakeOver": True}


def popup_token_at(app, user, when) -> str:
    with freeze_time(when):
        return extension_token(app, user)


def test_the_session_is_renewed_while_open_but_not_forever(
    csr_client, csr, dashboard_app
):
    start = timezone.now()
    with freeze_time(start):
        token = exchange(extension_token(dashboard_app, csr))["token"]
    for minutes in range(50, 12 * 60, 50):
        with freeze_time(start + timedelta(minutes=minutes)):
            token = exchange(token)["token"]
    with freeze_time(start + timedelta(hours=12, minutes=1)):
        assert TakeoverClient(token=token).post(VIEWER).status == 401


def test_an_idle_session_expires(csr_client, csr, dashboard_app):
    start = timezone.now()
    with freeze_time(start):
        token = exchange(extension_token(dashboard_app, csr))["token"]
    with freeze_time(start + timedelta(minutes=61)):
        response = TakeoverClient(token=token).post(VIEWER)
    assert response.status == 401
    assert response.error_codes == ["Unauthenticated"]


def test_logging_out_everywhere_ends_the_session(csr_client, csr, dashboard_app):
    token = exchange(extension_token(dashboard_app, csr))["token"]
    csr.jwt_token_key = "rotated"
    csr.save(update_fields=["jwt_token_key"])
    assert TakeoverClient(token=token).post(VIEWER).status == 401


def test_a_deactivated_user_is_locked_out(csr_client, csr, dashboard_app):
    token = exchange(extension_token(dashboard_app, csr))["token"]
    csr.is_active = False
    csr.save(update_fields=["is_active"])
    assert TakeoverClient(token=token).post(VIEWER).status == 401


def test_deactivating_or_removing_the_app_ends_its_sessions(
    csr_client, csr, dashboard_app
):
    token = exchange(extension_token(dashboard_app, csr))["token"]
    dashboard_app.is_active = False
    dashboard_app.save(update_fields=["is_active"])
    assert TakeoverClient(token=token).post(VIEWER).error_codes == ["PermissionDenied"]

    dashboard_app.delete()
    assert TakeoverClient(token=token).post(VIEWER).error_codes == ["PermissionDenied"]


def test_losing_manage_orders_takes_effect_at_once(
    csr_client, csr, dashboard_app, manage_orders
):
    token = exchange(extension_token(dashboard_app, csr))["token"]
    for group in csr.groups.all():
        group.permissions.remove(manage_orders)
    viewer = TakeoverClient(token=token).post(VIEWER).data["viewer"]
    assert viewer["canTakeOver"] is False


def test_the_session_never_exceeds_the_popup_tokens_permissions(
    csr_client, csr, dashboard_app, manage_orders
):
    """The popup's token carries only the extension's permissions."""

    staff_perm = Permission.objects.get(codename="manage_staff")
    csr.groups.first().permissions.add(staff_perm)
    token = exchange(extension_token(dashboard_app, csr))["token"]
    response = TakeoverClient(token=token).post(
        "{ takeoverPermissionHolders { name } }"
    )
    assert response.error_codes == ["PermissionDenied"]


def test_only_the_apps_own_tokens_can_be_exchanged(csr_client, csr, dashboard_app):
    response = csr_client.post(EXCHANGE)  # a plain staff access token
    assert response.error_codes == ["PermissionDenied"]
    assert response.body["data"]["dashboardSessionCreate"] is None


def test_a_forged_session_is_refused(csr_client, csr, dashboard_app):
    token = exchange(extension_token(dashboard_app, csr))["token"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert TakeoverClient(token=forged).post(VIEWER).status == 401
    assert TakeoverClient(token="ctds.garbage").post(VIEWER).status == 401


def test_the_app_page_token_keeps_manage_staff_for_grants(
    takeover_plugin, dashboard_app, manage_orders
):
    """The Cart takeovers page gets the App's token (app ∩ user permissions)."""
    from saleor.core.jwt import create_access_token_for_app

    from .builders import make_csr

    manager = make_csr("manager@example.com", manage_orders)
    manager.user_permissions.add(Permission.objects.get(codename="manage_staff"))
    token = exchange(create_access_token_for_app(dashboard_app, manager))["token"]

    response = TakeoverClient(token=token).post(
        "{ takeoverPermissionHolders { name } }"
    )
    holders = {h["name"] for h in response.data["takeoverPermissionHolders"]}
    assert "manager@example.com" in holders


# Hardening (issue 15), item 10: dashboard sessions end on a password change.
# Each test here failed before that fix (from tests/reliability/test_hardening.py).

PASSWORD_CHANGE = """
mutation($old: String!, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) { errors { field code } }
}"""
SESSION_VIEWER = "{ viewer { email canTakeOver } }"


def test_a_password_change_ends_every_dashboard_session(csr_client, csr):
    from saleor_cart_takeover.dashboard.installation import install_app

    app = install_app("http://localhost:8000")
    csr.set_password("old-Password-1")
    csr.save(update_fields=["password"])
    popup = extension_token(app, csr)
    session = (
        TakeoverClient(token=popup)
        .post("mutation { dashboardSessionCreate { token } }")
        .data["dashboardSessionCreate"]["token"]
    )
    assert TakeoverClient(token=session).post(SESSION_VIEWER).status == 200

    changed = ApiClient(user=csr).post_graphql(
        PASSWORD_CHANGE, {"old": "old-Password-1", "new": "new-Password-2"}
    )
    assert changed.json()["data"]["passwordChange"]["errors"] == []

    after = TakeoverClient(token=session).post(SESSION_VIEWER)
    assert after.status == 401
    assert after.error_codes == ["Unauthenticated"]
