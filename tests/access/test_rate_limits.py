"""How often a rep may look up cart codes and start takeovers.

Regression tests from the hardening issue (#15): each failed before its fix.
"""

from freezegun import freeze_time
from saleor.account.models import User
from saleor.checkout.models import Checkout

from saleor_cart_takeover.models import TakeoverSession

from ..clients import TakeoverClient
from ..operations import END, START, create_draft, operation
from ..storefront import Shopper

CART_BY_CODE = operation("plugin/CartByCode")


# Rate-limit windows are fixed slices of the clock; a test running across a
# slice's end would see its count reset. Time stands still in the middle of one
# (10-minute and hourly slices alike), and the tokens are minted inside it.
MID_WINDOW = "2026-01-01 12:35:00"


def test_code_lookups_are_rate_limited_per_caller_and_per_code_and_audited(
    csr_client, other_csr_client, csr, channel_USD, shop
):
    from django.core.cache import cache

    from saleor_cart_takeover.access import rate_limits
    from saleor_cart_takeover.models import CodeLookup

    cache.clear()
    with freeze_time(MID_WINDOW):
        rep = TakeoverClient(csr_client.user)
        other_rep = TakeoverClient(other_csr_client.user)
        codes = [f"{i:08X}" for i in range(rate_limits.CODE_LOOKUPS_PER_CALLER.limit)]
        for code in codes:
            answer = rep.post(CART_BY_CODE, {"code": code})
            assert answer.data["cartByCode"] is None
        refused = rep.post(CART_BY_CODE, {"code": "FFFFFFFF"})
        assert refused.error_codes == ["RATE_LIMITED"]
        # Another rep is not held back by the first one's lookups...
        assert other_rep.post(CART_BY_CODE, {"code": "EEEEEEEE"}).status == 200
        # ...but one cart's code cannot be tried over and over by many reps.
        per_code = rate_limits.LOOKUPS_PER_CODE.limit
        for _ in range(per_code - 1):
            other_rep.post(CART_BY_CODE, {"code": "EEEEEEEE"})
        assert other_rep.post(CART_BY_CODE, {"code": "eeee-eeee"}).error_codes == [
            "RATE_LIMITED"
        ]
    # Every lookup left a trace, refused ones included.
    assert CodeLookup.objects.filter(user=csr).count() == len(codes) + 1
    assert CodeLookup.objects.filter(
        user=csr, found=False, refused=False
    ).count() == len(codes)
    assert CodeLookup.objects.filter(user=csr, refused=True).count() == 1
    cache.clear()


def test_repeated_starts_cannot_keep_a_shoppers_cart_blocked(
    csr_client, other_csr_client, csr, customer_user, channel_USD, shop
):
    """Counted per cart however the rep names it: here by the draft alone, the
    way "View user's cart" starts, which names no cart at all."""
    from django.core.cache import cache

    from saleor_cart_takeover.access import rate_limits

    cache.clear()
    with freeze_time(MID_WINDOW):
        rep = TakeoverClient(csr_client.user)
        other_rep = TakeoverClient(other_csr_client.user)
        shopper = Shopper(customer_user)
        cart = shopper.create_cart(channel_USD.slug, [(shop[0], 1)])
        draft_id = create_draft(csr, channel_USD, user=customer_user)
        for _ in range(rate_limits.STARTS_PER_CART.limit):
            session = rep.post(START, {"draft": draft_id}).payload("takeoverStart")
            rep.post(END, {"session": session["session"]["id"]}).payload("takeoverEnd")

        for caller in (rep, other_rep):
            other_draft = create_draft(csr, channel_USD, user=customer_user)
            refused = caller.post(START, {"draft": other_draft}).result("takeoverStart")
            assert refused["session"] is None
            assert [(e["field"], e["code"]) for e in refused["errors"]] == [
                ("cartId", "RATE_LIMITED")
            ]
        # Nothing was opened, so nothing blocks the shopper's checkout...
        assert not TakeoverSession.objects.filter(
            status__in=["active", "pending"]
        ).exists()
        assert not Checkout.objects.get(pk=cart["token"]).metadata_storage.metadata.get(
            "cart_takeover.active"
        )
        # ...and the rep can still help the next shopper (a new cart).
        next_shopper = User.objects.create(email="next@example.com", is_active=True)
        fresh = create_draft(csr, channel_USD, user=next_shopper)
        rep.post(START, {"draft": fresh}).payload("takeoverStart")
    cache.clear()
