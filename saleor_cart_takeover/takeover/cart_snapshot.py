"""The cart as it was when a takeover started, kept for `takeoverRevert`."""

from typing import Any

from saleor.checkout.models import Checkout, CheckoutLine


def snapshot_of(checkout: Checkout) -> list[dict[str, Any]]:
    """The checkout's lines, in cart order: one query whatever their number,
    none when the caller loaded them (`carts.checkouts_with_lines`)."""
    lines = (
        checkout.lines.all()
        if "lines" in getattr(checkout, "_prefetched_objects_cache", {})
        else CheckoutLine.objects.filter(checkout_id=checkout.pk)
        .select_related("variant__product")
        .order_by("created_at", "id")
    )
    return [
        {
            "line": str(line.pk),
            "variant": line.variant_id,
            "quantity": line.quantity,
            "metadata": dict(line.metadata or {}),
            "privateMetadata": dict(line.private_metadata or {}),
            "name": _name(line),
        }
        for line in lines
    ]


def _name(line: CheckoutLine) -> str:
    variant = line.variant
    if variant is None:
        return "a deleted product"
    product = variant.product.name
    return f"{product} ({variant.name})" if variant.name else product
