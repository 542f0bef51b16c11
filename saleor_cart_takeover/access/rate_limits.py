"""How often a rep may try cart codes and start takeovers.

Counters live in Django's cache, so the limits hold across workers and hosts
when the cache is shared (Saleor's CACHE_URL: Redis in production; `checks.py`
warns when it is not). Fixed windows: `cache.add` starts a window, `cache.incr`
counts atomically; across a window's edge a caller can make up to twice the
limit (docs/SECURITY.md). An attempt that cannot be counted is refused.
"""

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache

from ..errors import TakeoverError, TakeoverErrorCode

if TYPE_CHECKING:
    from saleor.account.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window_seconds: int


# A rep on the phone tries a code or two per shopper; 30 per 10 minutes leaves
# room for typos and makes sweeping the 16^8 code space hopeless (SECURITY.md).
CODE_LOOKUPS_PER_CALLER = Limit("lookup-caller", 30, 600)
# However many reps try it, one code is looked up at most this often.
LOOKUPS_PER_CODE = Limit("lookup-code", 10, 600)
STARTS_PER_CALLER = Limit("start-caller", 30, 600)
# Repeated starts must not keep one shopper's checkout blocked for ever.
STARTS_PER_CART = Limit("start-cart", 10, 3600)


def window_key(limit: Limit, key: str | int) -> str:
    """The cache key counting `key`'s attempts in the current window."""
    window = int(time.time() // limit.window_seconds)
    return f"cart_takeover:rate:{limit.name}:{key}:{window}"


def consume(limit: Limit, key: str | int, field: str | None = None) -> None:
    """Count one attempt against `limit` for `key`; refuse past the limit, and
    refuse when the attempt cannot be counted (fail closed)."""
    count = _count(limit, window_key(limit, key))
    if count is None:
        raise TakeoverError(
            TakeoverErrorCode.RATE_LIMITED,
            "Attempts cannot be counted right now, so none are allowed. "
            "Try again later.",
            field,
        )
    if count > limit.limit:
        minutes = max(1, limit.window_seconds // 60)
        raise TakeoverError(
            TakeoverErrorCode.RATE_LIMITED,
            f"Too many attempts: at most {limit.limit} in {minutes} minutes. "
            "Try again later.",
            field,
        )


def _count(limit: Limit, cache_key: str) -> int | None:
    """This attempt's number in its window, or None when the cache cannot
    count: down (Redis unreachable) or one that keeps nothing (dummy://)."""
    timeout = limit.window_seconds + 1
    try:
        # Twice: the key may be evicted between `add` and `incr` once.
        for _ in range(2):
            cache.add(cache_key, 0, timeout=timeout)
            try:
                return cache.incr(cache_key)
            except ValueError:  # no such key
                continue
    except Exception:
        # Whatever the backend raises (redis.ConnectionError, OSError, ...).
        logger.exception("Cart takeover: rate limit %s: the cache failed", limit.name)
        return None
    logger.error(
        "Cart takeover: rate limit %s: the cache keeps no counters (dummy cache?)",
        limit.name,
    )
    return None


def consume_code_lookup(user: "User", code: str) -> None:
    """Count a cart-code lookup against the rep and the code; a refused one
    is audited here, since it never reaches the lookup."""
    from .. import audit

    try:
        consume(CODE_LOOKUPS_PER_CALLER, user.pk, "cartCode")
        consume(LOOKUPS_PER_CODE, code, "cartCode")
    except TakeoverError:
        audit.record_code_lookup(user, code, found=False, refused=True)
        raise
