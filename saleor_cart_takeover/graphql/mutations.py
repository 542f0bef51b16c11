"""Mutations: parse the input, authorize, call one domain function, shape the payload."""

from typing import Any

import graphene
from saleor.checkout.models import Checkout
from saleor.order.models import Order

from .. import (
    audit,
    auth,
    cart_editing,
    carts,
    draft_copy,
    grants,
    pickup_contacts,
    rate_limits,
    takeover,
)
from ..errors import PermissionDenied, TakeoverErrorCode
from ..errors import TakeoverError as DomainError
from ..errors import TakeoverErrorCode as DomainErrorCode
from ..models import TakeoverSession as SessionModel
from . import ids
from .types import (
    MetadataInput,
    PickupContactInput,
    PickupContactsPayload,
    TakeoverError,
    TakeoverSessionPayload,
    sessions_queryset,
)


def error_list(error: DomainError) -> list[TakeoverError]:
    return [
        TakeoverError(
            field=detail.field, code=detail.code.value, message=detail.message
        )
        for detail in error.details
    ]


def session_payload(session_id: int, **extra: Any) -> TakeoverSessionPayload:
    session = sessions_queryset().get(pk=session_id)
    return TakeoverSessionPayload(session=session, errors=[], **extra)


def metadata_dict(items: list[dict] | None, field: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        if item["key"] in result:
            raise DomainError(
                TakeoverErrorCode.DUPLICATED_INPUT,
                f"The configuration entry {item['key']!r} is given twice.",
                field,
            )
        result[item["key"]] = item["value"]
    return result


def session_for_caller(info: Any, session_id: str) -> tuple[auth.Caller, int]:
    """Authorize a session operation: permission first, then the session's channel."""
    caller = info.context.require_caller()
    auth.require_takeover_permission(caller)
    pk = ids.decode_int(session_id, "TakeoverSession", "sessionId")
    channel_id = (
        SessionModel.objects.filter(pk=pk).values_list("channel_id", flat=True).first()
    )
    auth.require_channel_access(caller, channel_id)
    return caller, pk


class CopyResult(graphene.ObjectType):
    added = graphene.Int(required=True)
    updated = graphene.Int(required=True)
    removed = graphene.Int(required=True)
    unchanged = graphene.Int(required=True)


class TakeoverCopyPayload(TakeoverSessionPayload):
    result = graphene.Field(CopyResult)


class TakeoverLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class TakeoverLineUpdateInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True)
    quantity = graphene.Int()
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class TakeoverStart(graphene.Mutation):
    class Arguments:
        draft_order_id = graphene.ID(required=True)
        cart_id = graphene.ID(description="A Cart id from this API.")
        checkout_id = graphene.ID()
        cart_code = graphene.String()

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(
        _root: Any,
        info: Any,
        draft_order_id: str,
        cart_id: str | None = None,
        checkout_id: str | None = None,
        cart_code: str | None = None,
    ) -> TakeoverSessionPayload:
        caller = info.context.require_caller()
        auth.require_takeover_permission(caller)
        code = None
        try:
            rate_limits.consume(rate_limits.STARTS_PER_CALLER, caller.user.pk)
            draft_pk = ids.decode_uuid(draft_order_id, "Order", "draftOrderId")
            draft_channel = (
                Order.objects.filter(pk=draft_pk)
                .values_list("channel_id", flat=True)
                .first()
            )
            auth.require_channel_access(caller, draft_channel)
            token = None
            if cart_id or checkout_id:
                field = "cartId" if cart_id else "checkoutId"
                token = ids.decode_cart(cart_id or checkout_id, field)
                cart_key = carts.cart_code(token)
            elif cart_code:
                code = carts.normalize_code(cart_code)
                _consume_code_lookup(caller, code)
                cart_key = code
            else:
                cart_key = ""
            if cart_key:
                rate_limits.consume(rate_limits.STARTS_PER_CART, cart_key, "cartId")
            session = takeover.start_takeover(
                draft_id=draft_pk,
                staff=caller.user,
                settings=info.context.settings,
                manager=info.context.manager,
                checkout_token=token,
                cart_code_value=cart_code,
                channel_ids=auth.accessible_channel_ids(caller),
            )
        except DomainError as error:
            if code is not None:
                missing = error.details[0].code == DomainErrorCode.NOT_FOUND
                audit.record_code_lookup(caller.user, code, found=not missing)
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        if code is not None:
            audit.record_code_lookup(caller.user, code, found=True)
        return session_payload(session.pk)


def _consume_code_lookup(caller: Any, code: str) -> None:
    """Count a code lookup against the caller and the code; a refused one is
    audited here, since it never reaches the lookup."""
    try:
        rate_limits.consume(
            rate_limits.CODE_LOOKUPS_PER_CALLER, caller.user.pk, "cartCode"
        )
        rate_limits.consume(rate_limits.LOOKUPS_PER_CODE, code, "cartCode")
    except DomainError:
        audit.record_code_lookup(caller.user, code, found=False, refused=True)
        raise


class TakeoverLinesAdd(graphene.Mutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(TakeoverLineInput), required=True)

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str, lines: list[dict]) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
            new_lines = [
                cart_editing.NewLine(
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
        except DomainError as error:
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        return session_payload(pk)


class TakeoverLinesUpdate(graphene.Mutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(TakeoverLineUpdateInput), required=True)

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str, lines: list[dict]) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
            changes = [
                cart_editing.LineChange(
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
        except DomainError as error:
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        return session_payload(pk)


class TakeoverLinesDelete(graphene.Mutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        line_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str, line_ids: list[str]) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
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
        except DomainError as error:
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        return session_payload(pk)


class TakeoverCopyToDraft(graphene.Mutation):
    """ "Add Items to Order": the draft mirrors the cart."""

    class Arguments:
        session_id = graphene.ID(required=True)
        hand_back = graphene.Boolean(
            default_value=False,
            description="End the takeover after copying, as the seed's button does.",
        )

    Output = TakeoverCopyPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str, hand_back: bool = False) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
            _, result = draft_copy.copy_cart_to_draft(
                pk,
                caller.user,
                settings=info.context.settings,
                manager=info.context.manager,
            )
            if hand_back:
                takeover.end_takeover(pk, caller.user)
        except DomainError as error:
            return TakeoverCopyPayload(session=None, errors=error_list(error))
        payload = session_payload(pk)
        return TakeoverCopyPayload(
            session=payload.session,
            errors=[],
            result=CopyResult(
                added=result.added,
                updated=result.updated,
                removed=result.removed,
                unchanged=result.unchanged,
            ),
        )


class TakeoverEnd(graphene.Mutation):
    class Arguments:
        session_id = graphene.ID(required=True)

    Output = TakeoverSessionPayload

    @staticmethod
    def mutate(_root: Any, info: Any, session_id: str) -> Any:
        try:
            caller, pk = session_for_caller(info, session_id)
            takeover.end_takeover(pk, caller.user)
        except DomainError as error:
            return TakeoverSessionPayload(session=None, errors=error_list(error))
        return session_payload(pk)


def _contact_dict(contact: dict | None) -> dict | None:
    if contact is None:
        return None
    result = {
        "firstName": contact.get("first_name"),
        "lastName": contact.get("last_name"),
        "email": contact.get("email"),
    }
    if contact.get("phone") not in (None, ""):
        result["phone"] = contact["phone"]
    return result


class PickupContactsUpdate(graphene.Mutation):
    """Whoever holds the checkout id may call it, like Saleor's checkout mutations."""

    class Arguments:
        checkout_id = graphene.ID(required=True)
        primary = PickupContactInput()
        alternate = PickupContactInput()

    Output = PickupContactsPayload

    @staticmethod
    def mutate(
        _root: Any,
        info: Any,
        checkout_id: str,
        primary: dict | None = None,
        alternate: dict | None = None,
    ) -> Any:
        caller = info.context.caller
        try:
            token = _checkout_for_contacts(checkout_id, caller)
            contacts = pickup_contacts.update_contacts(
                token,
                _contact_dict(primary),
                _contact_dict(alternate),
                staff=caller.user if caller and caller.user.is_staff else None,
            )
        except DomainError as error:
            return PickupContactsPayload(pickup_contacts=None, errors=error_list(error))
        return PickupContactsPayload(pickup_contacts=contacts, errors=[])


def _checkout_for_contacts(checkout_id: str, caller: Any) -> Any:
    """Storefronts name the checkout by its id; reps by the Cart id this API
    gave them, which only a rep with the takeover permission may use."""
    if ids.is_cart_id(checkout_id):
        if caller is None:
            raise PermissionDenied("Sign in to use a cart id.")
        auth.require_takeover_permission(caller)
        token = ids.decode_cart(checkout_id, "checkoutId")
        channel_id = (
            Checkout.objects.filter(pk=token)
            .values_list("channel_id", flat=True)
            .first()
        )
        auth.require_channel_access(caller, channel_id)
        return token
    return ids.decode_uuid(checkout_id, "Checkout", "checkoutId")


class GrantPayload(graphene.ObjectType):
    changed = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(TakeoverError), required=True)


def _change_grant(
    info: Any, user_email: str | None, group_name: str | None, give: bool
) -> Any:
    caller = info.context.require_caller()
    auth.require_grant_management(caller)
    try:
        if bool(user_email) == bool(group_name):
            raise DomainError(
                TakeoverErrorCode.REQUIRED,
                "Name either a user or a group.",
                "userEmail",
            )
        user = grants.find_user(user_email) if user_email else None
        group = grants.find_group(group_name) if group_name else None
        auth.require_grant_target_access(caller, user=user, group=group)
        changed = (
            grants.grant(user=user, group=group, by=caller.email)
            if give
            else grants.revoke(user=user, group=group)
        )
    except DomainError as error:
        return GrantPayload(changed=False, errors=error_list(error))
    return GrantPayload(changed=changed, errors=[])


class TakeoverPermissionGrant(graphene.Mutation):
    class Arguments:
        user_email = graphene.String()
        group_name = graphene.String()

    Output = GrantPayload

    @staticmethod
    def mutate(
        _root: Any,
        info: Any,
        user_email: str | None = None,
        group_name: str | None = None,
    ) -> Any:
        return _change_grant(info, user_email, group_name, give=True)


class TakeoverPermissionRevoke(graphene.Mutation):
    class Arguments:
        user_email = graphene.String()
        group_name = graphene.String()

    Output = GrantPayload

    @staticmethod
    def mutate(
        _root: Any,
        info: Any,
        user_email: str | None = None,
        group_name: str | None = None,
    ) -> Any:
        return _change_grant(info, user_email, group_name, give=False)
