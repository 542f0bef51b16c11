""" "Add Items to Order": make the draft mirror the shopper's cart.

Each cart line becomes a draft line with the same variant, quantity and line
metadata. Copying again updates what was copied before and removes what left
the cart; lines staff added to the draft themselves are left alone. The whole
copy is one transaction whose query count does not grow with the cart.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone
from prices import TaxedMoney
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.graphql.order.mutations.utils import call_event_by_order_status
from saleor.order import events as order_events
from saleor.order.calculations import refresh_order_base_prices_and_discounts
from saleor.order.models import Order, OrderLine
from saleor.order.search import update_order_search_vector
from saleor.order.utils import (
    calculate_draft_order_line_price_expiration_date,
    invalidate_order_prices,
    recalculate_order_weight,
)
from saleor.plugins.manager import PluginsManager
from saleor.product.models import (
    ProductVariant,
    ProductVariantChannelListing,
    VariantChannelListingPromotionRule,
)
from saleor.tax.utils import get_tax_class_kwargs_for_order_line

from . import audit, pickup_contacts
from .config import TakeoverSettings
from .errors import ErrorDetail, TakeoverError, TakeoverErrorCode
from .models import CopiedLine, TakeoverEventType, TakeoverSession
from .takeover import ensure_active, lock_active, touch


@dataclass(frozen=True)
class CopyResult:
    added: int
    updated: int
    removed: int
    unchanged: int


def copy_cart_to_draft(
    session_id: int,
    staff: User,
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
) -> tuple[TakeoverSession, CopyResult]:
    ensure_active(session_id)
    with transaction.atomic():
        session = lock_active(session_id, staff)
        draft = (
            Order.objects.select_for_update(of=("self",))
            .select_related("channel", "user", "billing_address", "shipping_address")
            .get(pk=session.draft_order_id)
        )
        checkout = (
            Checkout.objects.select_for_update(of=("self",))
            .select_related("collection_point__address", "metadata_storage")
            .filter(pk=session.checkout_token)
            .first()
        )
        if checkout is None:
            raise TakeoverError(
                TakeoverErrorCode.CHECKOUT_GONE,
                "The shopper's cart no longer exists.",
                "sessionId",
            )
        cart_lines = _cart_lines(checkout, draft)
        _check_copyable(cart_lines, draft)

        copies = {
            copy.checkout_line_id: copy
            for copy in CopiedLine.objects.filter(
                order_line__order_id=draft.pk
            ).select_related("order_line")
        }
        expire_at = calculate_draft_order_line_price_expiration_date(
            draft.channel, draft.status
        )
        new_lines: list[tuple[CheckoutLine, OrderLine]] = []
        changed: list[tuple[OrderLine, int]] = []
        changed_pairs: list[tuple[CheckoutLine, OrderLine]] = []
        changed_copies: list[CopiedLine] = []
        unchanged = 0
        for cart_line in cart_lines:
            copy = copies.pop(cart_line.pk, None)
            if copy is None:
                new_lines.append(
                    (cart_line, _new_order_line(draft, cart_line, expire_at))
                )
                continue
            order_line = copy.order_line
            metadata = cart_line.metadata or {}
            if order_line.quantity == cart_line.quantity and (
                order_line.metadata == metadata
            ):
                unchanged += 1
                continue
            changed.append((order_line, order_line.quantity))
            changed_pairs.append((cart_line, order_line))
            _set_quantity(order_line, cart_line.quantity)
            order_line.metadata = metadata
            copy.quantity = cart_line.quantity
            changed_copies.append(copy)
        # What is left was copied before but has left the cart since.
        gone = [copy.order_line for copy in copies.values()]

        created = OrderLine.objects.bulk_create([line for _, line in new_lines])
        CopiedLine.objects.bulk_create(
            CopiedLine(
                order_line=order_line,
                session=session,
                checkout_line_id=cart_line.pk,
                quantity=cart_line.quantity,
            )
            for cart_line, order_line in new_lines
        )
        if changed:
            OrderLine.objects.bulk_update(
                [line for line, _ in changed],
                [
                    "quantity",
                    "metadata",
                    "total_price_net_amount",
                    "total_price_gross_amount",
                    "undiscounted_total_price_net_amount",
                    "undiscounted_total_price_gross_amount",
                ],
            )
            CopiedLine.objects.bulk_update(changed_copies, ["quantity"])
        if gone:
            OrderLine.objects.filter(pk__in=[line.pk for line in gone]).delete()
        priced = [(cart_line, line) for cart_line, line in new_lines] + changed_pairs
        if _needs_saleor_pricing(draft, priced):
            # Saleor's own bulk pricing of draft lines (catalogue promotions,
            # vouchers, manual discounts), as `orderLinesCreate` would give them.
            refresh_order_base_prices_and_discounts(
                draft, [line.pk for _, line in priced]
            )
        result = CopyResult(
            added=len(created),
            updated=len(changed),
            removed=len(gone),
            unchanged=unchanged,
        )
        _record_order_events(draft, staff, created, changed, gone)
        _save_draft(draft, manager, pickup_contacts.copy_to_order(checkout, draft))

        session.last_copied_at = timezone.now()
        touch(session, settings, "last_copied_at")
        audit.record(
            session,
            TakeoverEventType.COPIED,
            staff,
            note=f"Cart takeover: {staff.email} added the cart's items to this order "
            f"({result.added} added, {result.updated} changed, {result.removed} "
            "removed).",
            added=result.added,
            updated=result.updated,
            removed=result.removed,
        )
    return session, result


def _cart_lines(checkout: Checkout, draft: Order) -> list[CheckoutLine]:
    listings = ProductVariantChannelListing.objects.filter(
        channel_id=draft.channel_id
    ).annotate(
        has_promotions=Exists(
            VariantChannelListingPromotionRule.objects.filter(
                variant_channel_listing_id=OuterRef("pk")
            )
        )
    )
    return list(
        CheckoutLine.objects.filter(checkout_id=checkout.pk)
        .select_related(
            "variant__product__product_type__tax_class",
            "variant__product__tax_class",
        )
        .prefetch_related(
            Prefetch("variant__channel_listings", queryset=listings),
            "variant__translations",
            "variant__product__translations",
        )
        .order_by("created_at", "id")
    )


def _check_copyable(cart_lines: list[CheckoutLine], draft: Order) -> None:
    """The cart passed Saleor's checkout checks; the draft needs a price too."""
    if not cart_lines:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            "The cart is empty: add items to it before adding them to the order.",
            "sessionId",
        )
    problems = []
    for index, line in enumerate(cart_lines):
        listing = _listing(line.variant)
        if listing is None or listing.price_amount is None:
            problems.append(
                ErrorDetail(
                    TakeoverErrorCode.NOT_AVAILABLE,
                    f"{line.variant} has no price in channel {draft.channel.slug}; "
                    "remove it from the cart first.",
                    f"lines.{index}",
                )
            )
    if problems:
        raise TakeoverError.many(problems)


def _needs_saleor_pricing(
    draft: Order, priced: list[tuple[CheckoutLine, OrderLine]]
) -> bool:
    """Whether anything but the plain listing price applies to these lines.

    Lines are built at their listing price already; Saleor's repricing (a dozen
    queries) is only needed for promotions, vouchers and manual discounts.
    """
    return bool(priced) and (
        draft.voucher_id is not None
        or any(getattr(_listing(c.variant), "has_promotions", False) for c, _ in priced)
        or any(line.unit_discount_amount for _, line in priced)
    )


def _listing(variant: ProductVariant) -> ProductVariantChannelListing | None:
    listings = list(variant.channel_listings.all())
    return listings[0] if listings else None


def _translated(instance, language_code: str) -> str:
    for translation in instance.translations.all():
        if translation.language_code == language_code and translation.name:
            return "" if translation.name == str(instance) else translation.name
    return ""


def _new_order_line(
    draft: Order, cart_line: CheckoutLine, expire_at: datetime | None
) -> OrderLine:
    """Build the line Saleor's `create_order_line` would, without a query per line.

    Catalogue promotions are applied afterwards, in bulk, by Saleor's
    `refresh_order_base_prices_and_discounts`.
    """
    variant = cart_line.variant
    product = variant.product
    listing = _listing(variant)
    base_price = variant.get_base_price(listing)
    unit_price = TaxedMoney(net=base_price, gross=base_price)
    tax_class = product.tax_class or product.product_type.tax_class
    return OrderLine(
        order=draft,
        variant=variant,
        product_name=str(product),
        variant_name=str(variant),
        translated_product_name=_translated(product, draft.language_code),
        translated_variant_name=_translated(variant, draft.language_code),
        product_sku=variant.sku,
        product_variant_id=variant.get_global_id(),
        is_shipping_required=variant.is_shipping_required(),
        product_type_id=product.product_type_id,
        is_gift_card=variant.is_gift_card(),
        quantity=cart_line.quantity,
        currency=draft.currency,
        unit_price=unit_price,
        undiscounted_unit_price=unit_price,
        base_unit_price=base_price,
        undiscounted_base_unit_price=base_price,
        total_price=unit_price * cart_line.quantity,
        undiscounted_total_price=unit_price * cart_line.quantity,
        is_price_overridden=False,
        draft_base_price_expire_at=expire_at,
        metadata=dict(cart_line.metadata or {}),
        **get_tax_class_kwargs_for_order_line(tax_class),
    )


def _set_quantity(line: OrderLine, quantity: int) -> None:
    line.quantity = quantity
    line.total_price = line.unit_price * quantity
    line.undiscounted_total_price = line.undiscounted_unit_price * quantity


def _record_order_events(
    draft: Order,
    staff: User,
    created: list[OrderLine],
    changed: list[tuple[OrderLine, int]],
    gone: list[OrderLine],
) -> None:
    """Saleor's own "products added/removed" events, as orderLinesCreate leaves."""
    if created:
        order_events.order_added_products_event(
            order=draft, user=staff, app=None, order_lines=created
        )
    grown = [line for line, before in changed if line.quantity > before]
    shrunk = [line for line, before in changed if line.quantity < before]
    if grown:
        order_events.order_added_products_event(
            order=draft, user=staff, app=None, order_lines=grown
        )
    if shrunk or gone:
        order_events.order_removed_products_event(
            order=draft, user=staff, app=None, order_lines=[*shrunk, *gone]
        )


def _save_draft(draft: Order, manager: PluginsManager, changed: list[str]) -> None:
    """What Saleor's draft line mutations do once the lines are written."""
    prefetch_related_objects(
        [draft],
        Prefetch(
            "lines",
            queryset=OrderLine.objects.select_related("variant__product__product_type"),
        ),
    )
    invalidate_order_prices(draft)
    recalculate_order_weight(draft)
    update_order_search_vector(draft, save=False)
    draft.lines_count = len(draft.lines.all())
    draft.save(
        update_fields=[
            "should_refresh_prices",
            "weight",
            "search_vector",
            "updated_at",
            "lines_count",
            *changed,
        ]
    )
    call_event_by_order_status(draft, manager)
