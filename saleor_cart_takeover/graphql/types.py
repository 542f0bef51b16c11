"""GraphQL object types of the takeover API; their resolvers only read."""

from decimal import Decimal
from typing import Any

import graphene
from django.utils import timezone
from saleor.checkout.models import Checkout, CheckoutLine

from .. import errors, models
from ..lines import attribution
from ..pickup import contacts as pickup_contacts
from ..pickup import validation as pickup_contact_validation
from ..takeover import carts, report
from . import enums, resolvers


def global_id(type_name: str, pk: Any) -> str | None:
    return graphene.Node.to_global_id(type_name, pk) if pk is not None else None


class TakeoverError(graphene.ObjectType):
    field = graphene.String(
        description="The input field at fault, e.g. `lines.0.quantity`."
    )
    code = enums.TakeoverErrorCode(required=True)
    message = graphene.String(required=True)


class MetadataItem(graphene.ObjectType):
    key = graphene.String(required=True)
    value = graphene.String(required=True)


class Money(graphene.ObjectType):
    amount = graphene.Float(required=True)
    currency = graphene.String(required=True)


class PickupContact(graphene.ObjectType):
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    email = graphene.String(required=True)
    phone = graphene.String()


class PickupContacts(graphene.ObjectType):
    primary = graphene.Field(PickupContact)
    alternate = graphene.Field(PickupContact)
    is_default = graphene.Boolean(
        required=True,
        description="True when nobody was named and the shopper is the primary contact.",
    )

    @staticmethod
    def resolve_is_default(
        root: pickup_contact_validation.PickupContacts, _info: Any
    ) -> bool:
        return root.is_default


def metadata_items(metadata: dict | None) -> list[MetadataItem]:
    return [MetadataItem(key=k, value=str(v)) for k, v in (metadata or {}).items()]


class CartLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant_id = graphene.ID(required=True)
    sku = graphene.String()
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    unit_price = graphene.Field(
        Money, description="The variant's undiscounted price when it was added."
    )
    total_price = graphene.Field(Money)
    added_by_customer_service = graphene.Boolean(
        required=True,
        description="Whether a rep added or changed this line (its public "
        "`cart_takeover.source` metadata).",
    )

    @staticmethod
    def resolve_added_by_customer_service(root: CheckoutLine, _info: Any) -> bool:
        return attribution.is_by_customer_service(root.metadata)

    @staticmethod
    def resolve_id(root: CheckoutLine, _info: Any) -> str | None:
        return global_id("CheckoutLine", root.pk)

    @staticmethod
    def resolve_variant_id(root: CheckoutLine, _info: Any) -> str | None:
        return global_id("ProductVariant", root.variant_id)

    @staticmethod
    def resolve_sku(root: CheckoutLine, _info: Any) -> str | None:
        return root.variant.sku

    @staticmethod
    def resolve_product_name(root: CheckoutLine, _info: Any) -> str:
        return root.variant.product.name

    @staticmethod
    def resolve_variant_name(root: CheckoutLine, _info: Any) -> str:
        return root.variant.name

    @staticmethod
    def resolve_metadata(root: CheckoutLine, _info: Any) -> list[MetadataItem]:
        return metadata_items(root.metadata)

    @staticmethod
    def resolve_unit_price(root: CheckoutLine, _info: Any) -> Money | None:
        if root.undiscounted_unit_price_amount is None:
            return None
        return Money(amount=root.undiscounted_unit_price_amount, currency=root.currency)

    @staticmethod
    def resolve_total_price(root: CheckoutLine, _info: Any) -> Money | None:
        if root.undiscounted_unit_price_amount is None:
            return None
        return Money(
            amount=root.undiscounted_unit_price_amount * root.quantity,
            currency=root.currency,
        )


class Cart(graphene.ObjectType):
    id = graphene.ID(
        required=True,
        description="Opaque: only this API resolves it (takeoverStart(cartId:)); "
        "never the checkout token, the shopper's credential for Saleor's API.",
    )
    code = graphene.String(
        description="The code a shopper reads out. Null while a takeover request "
        "on this (registered shopper's) cart waits for the shopper's consent."
    )
    channel = graphene.String(required=True)
    currency = graphene.String(required=True)
    email = graphene.String()
    customer_id = graphene.ID()
    customer_name = graphene.String()
    lines = graphene.List(graphene.NonNull(CartLine), required=True)
    quantity = graphene.Int(required=True, description="Items in the cart.")
    subtotal = graphene.Field(Money, description="Undiscounted sum of the lines.")
    updated_at = graphene.DateTime(required=True)
    taken_over = graphene.Boolean(required=True)
    pickup_point = graphene.String(
        description="Name of the click-and-collect warehouse, when one is chosen."
    )
    pickup_point_id = graphene.ID()
    pickup_contacts = graphene.Field(PickupContacts)
    pickup_contacts_error = graphene.String(
        description="Why the stored pickup contacts cannot be used, if they cannot."
    )

    @staticmethod
    def resolve_id(root: Checkout, _info: Any) -> str:
        return carts.opaque_cart_id(root.pk)

    @staticmethod
    def resolve_code(root: Checkout, _info: Any) -> str | None:
        if resolvers.awaits_consent(root.pk, getattr(root, "awaiting_consent", None)):
            return None
        return carts.cart_code(root.pk)

    @staticmethod
    def resolve_channel(root: Checkout, _info: Any) -> str:
        return root.channel.slug

    @staticmethod
    def resolve_customer_id(root: Checkout, _info: Any) -> str | None:
        return global_id("User", root.user_id)

    @staticmethod
    def resolve_customer_name(root: Checkout, _info: Any) -> str | None:
        return root.user.get_full_name() or None if root.user else None

    @staticmethod
    def resolve_lines(root: Checkout, _info: Any) -> list[CheckoutLine]:
        return list(root.lines.all())

    @staticmethod
    def resolve_quantity(root: Checkout, _info: Any) -> int:
        return sum(line.quantity for line in root.lines.all())

    @staticmethod
    def resolve_subtotal(root: Checkout, _info: Any) -> Money:
        total = sum(
            (
                (line.undiscounted_unit_price_amount or Decimal(0)) * line.quantity
                for line in root.lines.all()
            ),
            Decimal(0),
        )
        return Money(amount=total, currency=root.currency)

    @staticmethod
    def resolve_updated_at(root: Checkout, _info: Any) -> Any:
        return root.last_change

    @staticmethod
    def resolve_taken_over(root: Checkout, _info: Any) -> bool:
        taken = getattr(root, "taken_over", None)
        if taken is None:
            taken = models.TakeoverSession.objects.filter(
                checkout_token=root.pk,
                status__in=models.OPEN_STATUSES,
                expires_at__gte=timezone.now(),
            ).exists()
        return bool(taken)

    @staticmethod
    def resolve_pickup_point(root: Checkout, _info: Any) -> str | None:
        return root.collection_point.name if root.collection_point_id else None

    @staticmethod
    def resolve_pickup_point_id(root: Checkout, _info: Any) -> str | None:
        return global_id("Warehouse", root.collection_point_id)

    @staticmethod
    def resolve_pickup_contacts(root: Checkout, _info: Any) -> Any:
        # Typed loosely: inside this class `pickup_contacts` names the field.
        try:
            return pickup_contacts.contacts_of_checkout(root)
        except errors.TakeoverError:
            return None

    @staticmethod
    def resolve_pickup_contacts_error(root: Checkout, _info: Any) -> str | None:
        try:
            pickup_contacts.contacts_of_checkout(root)
        except errors.TakeoverError as error:
            return "; ".join(detail.message for detail in error.details)
        return None


class TakeoverEvent(graphene.ObjectType):
    type = graphene.String(required=True)
    message = graphene.String(required=True)
    user_email = graphene.String()
    created_at = graphene.DateTime(required=True)
    parameters = graphene.JSONString(required=True)

    @staticmethod
    def resolve_message(root: models.TakeoverEvent, _info: Any) -> str:
        return root.get_type_display()


class TakeoverSession(graphene.ObjectType):
    id = graphene.ID(required=True)
    status = enums.TakeoverStatus(required=True)
    end_reason = graphene.String()
    draft_order_id = graphene.ID(description="Null once the draft is gone.")
    draft_order_number = graphene.String()
    cart = graphene.Field(Cart, description="Null once the checkout is gone.")
    cart_code = graphene.String(
        description="Null while the cart waits for the shopper's consent."
    )
    channel = graphene.String()
    customer_id = graphene.ID()
    customer_email = graphene.String()
    started_by_email = graphene.String(required=True)
    held_by_email = graphene.String(
        required=True,
        description="The rep who may change the cart now (after any handoff).",
    )
    started_at = graphene.DateTime(required=True)
    ended_at = graphene.DateTime()
    expires_at = graphene.DateTime()
    last_copied_at = graphene.DateTime()
    order_id = graphene.ID(description="The order that finally came out of it.")
    order_number = graphene.String()
    history = graphene.List(graphene.NonNull(TakeoverEvent), required=True)

    @staticmethod
    def resolve_id(root: models.TakeoverSession, _info: Any) -> str | None:
        return global_id("TakeoverSession", root.pk)

    @staticmethod
    def resolve_held_by_email(root: models.TakeoverSession, _info: Any) -> str:
        return root.holder_email

    @staticmethod
    def resolve_status(root: models.TakeoverSession, _info: Any) -> str:
        # Stale but not yet closed sessions read as what they are (see resolvers).
        return getattr(root, "current_status", None) or root.status

    @staticmethod
    def resolve_end_reason(root: models.TakeoverSession, _info: Any) -> str | None:
        return root.get_end_reason_display() if root.end_reason else None

    @staticmethod
    def resolve_draft_order_id(root: models.TakeoverSession, _info: Any) -> str | None:
        return global_id("Order", root.draft_order_id)

    @staticmethod
    def resolve_draft_order_number(
        root: models.TakeoverSession, _info: Any
    ) -> str | None:
        return str(root.draft_order.number) if root.draft_order else None

    @staticmethod
    def resolve_cart(root: models.TakeoverSession, _info: Any) -> Checkout | None:
        cached = getattr(root, "_cart_cache", False)
        if cached is not False:
            return cached
        return resolvers.carts_queryset().filter(pk=root.checkout_token).first()

    @staticmethod
    def resolve_cart_code(root: models.TakeoverSession, _info: Any) -> str | None:
        awaiting = getattr(root, "cart_awaiting_consent", None)
        if resolvers.awaits_consent(root.checkout_token, awaiting):
            return None
        return carts.cart_code(root.checkout_token)

    @staticmethod
    def resolve_channel(root: models.TakeoverSession, _info: Any) -> str | None:
        return root.channel.slug if root.channel else None

    @staticmethod
    def resolve_customer_id(root: models.TakeoverSession, _info: Any) -> str | None:
        return global_id("User", root.customer_id)

    @staticmethod
    def resolve_order_id(root: models.TakeoverSession, _info: Any) -> str | None:
        return global_id("Order", root.order_id)

    @staticmethod
    def resolve_order_number(root: models.TakeoverSession, _info: Any) -> str | None:
        return str(root.order.number) if root.order else None

    @staticmethod
    def resolve_history(
        root: models.TakeoverSession, _info: Any
    ) -> list[models.TakeoverEvent]:
        return list(root.events.all())


class Viewer(graphene.ObjectType):
    email = graphene.String(required=True)
    can_take_over = graphene.Boolean(required=True)
    can_manage_grants = graphene.Boolean(required=True)


class PermissionHolder(graphene.ObjectType):
    kind = graphene.String(required=True, description="user, group or superuser")
    name = graphene.String(required=True)
    granted_by = graphene.String()


def _money(amount: report.Amount | None) -> Money | None:
    if amount is None:
        return None
    return Money(amount=amount.amount, currency=amount.currency)


class TakeoverReportRow(graphene.ObjectType):
    staff_email = graphene.String(description="The rep; null on the totals row.")
    sessions = graphene.Int(required=True)
    handed_back = graphene.Int(required=True)
    shopper_completed = graphene.Int(required=True)
    drafts_completed = graphene.Int(required=True)
    expired = graphene.Int(required=True)
    median_minutes = graphene.Float(
        description="Median length of the sessions that ended, in minutes."
    )
    revenue = graphene.Field(
        Money,
        description="Total of the orders these sessions led to. Null when they "
        "span several currencies: see revenueByCurrency (never summed across).",
    )
    revenue_by_currency = graphene.List(graphene.NonNull(Money), required=True)

    @staticmethod
    def resolve_revenue(root: report.ReportRow, _info: Any) -> Money | None:
        return _money(root.revenue)

    @staticmethod
    def resolve_revenue_by_currency(root: report.ReportRow, _info: Any) -> list[Any]:
        return [_money(amount) for amount in root.revenue_by_currency]


class TakeoverReport(graphene.ObjectType):
    rows = graphene.List(
        graphene.NonNull(TakeoverReportRow),
        required=True,
        description="One row per rep (the last holder of each session).",
    )
    totals = graphene.Field(TakeoverReportRow, required=True)
