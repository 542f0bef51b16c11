"""Granting and revoking the takeover permission: channels and groups are honoured.

Regression tests from the hardening issue (#15), item 7: each failed before
its fix.
"""

from saleor.account.models import Group, User
from saleor.graphql.tests.fixtures import ApiClient
from saleor.permission.models import Permission

from saleor_cart_takeover.models import TakeoverGrant

from ..clients import TakeoverClient
from ..ids import gid
from ..operations import operation

VIEWER = "{ viewer { email canTakeOver canManageGrants } }"
REVOKE = operation("plugin/Revoke")
GRANT = operation("plugin/Grant")
GROUP_UPDATE = """
mutation($id: ID!, $input: PermissionGroupUpdateInput!) {
  permissionGroupUpdate(id: $id, input: $input) {
    errors { field code message }
  }
}"""


def _staff_manager(email: str, channel=None) -> User:
    """Staff with MANAGE_STAFF and MANAGE_ORDERS, restricted to `channel` if given,
    holding the takeover permission themselves."""
    group = Group.objects.create(
        name=f"Managers {email}", restricted_access_to_channels=channel is not None
    )
    group.permissions.add(
        *Permission.objects.filter(codename__in=["manage_staff", "manage_orders"])
    )
    if channel is not None:
        group.channels.add(channel)
    user = User.objects.create(email=email, is_staff=True, is_active=True)
    user.groups.add(group)
    TakeoverGrant.objects.create(user=user)
    return user


def test_a_manager_restricted_to_one_channel_cannot_touch_other_teams_grants(
    takeover_plugin, csr, channel_PLN, channel_USD, manage_orders
):
    pln_manager = TakeoverClient(_staff_manager("pln-boss@example.com", channel_PLN))
    pln_team = Group.objects.create(name="PLN team", restricted_access_to_channels=True)
    pln_team.permissions.add(manage_orders)
    pln_team.channels.add(channel_PLN)
    pln_csr = User.objects.create(
        email="pln-csr@example.com", is_staff=True, is_active=True
    )
    pln_csr.groups.add(pln_team)
    TakeoverGrant.objects.create(user=pln_csr)
    TakeoverGrant.objects.create(group=Group.objects.get(name="Customer service"))

    # The "Customer service" team works in every channel, beyond the manager's.
    for variables in ({"user": csr.email}, {"group": "Customer service"}):
        for mutation in (REVOKE, GRANT):
            answer = pln_manager.post(mutation, variables)
            assert answer.error_codes == ["PermissionDenied"], answer.body
    assert TakeoverGrant.objects.filter(user=csr).exists()
    assert TakeoverGrant.objects.filter(group__name="Customer service").exists()

    # Their own channel's team they manage.
    revoked = pln_manager.post(REVOKE, {"user": pln_csr.email})
    assert revoked.payload("takeoverPermissionRevoke")["changed"] is True
    granted = pln_manager.post(GRANT, {"group": "PLN team"})
    assert granted.payload("takeoverPermissionGrant")["changed"] is True


def test_joining_a_granted_group_does_not_hand_out_the_permission(
    takeover_plugin, csr, manage_orders, channel_USD
):
    team = Group.objects.get(name="Customer service")
    TakeoverGrant.objects.create(group=team)
    hr = User.objects.create(email="hr@example.com", is_staff=True, is_active=True)
    hr_group = Group.objects.create(name="HR")
    hr_group.permissions.add(
        *Permission.objects.filter(codename__in=["manage_staff", "manage_orders"])
    )
    hr.groups.add(hr_group)
    # Saleor lets HR join: they hold every Saleor permission the group has.
    joined = ApiClient(user=hr).post_graphql(
        GROUP_UPDATE,
        {"id": gid("Group", team.pk), "input": {"addUsers": [gid("User", hr.pk)]}},
    )
    assert joined.json()["data"]["permissionGroupUpdate"]["errors"] == []
    assert team.user_set.filter(pk=hr.pk).exists()

    viewer = TakeoverClient(hr).post(VIEWER).data["viewer"]

    assert viewer["canTakeOver"] is False
    assert viewer["canManageGrants"] is False
    # Members a grant holder confirms (granting the group again) are in.
    boss = TakeoverClient(_staff_manager("boss@example.com"))
    assert (
        boss.post(GRANT, {"group": "Customer service"}).payload(
            "takeoverPermissionGrant"
        )["changed"]
        is True
    )
    assert TakeoverClient(hr).post(VIEWER).data["viewer"]["canTakeOver"] is True
    # The team's existing members kept it throughout.
    assert TakeoverClient(csr).post(VIEWER).data["viewer"]["canTakeOver"] is True
