"""Graphene enums of the takeover API, built from the domain's own enums."""

import graphene

from .. import errors, models

TakeoverStatus = graphene.Enum(
    "TakeoverStatus", [(choice.name, choice.value) for choice in models.TakeoverStatus]
)
TakeoverErrorCode = graphene.Enum(
    "TakeoverErrorCode",
    [(code.name, code.value) for code in errors.TakeoverErrorCode],
)
