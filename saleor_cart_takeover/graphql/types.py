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
    """A reason a takeover operation refused the request; nothing was changed."""

    field = graphene.String(
        description="The input field at fault, in camelCase with list indexes, "
        "e.g. `lines.0.quantity`; null when the request as a whole is refused."
    )
    code = enums.TakeoverErrorCode(required=True, description="The error code.")
    message = graphene.String(
        required=True,
        description="What went wrong, in English, written to be shown to the rep "
        "or shopper as it is.",
    )


class MetadataItem(graphene.ObjectType):
    """One public metadata entry, e.g. a line option's value."""

    key = graphene.String(required=True, description="Key of the entry.")
    value = graphene.String(required=True, description="Value of the entry.")


class Money(graphene.ObjectType):
    """An amount of money in one currency."""

    amount = graphene.Float(
        required=True,
        description="Amount in the currency's units (12.5 is 12.50), not cents.",
    )
    currency = graphene.String(
        required=True, description="ISO 4217 currency code, e.g. `USD`."
    )


class PickupContact(graphene.ObjectType):
    """A person who may collect a click-and-collect order."""

    first_name = graphene.String(
        required=True,
        description="First name; empty when taken from a cart without a "
        "billing address.",
    )
    last_name = graphene.String(
        required=True,
        description="Last name; empty when taken from a cart without a "
        "billing address.",
    )
    email = graphene.String(required=True, description="Email address.")
    phone = graphene.String(
        description="Phone number in E.164 form, e.g. `+48123456789`; null when "
        "none was given."
    )


class PickupContacts(graphene.ObjectType):
    """Who may collect a click-and-collect order: a primary and an alternate
    contact, stored as JSON in the public metadata key
    `cart_takeover.pickup_contacts` of the checkout, then of the order."""

    primary = graphene.Field(
        PickupContact,
        description="Who collects the order; the shopper (from the billing "
        "address and the cart's email) when nobody was named.",
    )
    alternate = graphene.Field(
        PickupContact,
        description="Someone else who may collect it instead; null when none.",
    )
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
    """A line of the shopper's cart (a Saleor checkout line)."""

    id = graphene.ID(
        required=True,
        description="The checkout line's id (`CheckoutLine`), as Saleor's API has it.",
    )
    variant_id = graphene.ID(
        required=True, description="The product variant's id (`ProductVariant`)."
    )
    sku = graphene.String(description="The variant's SKU; null when it has none.")
    product_name = graphene.String(required=True, description="The product's name.")
    variant_name = graphene.String(
        required=True, description="The variant's name; may be empty."
    )
    quantity = graphene.Int(required=True, description="How many of the variant.")
    metadata = graphene.List(
        graphene.NonNull(MetadataItem),
        required=True,
        description="The line's public metadata: its line options' values, and "
        "the plugin's `cart_takeover.source` on lines a rep added or changed.",
    )
    unit_price = graphene.Field(
        Money,
        description="The variant's undiscounted price when it was added; null "
        "until Saleor has priced the line.",
    )
    total_price = graphene.Field(
        Money,
        description="`unitPrice` times `quantity`, undiscounted; null until "
        "Saleor has priced the line.",
    )
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
    """A shopper's cart (a Saleor checkout) as a rep sees it."""

    id = graphene.ID(
        required=True,
        description="Opaque: only this API resolves it (takeoverStart(cartId:)); "
        "never the checkout token, the shopper's credential for Saleor's API.",
    )
    code = graphene.String(
        description="The code a shopper reads out. Null while a takeover request "
        "on this (registered shopper's) cart waits for the shopper's consent."
    )
    channel = graphene.String(required=True, description="The channel's slug.")
    currency = graphene.String(
        required=True, description="ISO 4217 code of the cart's currency."
    )
    email = graphene.String(description="The shopper's email, when known.")
    customer_id = graphene.ID(
        description="The registered shopper's id (`User`); null for a guest's cart."
    )
    customer_name = graphene.String(
        description="The registered shopper's full name; null when unknown."
    )
    lines = graphene.List(
        graphene.NonNull(CartLine),
        required=True,
        description="The cart's lines, in the order they were added.",
    )
    quantity = graphene.Int(
        required=True,
        description="Items in the cart: the sum of the lines' quantities.",
    )
    subtotal = graphene.Field(Money, description="Undiscounted sum of the lines.")
    updated_at = graphene.DateTime(
        required=True, description="When the cart last changed (Saleor's `lastChange`)."
    )
    taken_over = graphene.Boolean(
        required=True,
        description="Whether a takeover holds the cart now: active, or waiting for "
        "the shopper's consent, and not timed out.",
    )
    pickup_point = graphene.String(
        description="Name of the click-and-collect warehouse, when one is chosen."
    )
    pickup_point_id = graphene.ID(
        description="The click-and-collect warehouse's id (`Warehouse`); null when "
        "the cart is not for pickup."
    )
    pickup_contacts = graphene.Field(
        PickupContacts,
        description="Who may collect the order; null when nothing is stored and "
        "the cart has neither an email nor a billing address, or when the stored "
        "contacts are broken (see pickupContactsError).",
    )
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
    """One step of a takeover session's history."""

    type = graphene.String(
        required=True,
        description="What happened: "
        + ", ".join(f"`{choice.value}`" for choice in models.TakeoverEventType)
        + ".",
    )
    message = graphene.String(
        required=True,
        description="The step in English words, e.g. `Items added to the cart`.",
    )
    user_email = graphene.String(
        description="The staff member who took the step; empty when the shopper "
        "or the plugin did (a consent answer, an expiry, a placed order)."
    )
    created_at = graphene.DateTime(required=True, description="When it happened.")
    parameters = graphene.JSONString(
        required=True,
        description="The step's details as a JSON object, e.g. the counts of a "
        "copy or the reps of a handoff; `{}` when there are none.",
    )

    @staticmethod
    def resolve_message(root: models.TakeoverEvent, _info: Any) -> str:
        return root.get_type_display()


class TakeoverSession(graphene.ObjectType):
    """A rep's takeover of a shopper's cart, from the draft order they prepare."""

    id = graphene.ID(required=True, description="The session's id (`TakeoverSession`).")
    status = enums.TakeoverStatus(
        required=True,
        description="Where the session stands now; a session that timed out or "
        "lost its cart or draft shows so before it is closed.",
    )
    end_reason = graphene.String(
        description="Why it ended, in English words (e.g. `Handed back by staff`); "
        "null while it is open."
    )
    draft_order_id = graphene.ID(
        description="The draft order's id (`Order`). Null once the draft is gone."
    )
    draft_order_number = graphene.String(
        description="The draft order's number; null once the draft is gone."
    )
    cart = graphene.Field(Cart, description="Null once the checkout is gone.")
    cart_code = graphene.String(
        description="Null while the cart waits for the shopper's consent."
    )
    channel = graphene.String(
        description="Slug of the draft order's channel; null if the channel was deleted."
    )
    customer_id = graphene.ID(
        description="The shopper's id (`User`); null for a guest."
    )
    customer_email = graphene.String(
        description="The shopper's email when the session started; empty when unknown."
    )
    started_by_email = graphene.String(
        required=True, description="The rep who started the session."
    )
    held_by_email = graphene.String(
        required=True,
        description="The rep who may change the cart now (after any handoff).",
    )
    started_at = graphene.DateTime(required=True, description="When it started.")
    ended_at = graphene.DateTime(description="When it ended; null while it is open.")
    expires_at = graphene.DateTime(
        description="When it ends unless the rep acts: the idle timeout (setting "
        '"Session timeout") or, while waiting for consent, the end of the '
        "shopper's 10 minutes to answer. Null once it has ended."
    )
    last_copied_at = graphene.DateTime(
        description='When the cart was last copied into the draft ("Add Items to '
        'Order"); null if never.'
    )
    order_id = graphene.ID(
        description="The order that finally came out of it (`Order`): the "
        "shopper's, or the completed draft; null until then."
    )
    order_number = graphene.String(description="That order's number.")
    history = graphene.List(
        graphene.NonNull(TakeoverEvent),
        required=True,
        description="Everything that happened in the session, oldest first.",
    )

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
    """The staff member calling the API, and what they may do."""

    email = graphene.String(required=True, description="The caller's email.")
    can_take_over = graphene.Boolean(
        required=True,
        description="Whether they hold MANAGE_ORDERS and the cart takeover grant.",
    )
    can_manage_grants = graphene.Boolean(
        required=True,
        description="Whether they may grant and revoke cart takeover: MANAGE_STAFF "
        "and the grant themselves.",
    )


class PermissionHolder(graphene.ObjectType):
    """A user or permission group holding the cart takeover grant, or a
    superuser (who always may)."""

    kind = graphene.String(required=True, description="`user`, `group` or `superuser`.")
    name = graphene.String(
        required=True, description="The user's email, or the group's name."
    )
    granted_by = graphene.String(
        description="Who granted it (an email, or `manage.py`); empty for superusers."
    )


def _money(amount: report.Amount | None) -> Money | None:
    if amount is None:
        return None
    return Money(amount=amount.amount, currency=amount.currency)


class TakeoverReportRow(graphene.ObjectType):
    """What one rep's sessions (or all of them, on the totals row) came to."""

    staff_email = graphene.String(description="The rep; null on the totals row.")
    sessions = graphene.Int(required=True, description="Sessions started.")
    handed_back = graphene.Int(
        required=True, description="Sessions a rep ended by handing the cart back."
    )
    shopper_completed = graphene.Int(
        required=True,
        description="Sessions that ended with the shopper placing the order.",
    )
    drafts_completed = graphene.Int(
        required=True,
        description="Sessions that ended with staff completing the draft order.",
    )
    expired = graphene.Int(
        required=True,
        description="Sessions that timed out, or whose consent request went "
        "unanswered.",
    )
    median_minutes = graphene.Float(
        description="Median length of the sessions that ended, in minutes."
    )
    revenue = graphene.Field(
        Money,
        description="Total of the orders these sessions led to. Null when they "
        "span several currencies: see revenueByCurrency (never summed across).",
    )
    revenue_by_currency = graphene.List(
        graphene.NonNull(Money),
        required=True,
        description="Revenue per currency, one entry per currency of the sessions' "
        "channels and orders (zero when nothing was sold).",
    )

    @staticmethod
    def resolve_revenue(root: report.ReportRow, _info: Any) -> Money | None:
        return _money(root.revenue)

    @staticmethod
    def resolve_revenue_by_currency(root: report.ReportRow, _info: Any) -> list[Any]:
        return [_money(amount) for amount in root.revenue_by_currency]


class TakeoverReport(graphene.ObjectType):
    """Takeover sessions per rep over a period: what they came to."""

    rows = graphene.List(
        graphene.NonNull(TakeoverReportRow),
        required=True,
        description="One row per rep (the last holder of each session).",
    )
    totals = graphene.Field(
        TakeoverReportRow,
        required=True,
        description="All sessions together; an order several reps led to counts once.",
    )
