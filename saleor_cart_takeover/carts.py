"""Finding and reading shoppers' carts (Saleor checkouts). Reads only."""

import re
import uuid
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from saleor.checkout.models import Checkout, CheckoutLine

from .const import CART_CODE_LENGTH
from .errors import TakeoverError, TakeoverErrorCode

_CODE_RE = re.compile(rf"^[0-9A-F]{{{CART_CODE_LENGTH}}}$")


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
