"""takeoverLinesAdd, takeoverLinesUpdate and takeoverLinesDelete, with their inputs."""

from typing import Any

import graphene

from ... import errors
from ...access import auth
from ...lines import validation as line_validation
from ...takeover import cart_editing
from .. import ids
from .base import BaseMutation, session_pk
from .takeover import TakeoverSessionPayload, session_payload


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    value = graphene.String(required=True)


class TakeoverLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class TakeoverLineUpdateInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True)
    quantity = graphene.Int()
    metadata = graphene.List(graphene.NonNull(MetadataInput))


def metadata_dict(items: list[dict] | None, field: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        if item["key"] in result:
            raise errors.TakeoverError(
                errors.TakeoverErrorCode.DUPLICATED_INPUT,
                f"The configuration entry {item['key']!r} is given twice.",
                field,
            )
        result[item["key"]] = item["value"]
    return result


class TakeoverLinesAdd(BaseMutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(TakeoverLineInput), required=True)

    Output = TakeoverSessionPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str, lines: list[dict]
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        new_lines = [
            line_validation.NewLine(
                variant_id=ids.decode_int(
                    line["variant_id"], "ProductVariant", f"lines.{i}.variantId"
                ),
                quantity=line["quantity"],
                metadata=metadata_dict(line.get("metadata"), f"lines.{i}.metadata"),
            )
            for i, line in enumerate(lines)
        ]
        cart_editing.add_lines(
            pk,
            caller.user,
            new_lines,
            settings=info.context.settings,
            manager=info.context.manager,
        )
        return session_payload(pk)


class TakeoverLinesUpdate(BaseMutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(TakeoverLineUpdateInput), required=True)

    Output = TakeoverSessionPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str, lines: list[dict]
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        changes = [
            line_validation.LineChange(
                line_id=ids.decode_uuid(
                    line["line_id"], "CheckoutLine", f"lines.{i}.lineId"
                ),
                quantity=line.get("quantity"),
                metadata=metadata_dict(line["metadata"], f"lines.{i}.metadata")
                if line.get("metadata") is not None
                else None,
            )
            for i, line in enumerate(lines)
        ]
        cart_editing.update_lines(
            pk,
            caller.user,
            changes,
            settings=info.context.settings,
            manager=info.context.manager,
        )
        return session_payload(pk)


class TakeoverLinesDelete(BaseMutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        line_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    Output = TakeoverSessionPayload

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller, session_id: str, line_ids: list[str]
    ) -> TakeoverSessionPayload:
        pk = session_pk(caller, session_id)
        decoded = [
            ids.decode_uuid(line_id, "CheckoutLine", f"lineIds.{i}")
            for i, line_id in enumerate(line_ids)
        ]
        cart_editing.delete_lines(
            pk,
            caller.user,
            decoded,
            settings=info.context.settings,
            manager=info.context.manager,
        )
        return session_payload(pk)
