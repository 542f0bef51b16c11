"""The base of every takeover mutation, shaped like Saleor's `BaseMutation`.

It authorizes the caller through `auth`, runs the operation, and turns the
domain's `TakeoverError` into the payload's `errors { field code message }`
in one place, the way Saleor's `BaseMutation` uses its `error_type_class`.
"""

from typing import Any

import graphene

from ... import errors, models
from ...access import auth
from .. import ids, types


class BaseMutation(graphene.Mutation):
    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info: Any) -> auth.Caller | None:
        """Who may call it; by default reps holding the takeover grant."""
        caller = info.context.require_caller()
        auth.require_takeover_permission(caller)
        return caller

    @classmethod
    def perform_mutation(
        cls, info: Any, caller: auth.Caller | None, **data: Any
    ) -> graphene.ObjectType:
        raise NotImplementedError

    @classmethod
    def error_payload(cls, error_list: list[types.TakeoverError]) -> Any:
        """The payload carrying only errors; override when it has required fields."""
        return cls._meta.output(errors=error_list)

    @classmethod
    def mutate(cls, _root: Any, info: Any, **data: Any) -> Any:
        # Permission and authentication failures stay GraphQL errors, as in
        # Saleor; refusals of the request itself become the payload's errors.
        caller = cls.check_permissions(info)
        try:
            return cls.perform_mutation(info, caller, **data)
        except errors.TakeoverError as error:
            return cls.error_payload(
                [
                    types.TakeoverError(
                        field=detail.field,
                        code=detail.code.value,
                        message=detail.message,
                    )
                    for detail in error.details
                ]
            )


def session_pk(caller: auth.Caller, session_id: str) -> int:
    """The session's id, once the caller may work in the session's channel."""
    pk = ids.decode_int(session_id, "TakeoverSession", "sessionId")
    channel_id = (
        models.TakeoverSession.objects.filter(pk=pk)
        .values_list("channel_id", flat=True)
        .first()
    )
    auth.require_channel_access(caller, channel_id)
    return pk
