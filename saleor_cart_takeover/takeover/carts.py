"""Finding and reading shoppers' carts (Saleor checkouts). Reads only."""

import re
import uuid
from collections.abc import Iterable

import graphene
from django.db.models import Prefetch, QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac
from saleor.checkout.models import Checkout, CheckoutLine

from ..const import CART_CODE_LENGTH
from ..errors import TakeoverError, TakeoverErrorCode

CART_ID_TYPE = "Cart"
_CART_ID_SALT = "saleor_cart_takeover.cart_id"
_CODE_RE = re.compile(rf"^[0-9A-F]{{{CART_CODE_LENGTH}}}$")
_TAG_RE = re.compile(r"^[0-9a-f]{32}$")


def cart_code(token: uuid.UUID | str) -> str:
    """The short code a shopper reads out: the token's first 8 hex digits."""
    digits = str(token).replace("-", "")[:CART_CODE_LENGTH].upper()
    return f"{digits[:4]}-{digits[4:]}"


def normalize_code(code: str) -> str:
    """Accept `abcd-1234`, `ABCD1234`, ` abcd 1234 `; reject anything else."""
    compact = re.sub(r"[\s-]", "", code or "").upper()
    if not _CODE_RE.match(compact):
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            "A cart code is 8 letters and digits (0-9, A-F), like 1A2B-3C4D.",
            "cartCode",
        )
    return compact


def checkouts_with_lines() -> QuerySet[Checkout]:
    """Checkouts with everything a cart view shows, in a fixed number of queries."""
    lines = CheckoutLine.objects.select_related("variant__product").order_by(
        "created_at", "id"
    )
    return Checkout.objects.select_related(
        "channel", "user", "metadata_storage", "collection_point", "billing_address"
    ).prefetch_related(Prefetch("lines", queryset=lines))


def find_by_code(code: str, channel_ids: Iterable[int] | None = None) -> Checkout:
    """The one cart whose token starts with the code.

    UUIDs sort by their hexadecimal digits, so the code maps to an index range
    scan on the checkout's primary key.
    """
    compact = normalize_code(code)
    low = uuid.UUID(compact + "0" * 24)
    high = uuid.UUID(compact + "f" * 24)
    candidates = Checkout.objects.filter(token__gte=low, token__lte=high)
    if channel_ids is not None:
        candidates = candidates.filter(channel_id__in=list(channel_ids))
    tokens = list(candidates.values_list("token", flat=True)[:2])
    if not tokens:
        raise TakeoverError(
            TakeoverErrorCode.NOT_FOUND,
            f"No cart has the code {cart_code(compact)}. Ask the shopper to read it "
            "again from their cart page.",
            "cartCode",
        )
    if len(tokens) > 1:
        raise TakeoverError(
            TakeoverErrorCode.AMBIGUOUS_CODE,
            f"More than one cart has the code {cart_code(compact)}; open the cart "
            "from the shopper's account or by its id instead.",
            "cartCode",
        )
    return checkouts_with_lines().get(token=tokens[0])


# --- Opaque cart ids ----------------------------------------------------------
# Saleor's public checkout API takes the checkout token (or `Checkout:<token>`)
# as the shopper's credential, so reps never see it. A cart is named by
# `Cart:<masked code>.<tag>`: a keyed tag of the token that only this server
# can compute, and the cart's code hidden under a key derived from the tag.
# Resolving it unmasks the code, scans the code's index range and compares
# tags; nothing is stored. The code is masked because an id must not give it
# away while the code itself is hidden (a registered cart waiting for the
# shopper's consent).


def opaque_cart_id(token: uuid.UUID | str) -> str:
    compact = cart_code(token).replace("-", "")
    tag = _tag(token)
    return graphene.Node.to_global_id(CART_ID_TYPE, f"{_mask(compact, tag)}.{tag}")


def resolve_cart_id(value: str | None, field: str = "cartId") -> uuid.UUID:
    """The checkout token behind an opaque cart id; NOT_FOUND if none."""
    try:
        found_type, raw = graphene.Node.from_global_id(value or "")
    except Exception:  # graphene raises assorted errors for garbage input
        found_type, raw = None, ""
    masked, _, tag = (raw or "").partition(".")
    if (
        found_type != CART_ID_TYPE
        or not _CODE_RE.match(masked)
        or not _TAG_RE.match(tag)
    ):
        raise TakeoverError(
            TakeoverErrorCode.INVALID, "Expected an id of type Cart.", field
        )
    code = _mask(masked, tag)  # masking twice unmasks
    low, high = uuid.UUID(code + "0" * 24), uuid.UUID(code + "f" * 24)
    for token in Checkout.objects.filter(token__gte=low, token__lte=high).values_list(
        "token", flat=True
    )[:50]:
        if constant_time_compare(_tag(token), tag):
            return token
    raise TakeoverError(TakeoverErrorCode.NOT_FOUND, "No such cart.", field)


def _tag(token: uuid.UUID | str) -> str:
    return salted_hmac(_CART_ID_SALT, str(token), algorithm="sha256").hexdigest()[:32]


def _mask(code: str, tag: str) -> str:
    """XOR the 8 hex digits with a key only this server can derive from the tag."""
    key = salted_hmac(_CART_ID_SALT + ".code", tag, algorithm="sha256").hexdigest()
    width = CART_CODE_LENGTH
    return f"{int(code, 16) ^ int(key[:width], 16):0{width}X}"
