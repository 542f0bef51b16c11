"""Attribution: which cart lines a customer-service rep added or changed.

Each such line carries public metadata `cart_takeover.source =
"customer_service"` (storefronts may show "added by customer service") and
private metadata `cart_takeover.staff` (the rep's User global id) and
`cart_takeover.session` (the TakeoverSession global id). Saleor copies line
metadata, private included, onto order lines at checkout; the draft copy does
the same. Storefronts cannot forge the private keys: writing private metadata
takes MANAGE_CHECKOUTS.
"""

from collections.abc import Mapping
from typing import Any

import graphene
from django.db.models import F, JSONField, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from saleor.account.models import User
from saleor.checkout.models import CheckoutLine

from ..const import (
    LINE_SESSION_KEY,
    LINE_SOURCE_CUSTOMER_SERVICE,
    LINE_SOURCE_KEY,
    LINE_STAFF_KEY,
    RESERVED_KEY_PREFIX,
)


def public_metadata() -> dict[str, str]:
    return {LINE_SOURCE_KEY: LINE_SOURCE_CUSTOMER_SERVICE}


def private_metadata(staff: User, session_id: int) -> dict[str, str]:
    return {
        LINE_STAFF_KEY: graphene.Node.to_global_id("User", staff.pk),
        LINE_SESSION_KEY: graphene.Node.to_global_id("TakeoverSession", session_id),
    }


def configuration(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """A line's configuration: its metadata without the plugin's own keys."""
    return {
        key: value
        for key, value in (metadata or {}).items()
        if not key.startswith(RESERVED_KEY_PREFIX)
    }


def is_by_customer_service(metadata: Mapping[str, Any] | None) -> bool:
    return (metadata or {}).get(LINE_SOURCE_KEY) == LINE_SOURCE_CUSTOMER_SERVICE


def stamp_private(lines: QuerySet[CheckoutLine], staff: User, session_id: int) -> int:
    """Add the private keys to these checkout lines in one statement.

    Merged into what is there (jsonb `||`), so other apps' private line
    metadata stays.
    """
    value = Value(private_metadata(staff, session_id), output_field=JSONField())
    return lines.update(
        private_metadata=CombinedExpression(
            F("private_metadata"), "||", value, output_field=JSONField()
        )
    )
