"""Checking the lines a rep asks for, before anything is written.

Two layers: the plugin's own input rules (quantities, configuration entries,
the product type's declared line options, gift lines) and the checks Saleor's
checkout line mutations run (availability, publication, channel listing,
quantity limits, stock), whose errors are translated to the input line at
fault.
"""

import re
import uuid
from dataclasses import dataclass, field

import graphene
from django.core.exceptions import ValidationError
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.checkout.fetch import (
    CheckoutInfo,
    fetch_checkout_info,
    fetch_checkout_lines,
)
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.core.exceptions import InsufficientStock
from saleor.plugins.manager import PluginsManager
from saleor.product.models import ProductVariant
from saleor.site.models import Site
from saleor.warehouse.reservations import is_reservation_enabled

from .. import compat
from ..const import (
    MAX_LINE_METADATA_ITEMS,
    MAX_LINE_METADATA_KEY_LENGTH,
    MAX_LINE_METADATA_VALUE_LENGTH,
    MAX_QUANTITY,
    RESERVED_KEY_PREFIX,
)
from ..errors import ErrorDetail, TakeoverError, TakeoverErrorCode
from . import options as line_options

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


def refuse_gifts(lines: list[CheckoutLine], field: str) -> None:
    """Promotion gift lines follow the promotion, as Saleor's checkout line
    mutations refuse to change them."""
    gifts = [
        ErrorDetail(
            TakeoverErrorCode.INVALID,
            "This is a promotion's gift; it follows the promotion and cannot be "
            "changed.",
            field.format(index),
        )
        for index, line in enumerate(lines)
        if line.is_gift
    ]
    if gifts:
        raise TakeoverError.many(gifts)


def saleor_checks(
    checkout: Checkout,
    variant_list: list[ProductVariant],
    data: list[compat.CheckoutLineData],
    *,
    replace: bool,
    manager: PluginsManager,
) -> tuple[CheckoutInfo, Site]:
    """The checks Saleor's checkout line mutations run; raises their errors."""
    site = Site.objects.get_current()
    checkout_info = fetch_checkout_info(checkout, [], manager)
    existing_info, _ = fetch_checkout_lines(
        checkout, skip_lines_with_unavailable_variants=False
    )
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
    return checkout_info, site


_SALEOR_CODES = {
    CheckoutErrorCode.INSUFFICIENT_STOCK.value: TakeoverErrorCode.INSUFFICIENT_STOCK,
    CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT.value: TakeoverErrorCode.QUANTITY_LIMIT,
    CheckoutErrorCode.ZERO_QUANTITY.value: TakeoverErrorCode.INVALID,
}


def saleor_errors(
    exc: ValidationError,
) -> list[tuple[TakeoverErrorCode, str, list[str]]]:
    """Saleor's checkout errors as (our code, message, variant pks at fault).

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
    result = []
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
        result.append((code, str(error.message), variant_ids))
    return result


def translate(exc: ValidationError, lines_index: dict[str, int]) -> TakeoverError:
    """Turn Saleor's checkout errors into ours, pointing at the input line."""
    details = []
    for code, message, variant_ids in saleor_errors(exc):
        suffix = "" if code == TakeoverErrorCode.NOT_AVAILABLE else ".quantity"
        fields = [
            f"lines.{lines_index[variant_id]}{suffix}"
            for variant_id in variant_ids
            if variant_id in lines_index
        ] or ["lines"]
        details += [ErrorDetail(code, message, field) for field in fields]
    return TakeoverError.many(details)


def variants_or_error(lines: list[NewLine]) -> dict[int, ProductVariant]:
    ids = {line.variant_id for line in lines}
    variants = {
        variant.pk: variant
        for variant in ProductVariant.objects.filter(pk__in=ids).select_related(
            "product__product_type"
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


def check_new_lines(lines: list[NewLine]) -> None:
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
        details += check_metadata(line.metadata, f"lines.{index}.metadata")
    if details:
        raise TakeoverError.many(details)


def check_changes(changes: list[LineChange]) -> None:
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
        details += check_metadata(change.metadata or {}, f"lines.{index}.metadata")
    if details:
        raise TakeoverError.many(details)


def check_metadata(metadata: dict[str, str], field_name: str) -> list[ErrorDetail]:
    problems = []
    if any(key.startswith(RESERVED_KEY_PREFIX) for key in metadata):
        problems.append(f"names starting with {RESERVED_KEY_PREFIX!r} are reserved")
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


def check_line_options(
    items: list[tuple[ProductVariant, dict[str, str] | None, dict[str, str]]],
    *,
    variant_field: str,
    indexes: list[int] | None = None,
) -> None:
    """Check each line's configuration against its product type's declaration.

    `items` holds (variant, what the request sets, the configuration after);
    product types that declare nothing keep free configuration notes.
    """
    details: list[ErrorDetail] = []
    for position, (variant, given, resulting) in enumerate(items):
        index = indexes[position] if indexes is not None else position
        try:
            options = line_options.declared_options(variant.product.product_type)
        except line_options.DeclarationError as exc:
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    str(exc),
                    f"lines.{index}.{variant_field}",
                )
            )
            continue
        if options is not None:
            details += line_options.check_values(
                options, given or {}, resulting, f"lines.{index}.metadata"
            )
    if details:
        raise TakeoverError.many(details)
