"""Metadata keys only the plugin writes, kept out of others' hands.

Public checkout metadata is writable by whoever holds the checkout id, and
Saleor copies checkout and line metadata onto the order. A storefront could
otherwise claim a rep holds its cart (`cart_takeover.active`), a consent
request, or that a rep added a line (`cart_takeover.source`), and carry that
into an order. `cart_takeover.consent`, the answer an earlier release read from
metadata, is never read now; it is dropped too, so that nothing suggests it
counts. The key storefronts are meant to write (`cart_takeover.pickup_contacts`)
is not touched.
"""

from typing import TYPE_CHECKING, Any
from uuid import UUID

import graphene
from django.db import transaction
from saleor.checkout.models import Checkout, CheckoutLine, CheckoutMetadata

from ..const import (
    CHECKOUT_TAKEN_OVER_KEY,
    CONSENT_REQUESTED_KEY,
    LINE_KEYS,
    LINE_SESSION_KEY,
    LINE_SOURCE_KEY,
    ORDER_KEYS,
    STOREFRONT_KEYS,
)
from ..models import TakeoverSession, TakeoverStatus
from . import metadata as checkout_metadata

if TYPE_CHECKING:
    from saleor.checkout.fetch import CheckoutLineInfo
    from saleor.order.models import Order

RESERVED_KEYS = frozenset({*STOREFRONT_KEYS, *LINE_KEYS, *ORDER_KEYS})


def strip_from_checkout(checkout: Checkout) -> dict[str, Any]:
    """After someone else wrote the checkout's metadata: drop reserved keys the
    plugin's own state does not back, and return the metadata as it now stands
    (callers read it from here rather than a second time). One primary-key read;
    more only when a reserved key is there."""
    storage = CheckoutMetadata.objects.filter(checkout_id=checkout.pk).first()
    if storage is None:
        return {}
    if not RESERVED_KEYS & set(storage.metadata or {}):
        return storage.metadata or {}
    with transaction.atomic():
        storage = (
            CheckoutMetadata.objects.select_for_update()
            .filter(checkout_id=checkout.pk)
            .first()
        )
        if storage is None:
            return {}
        keep = _backed_keys(checkout.pk, storage.metadata or {})
        forged = [k for k in storage.metadata if k in RESERVED_KEYS - keep]
        checkout.metadata_storage = storage
        # Not announced again: this runs inside the announcement of the
        # storefront's own write (Saleor's `checkout_metadata_updated`).
        checkout_metadata.write(checkout, remove=forged, announce=False)
    return storage.metadata or {}


def strip_from_lines(lines: "list[CheckoutLineInfo]") -> None:
    """Before checkout lines become order lines: reserved keys the plugin did
    not write are dropped (`line_metadata`). Reads only the lines Saleor has
    already loaded."""
    forged = []
    for info in lines:
        kept = line_metadata(info.line)
        if kept != (info.line.metadata or {}):
            info.line.metadata = kept
            forged.append(info.line)
    if forged:
        CheckoutLine.objects.bulk_update(forged, ["metadata"])


def line_metadata(line: CheckoutLine) -> dict[str, Any]:
    """A cart line's public metadata as it may reach a draft or an order.

    Of the reserved keys only the attribution the plugin wrote stays: it
    always writes the private session key with it, which storefronts cannot
    write. Anything else reserved was forged by whoever wrote the line.
    """
    metadata = dict(line.metadata or {})
    backed = LINE_SESSION_KEY in (line.private_metadata or {})
    for key in RESERVED_KEYS & metadata.keys():
        if not (backed and key == LINE_SOURCE_KEY):
            del metadata[key]
    return metadata


def strip_from_order(order: "Order") -> None:
    """An order's public metadata never carries reserved keys: Saleor copied
    them from the checkout; the plugin's own order keys are private."""
    forged = [key for key in order.metadata or {} if key in RESERVED_KEYS]
    if forged:
        checkout_metadata.write_order(order, remove=forged)


def _backed_keys(checkout_token: "UUID", metadata: dict) -> set[str]:
    sessions = TakeoverSession.objects.filter(checkout_token=checkout_token).exclude(
        status__in=[
            TakeoverStatus.ENDED,
            TakeoverStatus.EXPIRED,
            TakeoverStatus.COMPLETED,
        ]
    )
    keep: set[str] = set()
    if sessions.filter(status=TakeoverStatus.ACTIVE).exists():
        keep.add(CHECKOUT_TAKEN_OVER_KEY)
    requested = _session_pk(str(metadata.get(CONSENT_REQUESTED_KEY, "")))
    if requested is not None and sessions.filter(pk=requested).exists():
        keep.add(CONSENT_REQUESTED_KEY)
    return keep


def _session_pk(value: str) -> int | None:
    """The session a consent request names: its global id, as the plugin
    writes it (a bare pk is accepted too)."""
    if value.isdigit():
        return int(value)
    try:
        kind, pk = graphene.Node.from_global_id(value)
    except Exception:  # graphene raises assorted errors for garbage input
        return None
    return int(pk) if kind == "TakeoverSession" and pk.isdigit() else None
