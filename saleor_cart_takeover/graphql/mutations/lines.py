"""takeoverLinesAdd, takeoverLinesUpdate and takeoverLinesDelete, with their inputs."""

from typing import Any

import graphene

from ... import errors
from ...access import auth
from ...const import (
    LINE_OPTIONS_KEY,
    MAX_LINE_METADATA_ITEMS,
    MAX_LINE_METADATA_KEY_LENGTH,
    MAX_LINE_METADATA_VALUE_LENGTH,
    MAX_QUANTITY,
    RESERVED_KEY_PREFIX,
)
from ...lines import validation as line_validation
from ...takeover import cart_editing
from .. import descriptions, ids
from .base import BaseMutation, session_pk
from .takeover import TakeoverSessionPayload, session_payload


class MetadataInput(graphene.InputObjectType):
    """One entry of a line's configuration (public line metadata)."""

    key = graphene.String(
        required=True,
        description=f"Up to {MAX_LINE_METADATA_KEY_LENGTH} characters; keys "
        f"starting with `{RESERVED_KEY_PREFIX}` are the plugin's and refused.",
    )
    value = graphene.String(
        required=True,
        description=f"Up to {MAX_LINE_METADATA_VALUE_LENGTH} characters.",
    )


class TakeoverLineInput(graphene.InputObjectType):
    """An item to put into the cart."""

    variant_id = graphene.ID(
        required=True, description="The product variant (`ProductVariant`)."
    )
    quantity = graphene.Int(
        required=True, description=f"How many, from 1 to {MAX_QUANTITY}."
    )
    metadata = graphene.List(
        graphene.NonNull(MetadataInput),
        description=f"The line's configuration, at most {MAX_LINE_METADATA_ITEMS} "
        "entries, checked against the product type's line options "
        f"(`{LINE_OPTIONS_KEY}`). The same variant with the same configuration "
        "adds to the existing line.",
    )


class TakeoverLineUpdateInput(graphene.InputObjectType):
    """A change to a cart line: its quantity, its configuration or both."""

    line_id = graphene.ID(required=True, description="The line (`CheckoutLine`).")
    quantity = graphene.Int(
        description=f"The new quantity, from 0 (removes the line) to "
        f"{MAX_QUANTITY}; null keeps it."
    )
    metadata = graphene.List(
        graphene.NonNull(MetadataInput),
        description="Configuration entries to set; the line's other entries stay. "
        "Null leaves the configuration as it is.",
    )


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
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )
        lines = graphene.List(
            graphene.NonNull(TakeoverLineInput),
            required=True,
            description="The items to add; at least one.",
        )

    class Meta:
        description = (
            "Put items into the held cart, through Saleor's checkout checks "
            "(stock, availability, quantity limits); fires checkout_updated. "
            "Lines added or changed are marked as a rep's "
            "(`cart_takeover.source`). "
            + descriptions.HOLDER_ONLY
            + " "
            + descriptions.TAKEOVER_PERMISSION
        )

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
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )
        lines = graphene.List(
            graphene.NonNull(TakeoverLineUpdateInput),
            required=True,
            description="The changes; at least one, each line named once.",
        )

    class Meta:
        description = (
            "Change quantities or configurations of the held cart's lines, "
            "through Saleor's checkout checks; fires checkout_updated. "
            + descriptions.HOLDER_ONLY
            + " "
            + descriptions.TAKEOVER_PERMISSION
        )

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
        session_id = graphene.ID(
            required=True, description="The takeover session (`TakeoverSession`)."
        )
        line_ids = graphene.List(
            graphene.NonNull(graphene.ID),
            required=True,
            description="The lines to remove (`CheckoutLine`); at least one, each "
            "named once.",
        )

    class Meta:
        description = (
            "Take lines out of the held cart; fires checkout_updated. "
            + descriptions.HOLDER_ONLY
            + " "
            + descriptions.TAKEOVER_PERMISSION
        )

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
