"""The periodic clean-up: one function for the beat task and `cart_takeover expire`.

Order matters: a session whose cart became an order while its reconciliation
failed must be completed (its draft retired) before the stale-session sweep
sees "the cart is gone" and ends it.
"""

import logging
from dataclasses import asdict, dataclass

from ..checkout.reconciliation import retry_unreconciled
from ..config import load_settings
from .closing import close_stale_sessions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExpiryResult:
    reconciled: int
    closed: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def expire_sessions() -> ExpiryResult:
    """Retry failed reconciliations, then close idle and orphaned sessions."""
    result = ExpiryResult(
        reconciled=retry_unreconciled(load_settings()),
        closed=close_stale_sessions(),
    )
    if result.reconciled or result.closed:
        logger.info(
            "Cart takeover expiry: completed %d session(s) whose order was placed, "
            "closed %d idle or orphaned session(s)",
            result.reconciled,
            result.closed,
        )
    return result
