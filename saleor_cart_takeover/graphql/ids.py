"""Decoding Saleor's global ids; a wrong type is a field error, never a 500."""

import uuid

import graphene

from ..errors import TakeoverError, TakeoverErrorCode


def decode(value: str | None, type_name: str, field: str) -> str:
    try:
        found_type, pk = graphene.Node.from_global_id(value or "")
    except Exception:  # graphene raises assorted errors for garbage input
        found_type, pk = None, None
    if found_type != type_name or not pk:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            f"Expected an id of type {type_name}.",
            field,
        )
    return pk


def decode_uuid(value: str | None, type_name: str, field: str) -> uuid.UUID:
    pk = decode(value, type_name, field)
    try:
        return uuid.UUID(pk)
    except ValueError:
        raise TakeoverError(
            TakeoverErrorCode.INVALID, f"Expected an id of type {type_name}.", field
        ) from None


def decode_int(value: str | None, type_name: str, field: str) -> int:
    pk = decode(value, type_name, field)
    if not pk.isdigit() or len(pk) > 18:
        raise TakeoverError(
            TakeoverErrorCode.INVALID, f"Expected an id of type {type_name}.", field
        )
    return int(pk)


def decode_cart(value: str | None, field: str) -> uuid.UUID:
    """A checkout token from a `Cart` id (what this API hands reps) or a
    `Checkout` id (what storefronts and Saleor's API use)."""
    from ..takeover.carts import CART_ID_TYPE, resolve_cart_id

    try:
        found_type, _ = graphene.Node.from_global_id(value or "")
    except Exception:  # graphene raises assorted errors for garbage input
        found_type = None
    if found_type == CART_ID_TYPE:
        return resolve_cart_id(value, field)
    return decode_uuid(value, "Checkout", field)


def is_cart_id(value: str | None) -> bool:
    from ..takeover.carts import CART_ID_TYPE

    try:
        return graphene.Node.from_global_id(value or "")[0] == CART_ID_TYPE
    except Exception:  # graphene raises assorted errors for garbage input
        return False


def decode_checkout(value: str | None, field: str) -> uuid.UUID:
    """A checkout token from a `Checkout` global id or the bare token, the two
    forms Saleor's checkout mutations accept; never a `Cart` id (a rep's)."""
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return decode_uuid(value, "Checkout", field)
