"""takeoverPermissionGrant and takeoverPermissionRevoke."""

from typing import Any

import graphene

from ... import errors
from ...access import auth, grants
from .. import types
from .base import BaseMutation


class GrantPayload(graphene.ObjectType):
    changed = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(types.TakeoverError), required=True)


class GrantArguments:
    user_email = graphene.String()
    group_name = graphene.String()


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


class TakeoverPermissionRevoke(GrantMutation):
    give = False
    Arguments = GrantArguments
    Output = GrantPayload
