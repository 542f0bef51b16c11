"""Draft order lines built from cart lines, as Saleor builds them, in bulk.

A fork of Saleor's `create_order_line` (one line, several queries each):
"Add Items to Order" copies up to hundreds of lines in one request, and the
benchmark (benchmarks/, "Add Items to Order vs orderLinesCreate") needs the
query count to stay flat. Prices, names, translations and tax classes are
taken as `create_order_line` takes them; promotions, vouchers and manual
discounts are left to Saleor's own repricing (`needs_saleor_pricing`).
"""

from datetime import datetime

from django.conf import settings as django_settings
from django.db.models import Exists, OuterRef, Prefetch
from prices import TaxedMoney
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.order.models import Order, OrderLine
from saleor.product.models import (
    Product,
    ProductVariant,
    ProductVariantChannelListing,
    VariantChannelListingPromotionRule,
)
from saleor.tax.utils import get_tax_class_kwargs_for_order_line

from ..checkout import reserved_metadata


def cart_lines(checkout: Checkout, draft: Order) -> list[CheckoutLine]:
    listings = ProductVariantChannelListing.objects.filter(
        channel_id=draft.channel_id
    ).annotate(
        has_promotions=Exists(
            VariantChannelListingPromotionRule.objects.filter(
                variant_channel_listing_id=OuterRef("pk")
            )
        )
    )
    prefetch: list[str | Prefetch] = [
        Prefetch("variant__channel_listings", queryset=listings)
    ]
    if draft.language_code != django_settings.LANGUAGE_CODE:
        # Names in the customer's language, as `create_order_line` stores them;
        # catalogues hold no translations into their own default language.
        prefetch += ["variant__translations", "variant__product__translations"]
    return list(
        # Promotion gifts are Saleor's: the draft gets its own from the same
        # promotion when Saleor prices it; copied, they would be full-price lines.
        CheckoutLine.objects.filter(checkout_id=checkout.pk, is_gift=False)
        .select_related(
            "variant__product__product_type__tax_class",
            "variant__product__tax_class",
        )
        .prefetch_related(*prefetch)
        .order_by("created_at", "id")
    )


def needs_saleor_pricing(
    draft: Order, priced: list[tuple[CheckoutLine, OrderLine]]
) -> bool:
    """Whether anything but the plain listing price applies to these lines.

    Lines are built at their listing price already; Saleor's repricing (a dozen
    queries) is only needed for promotions, vouchers and manual discounts.
    """
    return bool(priced) and (
        draft.voucher_id is not None
        or any(getattr(listing(c.variant), "has_promotions", False) for c, _ in priced)
        or any(line.unit_discount_amount for _, line in priced)
    )


def listing(variant: ProductVariant) -> ProductVariantChannelListing | None:
    listings = list(variant.channel_listings.all())
    return listings[0] if listings else None


def translated(instance: Product | ProductVariant, language_code: str) -> str:
    if language_code == django_settings.LANGUAGE_CODE:
        return ""  # see cart_lines: nothing to look up
    for translation in instance.translations.all():
        if translation.language_code == language_code and translation.name:
            return "" if translation.name == str(instance) else translation.name
    return ""


def new_order_line(
    draft: Order, cart_line: CheckoutLine, expire_at: datetime | None
) -> OrderLine:
    """Build the line Saleor's `create_order_line` would, without a query per line.

    Catalogue promotions are applied afterwards, in bulk, by Saleor's
    `refresh_order_base_prices_and_discounts`.
    """
    variant = cart_line.variant
    product = variant.product
    base_price = variant.get_base_price(listing(variant))
    unit_price = TaxedMoney(net=base_price, gross=base_price)
    tax_class = product.tax_class or product.product_type.tax_class
    return OrderLine(
        order=draft,
        variant=variant,
        product_name=str(product),
        variant_name=str(variant),
        translated_product_name=translated(product, draft.language_code),
        translated_variant_name=translated(variant, draft.language_code),
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
        # Reserved keys a storefront forged stay out of the draft and the order.
        metadata=reserved_metadata.line_metadata(cart_line),
        private_metadata=dict(cart_line.private_metadata or {}),
        **get_tax_class_kwargs_for_order_line(tax_class),
    )


def set_quantity(line: OrderLine, quantity: int) -> None:
    line.quantity = quantity
    line.total_price = line.unit_price * quantity
    line.undiscounted_total_price = line.undiscounted_unit_price * quantity
