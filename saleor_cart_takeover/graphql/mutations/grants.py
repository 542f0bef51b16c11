"""takeoverPermissionGrant and takeoverPermissionRevoke."""

from typing import Any

import graphene

from ... import errors
from ...access import auth, grants
from .. import descriptions, types
from .base import BaseMutation


class GrantPayload(graphene.ObjectType):
    """Whether the cart takeover grant changed, or why it was refused."""

    changed = graphene.Boolean(
        required=True,
        description="False when there was nothing to do: already granted, or not held.",
    )
    errors = graphene.List(
        graphene.NonNull(types.TakeoverError),
        required=True,
        description=descriptions.ERRORS,
    )


class GrantArguments:
    user_email = graphene.String(
        description="A staff member's email; give either this or groupName."
    )
    group_name = graphene.String(
        description="A permission group's name; give either this or userEmail."
    )


class GrantMutation(BaseMutation):
    """Gives (or takes back) the takeover grant of a user or a group."""

    give = True

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info: Any) -> auth.Caller:
        caller = info.context.require_caller()
        auth.require_grant_management(caller)
        return caller

    @classmethod
    def error_payload(cls, error_list: list[types.TakeoverError]) -> GrantPayload:
        return GrantPayload(changed=False, errors=error_list)

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls,
        info: Any,
        caller: auth.Caller,
        user_email: str | None = None,
        group_name: str | None = None,
    ) -> GrantPayload:
        if bool(user_email) == bool(group_name):
            raise errors.TakeoverError(
                errors.TakeoverErrorCode.REQUIRED,
                "Name either a user or a group.",
                "userEmail",
            )
        user = grants.find_user(user_email) if user_email else None
        group = grants.find_group(group_name) if group_name else None
        auth.require_grant_target_access(caller, user=user, group=group)
        changed = (
            grants.grant(user=user, group=group, by=caller.email)
            if cls.give
            else grants.revoke(user=user, group=group)
        )
        return GrantPayload(changed=changed, errors=[])


class TakeoverPermissionGrant(GrantMutation):
    Arguments = GrantArguments
    Output = GrantPayload

    class Meta:
        description = (
            "Give a staff member or a permission group the cart takeover grant; "
            "a group's grant covers the members it has when granted (grant again "
            "to include new ones). " + descriptions.GRANT_MANAGEMENT
        )


class TakeoverPermissionRevoke(GrantMutation):
    give = False
    Arguments = GrantArguments
    Output = GrantPayload

    class Meta:
        description = (
            "Take the cart takeover grant back from a staff member or a "
            "permission group. " + descriptions.GRANT_MANAGEMENT
        )
