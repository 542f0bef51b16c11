"""Configured line options: what a product type's lines may carry as configuration.

A merchant declares them in the product type's public metadata under
`cart_takeover.line_options`, as a JSON list of
`{"key", "label", "type": "text"|"choice", "required", "maxLength", "choices"}`.
Storefronts read the same declaration through Saleor's API; option values
travel as checkout line metadata under their `key`.

The declaration is merchant input: a broken one is reported as an error that
names the product type, never a crash.
"""

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..const import (
    LINE_OPTIONS_KEY,
    MAX_LINE_METADATA_VALUE_LENGTH,
    MAX_LINE_OPTION_CHOICES,
    MAX_LINE_OPTION_KEY_LENGTH,
    MAX_LINE_OPTIONS,
    RESERVED_KEY_PREFIX,
)
from ..errors import ErrorDetail, TakeoverErrorCode

if TYPE_CHECKING:
    from saleor.checkout.fetch import CheckoutLineInfo
    from saleor.product.models import ProductType

logger = logging.getLogger(__name__)

TEXT = "text"
CHOICE = "choice"
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LineOption:
    key: str
    label: str
    type: str
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()

    @property
    def limit(self) -> int:
        return self.max_length or MAX_LINE_METADATA_VALUE_LENGTH


class DeclarationError(Exception):
    """The merchant's declaration cannot be used; the message says why."""


def parse_declaration(raw: Any) -> list[LineOption]:
    """Read and check a declaration (the metadata value, a JSON string)."""
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DeclarationError(f"it is not valid JSON ({exc.msg}).") from exc
    else:
        data = raw
    if not isinstance(data, list):
        raise DeclarationError("it must be a JSON list of options.")
    if len(data) > MAX_LINE_OPTIONS:
        raise DeclarationError(f"it declares more than {MAX_LINE_OPTIONS} options.")
    options: list[LineOption] = []
    for index, item in enumerate(data):
        option = _parse_option(item, f"option {index + 1}")
        if any(existing.key == option.key for existing in options):
            raise DeclarationError(f"the key {option.key!r} is declared twice.")
        options.append(option)
    return options


def _parse_option(item: Any, where: str) -> LineOption:
    if not isinstance(item, dict):
        raise DeclarationError(f"{where} must be an object.")
    key = item.get("key")
    if not isinstance(key, str) or not key.strip():
        raise DeclarationError(f"{where} needs a non-empty string 'key'.")
    if len(key) > MAX_LINE_OPTION_KEY_LENGTH or _CONTROL_CHARS.search(key):
        raise DeclarationError(
            f"{where}: 'key' must be at most {MAX_LINE_OPTION_KEY_LENGTH} printable characters."
        )
    if key.startswith(RESERVED_KEY_PREFIX):
        raise DeclarationError(
            f"{where}: keys starting with {RESERVED_KEY_PREFIX!r} are the plugin's own."
        )
    where = f"option {key!r}"
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise DeclarationError(f"{where} needs a non-empty string 'label'.")
    kind = item.get("type")
    if kind not in (TEXT, CHOICE):
        raise DeclarationError(f"{where}: 'type' must be {TEXT!r} or {CHOICE!r}.")
    required = item.get("required", False)
    if not isinstance(required, bool):
        raise DeclarationError(f"{where}: 'required' must be true or false.")
    max_length = item.get("maxLength")
    if max_length is not None and (
        isinstance(max_length, bool)
        or not isinstance(max_length, int)
        or not 1 <= max_length <= MAX_LINE_METADATA_VALUE_LENGTH
    ):
        raise DeclarationError(
            f"{where}: 'maxLength' must be a whole number from 1 to {MAX_LINE_METADATA_VALUE_LENGTH}."
        )
    choices = item.get("choices")
    if kind == CHOICE:
        if (
            not isinstance(choices, list)
            or not choices
            or len(choices) > MAX_LINE_OPTION_CHOICES
            or not all(isinstance(c, str) and c.strip() for c in choices)
        ):
            raise DeclarationError(
                f"{where}: a choice needs 'choices', a list of 1 to {MAX_LINE_OPTION_CHOICES} "
                "non-empty strings."
            )
        if len(set(choices)) != len(choices):
            raise DeclarationError(f"{where}: 'choices' lists a value twice.")
        if any(
            len(c) > (max_length or MAX_LINE_METADATA_VALUE_LENGTH) for c in choices
        ):
            raise DeclarationError(f"{where}: a choice is longer than 'maxLength'.")
    elif choices is not None:
        raise DeclarationError(f"{where}: only 'choice' options have 'choices'.")
    return LineOption(
        key=key,
        label=label.strip(),
        type=kind,
        required=required,
        max_length=max_length,
        choices=tuple(choices or ()),
    )


def declared_options(product_type: "ProductType") -> list[LineOption] | None:
    """The product type's options, or None when it declares none (free notes).

    Raises `DeclarationError` when the declaration is broken.
    """
    raw = (product_type.metadata or {}).get(LINE_OPTIONS_KEY)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_declaration(raw)
    except DeclarationError as exc:
        raise DeclarationError(
            f"The line options of product type {product_type.name!r} "
            f"({LINE_OPTIONS_KEY}) cannot be used: {exc} Ask the merchant to fix "
            "the product type's metadata."
        ) from exc


def check_values(
    options: list[LineOption],
    given: Mapping[str, str],
    resulting: Mapping[str, str],
    field_prefix: str,
) -> list[ErrorDetail]:
    """Errors of a rep's configuration against the declaration.

    `given` is what the request sets; `resulting` is the line's configuration
    afterwards (equal to `given` for a new line), which must hold every
    required option.
    """
    by_key = {option.key: option for option in options}
    details = []
    for key, value in given.items():
        option = by_key.get(key)
        field = f"{field_prefix}.{key}"
        if option is None:
            known = ", ".join(repr(o.key) for o in options)
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"{key!r} is not an option of this product (options: {known}).",
                    field,
                )
            )
            continue
        problem = value_problem(option, value)
        if problem:
            details.append(ErrorDetail(TakeoverErrorCode.INVALID, problem, field))
    for option in options:
        if option.required and not (resulting.get(option.key) or "").strip():
            details.append(
                ErrorDetail(
                    TakeoverErrorCode.REQUIRED,
                    f"{option.label} is required.",
                    f"{field_prefix}.{option.key}",
                )
            )
    return details


def value_problem(option: LineOption, value: str) -> str | None:
    """Why one non-missing value breaks its option, if it does."""
    if not value:
        return None  # a missing value is only a problem for required options
    if option.type == CHOICE and value not in option.choices:
        return (
            f"{option.label} must be one of: "
            + ", ".join(repr(choice) for choice in option.choices)
            + "."
        )
    if len(value) > option.limit:
        return f"{option.label} is at most {option.limit} characters."
    return None


def checkout_problems(lines: Iterable["CheckoutLineInfo"]) -> list[str]:
    """What keeps a storefront's lines from being placed as an order.

    Works on the line infos Saleor already loaded for checkout completion
    (product types included), so it costs no query. Keys a declaration does not
    name are left alone: other apps keep their own line metadata. A broken
    declaration is the merchant's mistake, not the shopper's: it is logged and
    not enforced.
    """
    problems = []
    parsed: dict[int, list[LineOption] | None] = {}
    for number, info in enumerate(lines, start=1):
        product_type = info.product_type
        if product_type.pk not in parsed:
            try:
                parsed[product_type.pk] = declared_options(product_type)
            except DeclarationError as exc:
                logger.warning("Cart takeover: %s", exc)
                parsed[product_type.pk] = None
        options = parsed[product_type.pk]
        if not options:
            continue
        values = info.line.metadata or {}
        name = str(info.variant.product)
        if info.variant.name:
            name += f" ({info.variant.name})"
        for option in options:
            value = str(values.get(option.key) or "")
            if option.required and not value.strip():
                problems.append(f"Line {number}, {name}: {option.label} is required.")
                continue
            problem = value_problem(option, value)
            if problem:
                problems.append(f"Line {number}, {name}: {problem}")
    return problems
