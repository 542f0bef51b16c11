"""Editing the shopper's cart during a takeover, through Saleor's own services.

Every change runs Saleor's checkout validations (availability, publication,
channel listing, quantity limits, stock), is written by
`add_variants_to_checkout` and fires `checkout_updated`, exactly as if the
shopper had made it on the storefront.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from saleor.account.models import User
from saleor.checkout.actions import call_checkout_info_event
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.checkout.fetch import (
    CheckoutInfo,
    fetch_checkout_info,
    fetch_checkout_lines,
)
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.checkout.utils import add_variants_to_checkout, invalidate_checkout
from saleor.core.exceptions import InsufficientStock
from saleor.plugins.manager import PluginsManager
from saleor.product.models import ProductVariant
from saleor.site.models import Site
from saleor.warehouse.reservations import get_reservation_length, is_reservation_enabled
from saleor.webhook.event_types import WebhookEventAsyncType

from . import compat, takeover
from .config import TakeoverSettings
from .const import (
    MAX_LINE_METADATA_ITEMS,
    MAX_LINE_METADATA_KEY_LENGTH,
    MAX_LINE_METADATA_VALUE_LENGTH,
    MAX_QUANTITY,
)
from .errors import ErrorDetail, TakeoverError, TakeoverErrorCode
from .models import TakeoverEventType, TakeoverSession

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class NewLine:
    variant_id: int
    quantity: int
    # The product configuration a rep records, e.g. {"engraving": "For Ada"}.
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LineChange:
    line_id: uuid.UUID
    quantity: int | None = None
    metadata: dict[str, str] | None = None


@dataclass(frozen=True)
class _MetadataItem:
    """What Saleor's line services expect of a metadata input item."""

    key: str
    value: str


def add_lines(
    session_id: int,
    staff: User,
    lines: list[NewLine],
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> TakeoverSession:
    """Put items into the cart; an item already there with the same
    configuration gets more quantity, another configuration gets its own line."""
    _check_new_lines(lines)

    def apply(checkout: Checkout, existing: list[CheckoutLine]) -> dict[str, Any]:
        variants = _variants_or_error(lines)
        data = _group_new_lines(lines, existing)
        _validate_and_write(
            checkout,
            variants,
            data,
            lines_index=_index_by_variant(lines),
            replace=False,
            manager=manager,
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
    changes: list[LineChange],
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> TakeoverSession:
    """Set new quantities (0 removes the line) or configuration on cart lines."""
    _check_changes(changes)

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
                    metadata_list=_metadata_list(change.metadata or {}),
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
            checkout, variants, data, lines_index=index, replace=True, manager=manager
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
    with takeover.session_unit(session_id, staff, settings) as unit:
        existing = list(
            CheckoutLine.objects.filter(checkout_id=unit.checkout.pk)
            .select_related("variant__product")
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
) -> None:
    site = Site.objects.get_current()
    checkout_info = fetch_checkout_info(checkout, [], manager)
    existing_info, _ = fetch_checkout_lines(
        checkout, skip_lines_with_unavailable_variants=False
    )
    variant_list = list(variants.values())
    try:
        to_check, quantities = compat.get_variants_and_total_quantities(
            variant_list, data, quantity_to_update_check=replace
        )
        compat.check_lines_quantity(
            to_check,
            quantities,
            checkout.get_country(),
            checkout_info.channel.slug,
            site.settings.limit_quantity_per_checkout,
            delivery_method_info=checkout_info.get_delivery_method_info(),
            allow_zero_quantity=replace,
            existing_lines=existing_info,
            replace=replace,
            check_reservations=is_reservation_enabled(site.settings),
            **compat.stock_options(site.settings),
        )
        to_validate = {int(d.variant_id) for d in data if d.quantity and d.variant_id}
        if to_validate:
            compat.validate_variants_available_for_purchase(
                to_validate, checkout.channel_id
            )
            compat.validate_variants_available_in_channel(
                to_validate,
                checkout.channel_id,
                CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL.value,
            )
            compat.validate_variants_are_published(to_validate, checkout.channel_id)
    except ValidationError as exc:
        raise _translate(exc, lines_index) from exc
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
    refresh_cart(checkout, manager, checkout_info)


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


_SALEOR_CODES = {
    CheckoutErrorCode.INSUFFICIENT_STOCK.value: TakeoverErrorCode.INSUFFICIENT_STOCK,
    CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT.value: TakeoverErrorCode.QUANTITY_LIMIT,
    CheckoutErrorCode.ZERO_QUANTITY.value: TakeoverErrorCode.INVALID,
}


def _translate(exc: ValidationError, lines_index: dict[str, int]) -> TakeoverError:
    """Turn Saleor's checkout errors into ours, pointing at the input line.

    Saleor names the variants at fault in `params["variants"]`, except for
    stock errors, whose variants travel on the InsufficientStock cause.
    """
    cause = exc.__cause__
    stock_variants = (
        [str(item.variant.pk) for item in cause.items]
        if isinstance(cause, InsufficientStock)
        else []
    )
    errors = (
        [error for field in exc.error_dict.values() for error in field]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    details = []
    for error in errors:
        code = _SALEOR_CODES.get(error.code or "", TakeoverErrorCode.NOT_AVAILABLE)
        variant_ids = (
            stock_variants
            if error.code == CheckoutErrorCode.INSUFFICIENT_STOCK.value
            else [
                graphene.Node.from_global_id(gid)[1]
                for gid in (error.params or {}).get("variants", [])
            ]
        )
        suffix = "" if code == TakeoverErrorCode.NOT_AVAILABLE else ".quantity"
        fields = [
            f"lines.{lines_index[variant_id]}{suffix}"
            for variant_id in variant_ids
            if variant_id in lines_index
        ] or ["lines"]
        details += [ErrorDetail(code, str(error.message), field) for field in fields]
    return TakeoverError.many(details)


def _variants_or_error(lines: list[NewLine]) -> dict[int, ProductVariant]:
    ids = {line.variant_id for line in lines}
    variants = {
        variant.pk: variant
        for variant in ProductVariant.objects.filter(pk__in=ids).select_related(
            "product"
        )
    }
    missing = [
        ErrorDetail(
            TakeoverErrorCode.NOT_FOUND,
            "No such product variant.",
            f"lines.{index}.variantId",
        )
        for index, line in enumerate(lines)
        if line.variant_id not in variants
    ]
    if missing:
        raise TakeoverError.many(missing)
    return variants


def _group_new_lines(
    lines: list[NewLine], existing: list[CheckoutLine]
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
                and (candidate.metadata or {}) == line.metadata
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
                metadata_list=[] if same else _metadata_list(line.metadata),
            ),
        )
        entry.quantity += line.quantity
        entry.quantity_to_update = True
    return list(grouped.values())


def _index_by_variant(lines: list[NewLine]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, line in enumerate(lines):
        index.setdefault(str(line.variant_id), position)
    return index


def _metadata_list(metadata: dict[str, str]) -> list[_MetadataItem]:
    return [_MetadataItem(key, value) for key, value in metadata.items()]


def _display_name(variant: ProductVariant | None) -> str:
    if variant is None:
        return "a deleted product"
    product = variant.product.name
    return f"{product} ({variant.name})" if variant.name else product


def _check_new_lines(lines: list[NewLine]) -> None:
    if not lines:
        raise TakeoverError(
            TakeoverErrorCode.REQUIRED, "Add at least one line.", "lines"
        )
    details = []
    for index, line in enumerate(lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"The quantity must be from 1 to {MAX_QUANTITY}.",
                    f"lines.{index}.quantity",
                )
            )
        details += _check_metadata(line.metadata, f"lines.{index}.metadata")
    if details:
        raise TakeoverError.many(details)


def _check_changes(changes: list[LineChange]) -> None:
    if not changes:
        raise TakeoverError(
            TakeoverErrorCode.REQUIRED, "Change at least one line.", "lines"
        )
    details = []
    seen: set[uuid.UUID] = set()
    for index, change in enumerate(changes):
        if change.line_id in seen:
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.DUPLICATED_INPUT,
                    "This line is named twice.",
                    f"lines.{index}.lineId",
                )
            )
        seen.add(change.line_id)
        if change.quantity is None and change.metadata is None:
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.REQUIRED,
                    "Give a new quantity or configuration.",
                    f"lines.{index}",
                )
            )
        if change.quantity is not None and not 0 <= change.quantity <= MAX_QUANTITY:
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"The quantity must be from 0 (remove) to {MAX_QUANTITY}.",
                    f"lines.{index}.quantity",
                )
            )
        details += _check_metadata(change.metadata or {}, f"lines.{index}.metadata")
    if details:
        raise TakeoverError.many(details)


def _check_metadata(metadata: dict[str, str], field_name: str) -> list[ErrorDetail]:
    problems = []
    if len(metadata) > MAX_LINE_METADATA_ITEMS:
        problems.append(f"at most {MAX_LINE_METADATA_ITEMS} configuration entries")
    for key, value in metadata.items():
        if not key.strip():
            problems.append("configuration names may not be empty")
        elif len(key) > MAX_LINE_METADATA_KEY_LENGTH or _CONTROL_CHARS.search(key):
            problems.append(
                f"configuration names are at most {MAX_LINE_METADATA_KEY_LENGTH} printable "
                "characters"
            )
        if len(value) > MAX_LINE_METADATA_VALUE_LENGTH or _CONTROL_CHARS.search(value):
            problems.append(
                f"configuration values are at most {MAX_LINE_METADATA_VALUE_LENGTH} characters "
                "without control characters"
            )
    return [
        ErrorDetail(
            TakeoverErrorCode.INVALID, f"Invalid configuration: {p}.", field_name
        )
        for p in dict.fromkeys(problems)
    ]
