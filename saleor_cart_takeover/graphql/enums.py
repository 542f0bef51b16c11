"""Graphene enums of the takeover API, built from the domain's own enums.

Descriptions are given as Saleor gives them (`saleor/graphql/app/enums.py`): a
function graphene calls with None for the enum, then with each value.
"""

from typing import Any

import graphene

from .. import errors, models

STATUS_DESCRIPTIONS = {
    models.TakeoverStatus.PENDING: "Waiting for the shopper's consent (setting "
    '"Require shopper consent"): the rep holds the cart but cannot change it yet.',
    models.TakeoverStatus.ACTIVE: "The rep holds the cart and may change it; the "
    'shopper cannot check out while the setting "Block checkout during a '
    'takeover" is on.',
    models.TakeoverStatus.ENDED: "Handed back by a rep, declined by the shopper, "
    "or its cart or draft order was deleted.",
    models.TakeoverStatus.EXPIRED: "The rep was idle past the session timeout, or "
    "the shopper did not answer the consent request in time.",
    models.TakeoverStatus.COMPLETED: "An order came out of it: the shopper placed "
    "it from the cart, or staff completed the draft order.",
}

ERROR_DESCRIPTIONS = {
    errors.TakeoverErrorCode.NOT_FOUND: "Nothing has this id, code or email "
    "(cart, draft order, session, variant, line, staff member, group, channel).",
    errors.TakeoverErrorCode.INVALID: "A value is malformed or not allowed: an id "
    "of the wrong type, a cart code's format, a quantity, a line option, a "
    "pickup contact's field, a report's dates.",
    errors.TakeoverErrorCode.REQUIRED: "Something that must be given is missing, "
    "e.g. at least one line, a pickup contact's name, or a customer on the draft.",
    errors.TakeoverErrorCode.NOT_DRAFT: "The order is not (or no longer) a draft.",
    errors.TakeoverErrorCode.CHANNEL_MISMATCH: "The cart is in another channel than "
    "the draft order.",
    errors.TakeoverErrorCode.CUSTOMER_MISMATCH: "The cart belongs to another "
    "customer than the draft order, or the draft's customer changed since the start.",
    errors.TakeoverErrorCode.ALREADY_TAKEN_OVER: "Another rep holds the cart, or "
    "the draft order already has a takeover open; the message names the rep.",
    errors.TakeoverErrorCode.SESSION_NOT_ACTIVE: "The session has ended or still "
    "waits for the shopper's consent; nobody holds the cart (pickupContactsUpdate "
    "through a Cart id); or the consent request no longer waits for an answer.",
    errors.TakeoverErrorCode.INSUFFICIENT_STOCK: "Not enough stock for the "
    "quantity (Saleor's checkout check).",
    errors.TakeoverErrorCode.NOT_AVAILABLE: "The variant cannot be sold in the "
    "channel: unpublished, not available for purchase, or without a price.",
    errors.TakeoverErrorCode.AMBIGUOUS_CODE: "More than one cart has this code; "
    "open the cart from the shopper's account instead.",
    errors.TakeoverErrorCode.QUANTITY_LIMIT: "The quantity exceeds the variant's "
    "per-customer limit or the shop's limit per checkout line (Saleor's check).",
    errors.TakeoverErrorCode.DUPLICATED_INPUT: "The same line or metadata key is "
    "given twice.",
    errors.TakeoverErrorCode.CHECKOUT_GONE: "The shopper's cart no longer exists.",
    errors.TakeoverErrorCode.CHANNEL_INACTIVE: "The checkout's channel is inactive.",
    errors.TakeoverErrorCode.RATE_LIMITED: "Too many attempts in a short time "
    "(cart code lookups, starts); try again later.",
}


def status_description(value: Any) -> str:
    if value is None:
        return "Where a takeover session stands."
    return STATUS_DESCRIPTIONS[models.TakeoverStatus(value.value)]


def error_code_description(value: Any) -> str:
    if value is None:
        return "Why a takeover operation refused the request."
    return ERROR_DESCRIPTIONS[errors.TakeoverErrorCode(value.value)]


TakeoverStatus = graphene.Enum(
    "TakeoverStatus",
    [(choice.name, choice.value) for choice in models.TakeoverStatus],
    description=status_description,
)
TakeoverErrorCode = graphene.Enum(
    "TakeoverErrorCode",
    [(code.name, code.value) for code in errors.TakeoverErrorCode],
    description=error_code_description,
)
