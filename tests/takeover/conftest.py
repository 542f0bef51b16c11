"""Fixtures shared by the takeover tests (test_draft_copy.py, test_draft_lines.py,
test_session.py, test_expiry.py)."""

import pytest
from saleor.order.models import Order

from ..builders import create_draft
from ..ids import pk_of
from ..operations import START
from ..storefront import Shopper


@pytest.fixture
def started(csr_client, csr, customer_user, channel_USD, shop):
    """A takeover of the customer's cart (2 of `shop[0]`), started from their
    draft; modules with their own `started` override it."""
    Shopper(customer_user).create_cart(channel_USD.slug, [(shop[0], 2)])
    draft_id = create_draft(csr, channel_USD, user=customer_user)
    session = csr_client.post(START, {"draft": draft_id}).payload("takeoverStart")[
        "session"
    ]
    return session, Order.objects.get(pk=pk_of(draft_id))
