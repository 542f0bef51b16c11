"""Revert: put the shopper's cart back the way it was when the takeover started.

The snapshot taken at `takeoverStart` names each line's variant, quantity and
metadata. Restoring runs Saleor's checkout checks (stock, availability,
publication, quantity limits) like any other edit; a line that cannot come
back is reported and left out, and the rest still come back. Lines that are
still in the cart keep their ids, so storefronts holding them keep working.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.plugins.manager import PluginsManager
from saleor.product.models import ProductVariant

from ..compat import CheckoutLineData
from ..config import TakeoverSettings
from ..errors import ErrorDetail, TakeoverError, TakeoverErrorCode
from ..lines.validation import saleor_checks, saleor_errors
from ..models import TakeoverEventType, TakeoverSession
from .cart_editing import metadata_list, refresh_cart, write_lines
from .session import session_unit


@dataclass
class RevertResult:
    restored: int = 0
    removed: int = 0
    # One per snapshot line that could not come back, field `lines.N`.
    failed: list[ErrorDetail] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    index: int
    line_id: str
    variant_id: int
    quantity: int
    metadata: dict[str, Any]
    private_metadata: dict[str, Any]
    name: str

    @classmethod
    def from_snapshot(cls, index: int, entry: dict[str, Any]) -> "_Item":
        return cls(
            index=index,
            line_id=entry["line"],
            variant_id=int(entry["variant"]),
            quantity=int(entry["quantity"]),
            metadata=dict(entry.get("metadata") or {}),
            private_metadata=dict(entry.get("privateMetadata") or {}),
            name=entry.get("name") or "an item",
        )


def revert_cart(
    session_id: int,
    staff: User,
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> tuple[TakeoverSession, RevertResult]:
    with session_unit(session_id, staff, settings) as unit:
        session, checkout = unit.session, unit.checkout
        if session.cart_snapshot is None:
            raise TakeoverError(
                TakeoverErrorCode.INVALID,
                "This takeover started before the plugin kept a copy of the cart; "
                "there is nothing to revert to.",
                "sessionId",
            )
        items = [
            _Item.from_snapshot(index, entry)
            for index, entry in enumerate(session.cart_snapshot)
        ]
        current = {
            str(line.pk): line
            for line in CheckoutLine.objects.filter(checkout_id=checkout.pk)
        }
        variants = {
            variant.pk: variant
            for variant in ProductVariant.objects.filter(
                pk__in={item.variant_id for item in items}
            ).select_related("product")
        }
        result = RevertResult()
        failed: dict[int, ErrorDetail] = {
            item.index: ErrorDetail(
                TakeoverErrorCode.NOT_FOUND,
                f"{item.name} is no longer in the catalogue.",
                f"lines.{item.index}",
            )
            for item in items
            if item.variant_id not in variants
        }
        restorable = [item for item in items if item.index not in failed]
        restorable, checked = _passing(
            checkout, restorable, variants, current, manager, failed
        )
        # Lines the snapshot does not hold go, except the shopper's own lines
        # that could not be restored: those stay as they are.
        kept = {item.line_id for item in items if item.line_id in current}
        removed = [pk for pk in current if pk not in kept]
        if removed:
            CheckoutLine.objects.filter(pk__in=removed).delete()
        if restorable and checked is not None:
            checkout_info, site = checked
            write_lines(
                checkout,
                list({variants[item.variant_id] for item in restorable}),
                _line_data(restorable, current),
                checkout_info,
                site,
                replace=True,
            )
            _restore_metadata(checkout, restorable, current)
        refresh_cart(checkout, manager)
        result.restored = len(restorable)
        result.removed = len(removed)
        result.failed = [failed[index] for index in sorted(failed)]

        note = (
            f"Cart takeover: {staff.email} reverted the shopper's cart to how it was "
            f"when the takeover started ({result.restored} lines restored, "
            f"{result.removed} removed"
        )
        if result.failed:
            note += "; could not restore: " + "; ".join(
                detail.message for detail in result.failed
            )
        unit.record(
            TakeoverEventType.REVERTED,
            note + ").",
            restored=result.restored,
            removed=result.removed,
            failed=[
                {"line": d.field, "code": d.code.value, "message": d.message}
                for d in result.failed
            ],
        )
    return unit.session, result


def _line_data(
    items: list["_Item"], current: dict[str, CheckoutLine]
) -> list[CheckoutLineData]:
    """Existing lines get their old quantity back; gone ones come back as new."""
    return [
        CheckoutLineData(
            variant_id=str(item.variant_id),
            line_id=item.line_id if item.line_id in current else None,
            quantity=item.quantity,
            quantity_to_update=True,
            # New lines carry their metadata from the start, which is how
            # `_restore_metadata` recognises them.
            metadata_list=[]
            if item.line_id in current
            else metadata_list(item.metadata),
        )
        for item in items
    ]


def _passing(
    checkout: Checkout,
    items: list["_Item"],
    variants: dict[int, ProductVariant],
    current: dict[str, CheckoutLine],
    manager: PluginsManager,
    failed: dict[int, ErrorDetail],
) -> tuple[list["_Item"], Any]:
    """Drop the lines whose variants fail Saleor's checks until the rest pass.

    All lines are checked at once; only when that fails are the variants at
    fault named (Saleor names them) or, failing that, found one by one.
    """
    while items:
        try:
            return items, _check(checkout, items, variants, current, manager)
        except ValidationError as exc:
            culprits = _culprits(exc)
            if not culprits.keys() & {str(item.variant_id) for item in items}:
                culprits = _probe(checkout, items, variants, current, manager)
            if not culprits:
                raise TakeoverError(
                    TakeoverErrorCode.INVALID,
                    "; ".join(message for _, message, _ in saleor_errors(exc)),
                    "sessionId",
                ) from exc
            for item in items:
                if str(item.variant_id) in culprits:
                    code, message = culprits[str(item.variant_id)]
                    failed[item.index] = ErrorDetail(
                        code,
                        f"{item.name} could not be restored: {message}",
                        f"lines.{item.index}",
                    )
            items = [item for item in items if str(item.variant_id) not in culprits]
    return items, None


def _check(
    checkout: Checkout,
    items: list["_Item"],
    variants: dict[int, ProductVariant],
    current: dict[str, CheckoutLine],
    manager: PluginsManager,
) -> Any:
    return saleor_checks(
        checkout,
        list({variants[item.variant_id] for item in items}),
        _line_data(items, current),
        replace=True,
        manager=manager,
    )


def _culprits(exc: ValidationError) -> dict[str, tuple[TakeoverErrorCode, str]]:
    return {
        variant_id: (code, message)
        for code, message, variant_ids in saleor_errors(exc)
        for variant_id in variant_ids
    }


def _probe(
    checkout: Checkout,
    items: list["_Item"],
    variants: dict[int, ProductVariant],
    current: dict[str, CheckoutLine],
    manager: PluginsManager,
) -> dict[str, tuple[TakeoverErrorCode, str]]:
    """Find failing variants one at a time, for errors Saleor does not attribute."""
    culprits: dict[str, tuple[TakeoverErrorCode, str]] = {}
    for variant_id in dict.fromkeys(item.variant_id for item in items):
        group = [item for item in items if item.variant_id == variant_id]
        try:
            _check(checkout, group, variants, current, manager)
        except ValidationError as exc:
            code, message, _ = saleor_errors(exc)[0]
            culprits[str(variant_id)] = (code, message)
    return culprits


def _restore_metadata(
    checkout: Checkout, items: list["_Item"], current: dict[str, CheckoutLine]
) -> None:
    """Give every restored line exactly its old metadata, private included.

    Saleor's line service merges metadata into what is there and never
    touches private metadata, so the exact values are written here. Lines
    that came back as new ones are matched by variant and metadata, in order.
    """
    lines = list(CheckoutLine.objects.filter(checkout_id=checkout.pk))
    by_id = {str(line.pk): line for line in lines}
    fresh = [line for line in lines if str(line.pk) not in current]
    changed = []
    for item in items:
        line = by_id.get(item.line_id) if item.line_id in current else None
        if line is None:
            line = next(
                (
                    candidate
                    for candidate in fresh
                    if candidate.variant_id == item.variant_id
                    and (candidate.metadata or {}) == item.metadata
                ),
                None,
            )
            if line is None:
                continue
            fresh.remove(line)
        line.metadata = item.metadata
        line.private_metadata = item.private_metadata
        changed.append(line)
    CheckoutLine.objects.bulk_update(changed, ["metadata", "private_metadata"])
