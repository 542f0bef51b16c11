"""Who gets in: 401 for bad credentials, PermissionDenied for missing rights."""

import json
from datetime import timedelta

import jwt
import pytest
from django.test import Client
from django.utils import timezone
from saleor.account.models import Group
from saleor.core.jwt import create_access_token, create_refresh_token, jwt_encode

from saleor_cart_takeover.models import TakeoverGrant, TakeoverSession

from ..builders import create_draft, make_csr
from ..clients import PLUGIN_ENDPOINT as ENDPOINT
from ..clients import Credentials, TakeoverClient
from ..operations import START

VIEWER = "{ viewer { email canTakeOver canManageGrants } }"


@pytest.fixture
def draft_id(csr, channel_USD, customer_user):
    return create_draft(csr, channel_USD, user=customer_user)


def unauthenticated(response):
    return response.status == 401 and response.error_codes == ["Unauthenticated"]


def test_missing_token_is_401(takeover_plugin, draft_id):
    assert unauthenticated(TakeoverClient().post(START, {"draft": draft_id}))


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer garbage", "Bearer a.b.c", "Basic abc"]
)
def test_malformed_tokens_are_401(takeover_plugin, draft_id, header):
    response = TakeoverClient().post(
        START, {"draft": draft_id}, HTTP_AUTHORIZATION=header
    )
    assert unauthenticated(response)


def test_refresh_expired_forged_and_inactive_tokens_are_401(
    takeover_plugin, csr, draft_id
):
    payload = jwt.decode(create_access_token(csr), options={"verify_signature": False})
    expired = jwt_encode(
        {**payload, "exp": int((timezone.now() - timedelta(minutes=1)).timestamp())}
    )
    forged = jwt.encode(payload, "not-saleors-key", algorithm="HS256")
    for token in (create_refresh_token(csr), expired, forged):
        assert unauthenticated(
            TakeoverClient(token=token).post(START, {"draft": draft_id})
        )

    client = TakeoverClient(csr)
    csr.is_active = False
    csr.save(update_fields=["is_active"])
    assert unauthenticated(client.post(START, {"draft": draft_id}))
    assert not TakeoverSession.objects.exists()


def permission_denied(response, field="takeoverStart"):
    return (
        response.status == 200
        and response.body["data"][field] is None
        and response.error_codes == ["PermissionDenied"]
    )


def test_staff_without_the_grant_is_refused(takeover_plugin, manage_orders, draft_id):
    outsider = make_csr("nogrant@example.com", manage_orders, grant=False)
    response = TakeoverClient(outsider).post(START, {"draft": draft_id})
    assert permission_denied(response)
    assert "cart takeover permission" in response.body["errors"][0]["message"]
    assert not TakeoverSession.objects.exists()


def test_grant_without_manage_orders_is_refused(takeover_plugin, draft_id, staff_user):
    TakeoverGrant.objects.create(user=staff_user)
    assert permission_denied(
        TakeoverClient(staff_user).post(START, {"draft": draft_id})
    )


def test_shoppers_are_refused(takeover_plugin, customer_user, draft_id):
    assert permission_denied(
        TakeoverClient(customer_user).post(START, {"draft": draft_id})
    )


def test_a_group_grant_and_superusers_let_staff_in(
    takeover_plugin, manage_orders, draft_id, superuser
):
    member = make_csr("member@example.com", manage_orders, grant=False)
    TakeoverGrant.objects.create(group=Group.objects.get(name="Customer service"))
    viewer = TakeoverClient(member).post(VIEWER).data["viewer"]
    assert viewer == {
        "email": "member@example.com",
        "canTakeOver": True,
        "canManageGrants": False,
    }

    superuser.groups.add(Group.objects.get(name="Customer service"))
    assert TakeoverClient(superuser).post(VIEWER).data["viewer"]["canTakeOver"] is True


def test_channel_restricted_staff_cannot_work_outside_their_channels(
    takeover_plugin, manage_orders, draft_id, channel_PLN
):
    restricted = Group.objects.create(
        name="PLN only", restricted_access_to_channels=True
    )
    restricted.permissions.add(manage_orders)
    restricted.channels.add(channel_PLN)
    staff = make_csr("pln@example.com", manage_orders, grant=True)
    staff.groups.set([restricted])

    response = TakeoverClient(staff).post(START, {"draft": draft_id})

    assert permission_denied(response)
    assert "channel" in response.body["errors"][0]["message"]
    assert not TakeoverSession.objects.exists()


def test_get_is_refused_and_bad_bodies_are_400(takeover_plugin, csr):
    client = Client()
    auth: Credentials = {"HTTP_AUTHORIZATION": f"Bearer {create_access_token(csr)}"}
    assert client.get(ENDPOINT, **auth).status_code == 405
    for body in ("not json", json.dumps([1, 2]), json.dumps({"query": 5})):
        response = client.post(ENDPOINT, body, content_type="application/json", **auth)
        assert response.status_code == 400
        assert (
            response.json()["errors"][0]["extensions"]["exception"]["code"]
            == "BadRequest"
        )


def test_inactive_plugin_answers_404(plugin_configuration, settings, csr):
    from ..fixtures import PLUGIN_PATH

    settings.PLUGINS = [PLUGIN_PATH]
    plugin_configuration.active = False
    plugin_configuration.save(update_fields=["active"])
    response = Client().post(ENDPOINT, "{}", content_type="application/json")
    assert response.status_code == 404
