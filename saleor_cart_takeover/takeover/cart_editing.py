"""Editing the shopper's cart during a takeover, through Saleor's own services.

Every change runs Saleor's checkout validations (availability, publication,
channel listing, quantity limits, stock), is written by
`add_variants_to_checkout` and fires `checkout_updated`, exactly as if the
shopper had made it on the storefront.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from saleor.account.models import User
from saleor.checkout.actions import call_checkout_info_event
from saleor.checkout.fetch import (
    CheckoutInfo,
    fetch_checkout_info,
    fetch_checkout_lines,
)
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.checkout.utils import add_variants_to_checkout, invalidate_checkout
from saleor.plugins.manager import PluginsManager
from saleor.product.models import ProductVariant
from saleor.site.models import Site
from saleor.warehouse.reservations import get_reservation_length
from saleor.webhook.event_types import WebhookEventAsyncType

from .. import compat
from ..config import TakeoverSettings
from ..errors import ErrorDetail, TakeoverError, TakeoverErrorCode
from ..lines import attribution
from ..lines import validation as line_validation
from ..models import TakeoverEventType, TakeoverSession
from .session import session_unit


@dataclass(frozen=True)
class _MetadataItem:
    """What Saleor's line services expect of a metadata input item."""

    key: str
    value: str


def add_lines(
    session_id: int,
    staff: User,
    lines: list[line_validation.NewLine],
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> TakeoverSession:
    """Put items into the cart; an item already there with the same
    configuration gets more quantity, another configuration gets its own line.

    Every line it adds or changes is attributed to `staff` and the session.
    """
    line_validation.check_new_lines(lines)

    def apply(checkout: Checkout, existing: list[CheckoutLine]) -> dict[str, Any]:
        variants = line_validation.variants_or_error(lines)
        line_validation.check_line_options(
            [
                (variants[line.variant_id], line.metadata, line.metadata)
                for line in lines
            ],
            variant_field="variantId",
        )
        data = _group_new_lines(lines, existing)
        _validate_and_write(
            checkout,
            variants,
            data,
            lines_index=_index_by_variant(lines),
            replace=False,
            manager=manager,
            attribute_to=(staff, session_id, {line.pk for line in existing}),
        )
        return {
            "lines": [
                {
                    "variant": variants[line.variant_id].get_global_id(),
                    "name": _display_name(variants[line.variant_id]),
                    "quantity": line.quantity,
                    "metadata": line.metadata,
                }
                for line in lines
            ]
        }

    return _edit(
        session_id,
        staff,
        settings,
        manager,
        apply,
        TakeoverEventType.LINES_ADDED,
        lambda summary: "added "
        + ", ".join(
            f"{item['quantity']} × {item['name']}" for item in summary["lines"]
        ),
    )


def update_lines(
    session_id: int,
    staff: User,
    changes: list[line_validation.LineChange],
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> TakeoverSession:
    """Set new quantities (0 removes the line) or configuration on cart lines."""
    line_validation.check_changes(changes)

    def apply(checkout: Checkout, existing: list[CheckoutLine]) -> dict[str, Any]:
        by_id = {line.pk: line for line in existing}
        missing = [
            ErrorDetail(
                TakeoverErrorCode.NOT_FOUND,
                "This line is not in the cart any more.",
                f"lines.{index}.lineId",
            )
            for index, change in enumerate(changes)
            if change.line_id not in by_id
        ]
        if missing:
            raise TakeoverError.many(missing)
        line_validation.refuse_gifts(
            [by_id[c.line_id] for c in changes], "lines.{}.lineId"
        )
        line_validation.check_line_options(
            [
                (
                    by_id[change.line_id].variant,
                    change.metadata,
                    {
                        **attribution.configuration(by_id[change.line_id].metadata),
                        **change.metadata,
                    },
                )
                for change in changes
                if change.metadata is not None
            ],
            variant_field="lineId",
            indexes=[i for i, c in enumerate(changes) if c.metadata is not None],
        )
        data = []
        summary = []
        for change in changes:
            line = by_id[change.line_id]
            quantity = line.quantity if change.quantity is None else change.quantity
            data.append(
                compat.CheckoutLineData(
                    variant_id=str(line.variant_id),
                    line_id=str(line.pk),
                    quantity=quantity,
                    quantity_to_update=True,
                    metadata_list=metadata_list(
                        {**(change.metadata or {}), **attribution.public_metadata()}
                    ),
                )
            )
            summary.append(
                {
                    "line": str(line.pk),
                    "name": _display_name(line.variant),
                    "from": line.quantity,
                    "to": quantity,
                    "metadata": change.metadata,
                }
            )
        variants = {line.variant_id: line.variant for line in existing}
        index = {str(by_id[c.line_id].variant_id): i for i, c in enumerate(changes)}
        _validate_and_write(
            checkout,
            variants,
            data,
            lines_index=index,
            replace=True,
            manager=manager,
            attribute_to=(staff, session_id, {line.pk for line in existing}),
        )
        return {"lines": summary}

    def describe(summary: dict[str, Any]) -> str:
        parts = []
        for item in summary["lines"]:
            if item["from"] != item["to"]:
                parts.append(f"{item['name']} {item['from']} → {item['to']}")
            if item["metadata"]:
                parts.append(f"{item['name']} configuration changed")
        return "changed " + ", ".join(parts)

    return _edit(
        session_id,
        staff,
        settings,
        manager,
        apply,
        TakeoverEventType.LINES_UPDATED,
        describe,
    )


def delete_lines(
    session_id: int,
    staff: User,
    line_ids: list[uuid.UUID],
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> TakeoverSession:
    """Take lines out of the cart."""
    if not line_ids:
        raise TakeoverError(
            TakeoverErrorCode.REQUIRED, "Name at least one line to remove.", "lineIds"
        )
    if len(set(line_ids)) != len(line_ids):
        raise TakeoverError(
            TakeoverErrorCode.DUPLICATED_INPUT, "A line is named twice.", "lineIds"
        )

    def apply(checkout: Checkout, existing: list[CheckoutLine]) -> dict[str, Any]:
        by_id = {line.pk: line for line in existing}
        missing = [
            ErrorDetail(
                TakeoverErrorCode.NOT_FOUND,
                "This line is not in the cart any more.",
                f"lineIds.{index}",
            )
            for index, line_id in enumerate(line_ids)
            if line_id not in by_id
        ]
        if missing:
            raise TakeoverError.many(missing)
        removed = [by_id[line_id] for line_id in line_ids]
        line_validation.refuse_gifts(removed, "lineIds.{}")
        CheckoutLine.objects.filter(pk__in=line_ids).delete()
        refresh_cart(checkout, manager)
        return {
            "lines": [
                {
                    "line": str(line.pk),
                    "name": _display_name(line.variant),
                    "quantity": line.quantity,
                }
                for line in removed
            ]
        }

    return _edit(
        session_id,
        staff,
        settings,
        manager,
        apply,
        TakeoverEventType.LINES_DELETED,
        lambda summary: "removed "
        + ", ".join(
            f"{item['quantity']} × {item['name']}" for item in summary["lines"]
        ),
    )


def _edit(
    session_id: int,
    staff: User,
    settings: TakeoverSettings,
    manager: PluginsManager,
    apply: Callable[[Checkout, list[CheckoutLine]], dict[str, Any]],
    event_type: TakeoverEventType,
    describe: Callable[[dict[str, Any]], str],
) -> TakeoverSession:
    with session_unit(session_id, staff, settings) as unit:
        existing = list(
            CheckoutLine.objects.filter(checkout_id=unit.checkout.pk)
            .select_related("variant__product__product_type")
            .order_by("created_at")
        )
        summary = apply(unit.checkout, existing)
        unit.record(
            event_type,
            f"Cart takeover: {staff.email} {describe(summary)} in the shopper's cart.",
            **summary,
        )
    return unit.session


def _validate_and_write(
    checkout: Checkout,
    variants: dict[int, ProductVariant],
    data: list[compat.CheckoutLineData],
    *,
    lines_index: dict[str, int],
    replace: bool,
    manager: PluginsManager,
    attribute_to: tuple[User, int, set[uuid.UUID]] | None = None,
) -> None:
    """Run Saleor's checkout checks on `data`, then write it as Saleor does.

    With `attribute_to` (staff, session id, the ids of the lines before), the
    lines written and the lines created get the private attribution keys; the
    public one travels in `data`'s metadata.
    """
    variant_list = list(variants.values())
    try:
        checkout_info, site = line_validation.saleor_checks(
            checkout, variant_list, data, replace=replace, manager=manager
        )
    except ValidationError as exc:
        raise line_validation.translate(exc, lines_index) from exc
    write_lines(checkout, variant_list, data, checkout_info, site, replace=replace)
    if attribute_to is not None:
        staff, session_id, before = attribute_to
        written = {uuid.UUID(d.line_id) for d in data if d.line_id and d.quantity}
        attribution.stamp_private(
            CheckoutLine.objects.filter(checkout_id=checkout.pk).filter(
                Q(pk__in=written) | ~Q(pk__in=before)
            ),
            staff,
            session_id,
        )
    refresh_cart(checkout, manager, checkout_info)


def write_lines(
    checkout: Checkout,
    variant_list: list[ProductVariant],
    data: list[compat.CheckoutLineData],
    checkout_info: CheckoutInfo,
    site: Site,
    *,
    replace: bool,
) -> None:
    """Write checked lines with Saleor's service (stock reservations included)."""
    add_variants_to_checkout(
        checkout,
        variant_list,
        data,
        checkout_info.channel,
        replace=replace,
        replace_reservations=True,
        reservation_length=get_reservation_length(site=site, user=checkout.user),
        **compat.stock_options(site.settings),
    )


def refresh_cart(
    checkout: Checkout,
    manager: PluginsManager,
    checkout_info: CheckoutInfo | None = None,
) -> None:
    """What Saleor's own line mutations do once the lines are written."""
    checkout_info = checkout_info or fetch_checkout_info(checkout, [], manager)
    lines, _ = fetch_checkout_lines(checkout)
    checkout_info.lines = lines
    update_fields = compat.refresh_delivery_after_line_change(checkout_info, lines)
    update_fields += invalidate_checkout(checkout_info, lines, manager, save=False)
    update_fields += compat.mark_search_index_dirty(checkout)
    checkout.save(update_fields=[*update_fields, "last_change"])
    call_checkout_info_event(
        manager,
        event_name=WebhookEventAsyncType.CHECKOUT_UPDATED,
        checkout_info=checkout_info,
        lines=lines,
    )


def _group_new_lines(
    lines: list[line_validation.NewLine], existing: list[CheckoutLine]
) -> list[compat.CheckoutLineData]:
    """One entry per target line: an existing line with the same variant and
    configuration, or a new line per distinct configuration."""
    grouped: dict[Any, compat.CheckoutLineData] = {}
    for line in lines:
        same = next(
            (
                candidate
                for candidate in existing
                if candidate.variant_id == line.variant_id
                and attribution.configuration(candidate.metadata) == line.metadata
            ),
            None,
        )
        key = (
            same.pk if same else (line.variant_id, tuple(sorted(line.metadata.items())))
        )
        entry = grouped.setdefault(
            key,
            compat.CheckoutLineData(
                variant_id=str(line.variant_id),
                line_id=str(same.pk) if same else None,
                metadata_list=metadata_list(
                    {
                        **({} if same else line.metadata),
                        **attribution.public_metadata(),
                    }
                ),
            ),
        )
        entry.quantity += line.quantity
        entry.quantity_to_update = True
    return list(grouped.values())


def _index_by_variant(lines: list[line_validation.NewLine]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, line in enumerate(lines):
        index.setdefault(str(line.variant_id), position)
    return index


def metadata_list(metadata: dict[str, Any]) -> list[_MetadataItem]:
    return [_MetadataItem(key, value) for key, value in metadata.items()]


def _display_name(variant: ProductVariant | None) -> str:
    if variant is None:
        return "a deleted product"
    product = variant.product.name
    return f"{product} ({variant.name})" if variant.name else product
