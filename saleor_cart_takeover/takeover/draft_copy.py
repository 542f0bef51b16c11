""" "Add Items to Order": make the draft mirror the shopper's cart.

Each cart line becomes a draft line with the same variant, quantity and line
metadata. Copying again updates what was copied before and removes what left
the cart; lines staff added to the draft themselves are left alone. The whole
copy is one transaction whose query count does not grow with the cart.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.utils import timezone
from saleor.account.models import User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.core.postgres import FlatConcatSearchVector
from saleor.order import OrderEvents
from saleor.order.actions import call_order_event
from saleor.order.calculations import refresh_order_base_prices_and_discounts
from saleor.order.models import Order, OrderEvent, OrderLine
from saleor.order.search import prepare_order_search_vector_value
from saleor.order.utils import (
    calculate_draft_order_line_price_expiration_date,
    invalidate_order_prices,
    recalculate_order_weight,
)
from saleor.plugins.manager import PluginsManager
from saleor.webhook.event_types import WebhookEventAsyncType

from .. import compat
from ..checkout import reserved_metadata
from ..config import TakeoverSettings
from ..errors import ErrorDetail, TakeoverError, TakeoverErrorCode
from ..models import CopiedLine, TakeoverEventType, TakeoverSession
from ..pickup import contacts as pickup_contacts
from . import draft_lines, draft_search
from .session import session_unit


@dataclass(frozen=True)
class CopyResult:
    added: int
    updated: int
    removed: int
    unchanged: int


@dataclass
class _Plan:
    """What the copy changes in the draft, worked out before anything is written."""

    new: list[tuple[CheckoutLine, OrderLine]] = field(default_factory=list)
    # (cart line, its earlier copy, the draft line's quantity before)
    changed: list[tuple[CheckoutLine, CopiedLine, int]] = field(default_factory=list)
    gone: list[OrderLine] = field(default_factory=list)
    unchanged: int = 0
    # Every line of the draft as it was read, before the copy.
    draft_lines: list[OrderLine] = field(default_factory=list)

    def lines_after(self) -> list[OrderLine]:
        """The draft's lines once the plan is written, in Saleor's line order."""
        gone = {line.pk for line in self.gone}
        kept = [line for line in self.draft_lines if line.pk not in gone]
        lines = kept + [line for _, line in self.new]
        return sorted(lines, key=lambda line: (line.created_at, line.pk))

    @property
    def priced(self) -> list[tuple[CheckoutLine, OrderLine]]:
        return self.new + [(cart, copy.order_line) for cart, copy, _ in self.changed]

    def result(self) -> CopyResult:
        return CopyResult(
            added=len(self.new),
            updated=len(self.changed),
            removed=len(self.gone),
            unchanged=self.unchanged,
        )


def copy_cart_to_draft(
    session_id: int,
    staff: User,
    *,
    settings: TakeoverSettings,
    manager: PluginsManager,
    hand_back: bool = False,
    may_enter: Callable[[TakeoverSession], None] | None = None,
) -> tuple[TakeoverSession, CopyResult]:
    """Mirror the cart into the draft; with `hand_back`, end the takeover in
    the same transaction, so the cart is never handed back uncopied.
    `may_enter`: the caller's check on the locked session (`session_unit`)."""
    with session_unit(
        session_id,
        staff,
        settings,
        with_draft=True,
        # The channel: Saleor's checkout events after a hand-back read it.
        checkout_related=("channel", "collection_point__address", "metadata_storage"),
        # What Saleor's order search vector reads besides the lines, read with
        # the lock instead of in five queries of its own (draft_search.py).
        annotate=draft_search.SEARCHED_WITH_LOCK,
        may_enter=may_enter,
    ) as unit:
        session, checkout = unit.session, unit.checkout
        draft = session.draft_order
        assert draft is not None  # lock_active(with_draft=True) guarantees it
        _check_same_customer(session, checkout, draft)
        cart_lines = draft_lines.cart_lines(checkout, draft)
        _check_copyable(cart_lines, draft)
        plan = _plan(draft, checkout, cart_lines)
        _write(plan, session)
        lines_after: list[OrderLine] | None = plan.lines_after()
        if draft_lines.needs_saleor_pricing(draft, plan.priced):
            # Saleor's own bulk pricing of draft lines (catalogue promotions,
            # vouchers, manual discounts), as `orderLinesCreate` would give them.
            refresh_order_base_prices_and_discounts(
                draft, [line.pk for _, line in plan.priced]
            )
            # It wrote prices the lines in hand lack: `_save_draft` (and the
            # webhook payloads after it) read the lines again.
            lines_after = None
        result = plan.result()
        events = _order_events(draft, staff, plan, result)
        OrderEvent.objects.bulk_create(events)
        _save_draft(
            draft,
            manager,
            pickup_contacts.copy_to_order(checkout, draft),
            lines_after,
            searched=session,
            new_notes=[
                event.parameters["message"]
                for event in reversed(events)
                if event.type == OrderEvents.NOTE_ADDED
            ],
        )

        session.last_copied_at = timezone.now()
        unit.changed.append("last_copied_at")
        unit.record(
            TakeoverEventType.COPIED,
            added=result.added,
            updated=result.updated,
            removed=result.removed,
        )
        if hand_back:
            unit.hand_back()
    return session, result


def _check_same_customer(
    session: TakeoverSession, checkout: Checkout, draft: Order
) -> None:
    """Staff may change the draft's customer after the start (Saleor's
    `draftOrderUpdate`): one customer's cart, pickup point and contacts must
    not land in another customer's order."""
    mismatch = bool(checkout.user_id and checkout.user_id != draft.user_id)
    if session.customer_id is not None:
        mismatch = mismatch or draft.user_id != session.customer_id
    else:
        email = (draft.user.email if draft.user else draft.user_email) or ""
        started_for = session.customer_email or ""
        mismatch = mismatch or bool(
            email and started_for and email.casefold() != started_for.casefold()
        )
    if mismatch:
        raise TakeoverError(
            TakeoverErrorCode.CUSTOMER_MISMATCH,
            "The draft order's customer changed since this takeover started; end "
            "it and start again from the draft order.",
            "sessionId",
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
        listing = draft_lines.listing(line.variant)
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


def _plan(draft: Order, checkout: Checkout, cart_lines: list[CheckoutLine]) -> _Plan:
    # The draft's lines are read once, each with its copy from this cart if it
    # has one, and serve both the plan and Saleor's search vector afterwards.
    # Only this cart's copies: a draft may hold items of another cart taken
    # over earlier, which are not "gone" because this cart lacks them.
    this_cart = CopiedLine.objects.filter(
        order_line_id=OuterRef("pk"), session__checkout_token=checkout.pk
    )
    lines = list(
        OrderLine.objects.filter(order_id=draft.pk)
        .select_related("variant__product__product_type")
        .annotate(
            copy_pk=Subquery(this_cart.values("pk")[:1]),
            copy_session=Subquery(this_cart.values("session_id")[:1]),
            copy_cart_line=Subquery(this_cart.values("checkout_line_id")[:1]),
            copy_quantity=Subquery(this_cart.values("quantity")[:1]),
        )
        .order_by("created_at", "id")
    )
    copies = {
        line.copy_cart_line: CopiedLine(
            pk=line.copy_pk,
            order_line=line,
            session_id=line.copy_session,
            checkout_line_id=line.copy_cart_line,
            quantity=line.copy_quantity,
        )
        for line in lines
        if line.copy_pk is not None
    }
    expire_at = calculate_draft_order_line_price_expiration_date(
        draft.channel, draft.status
    )
    plan = _Plan(draft_lines=lines)
    for cart_line in cart_lines:
        copy = copies.pop(cart_line.pk, None)
        if copy is None:
            plan.new.append(
                (cart_line, draft_lines.new_order_line(draft, cart_line, expire_at))
            )
            continue
        order_line = copy.order_line
        metadata = reserved_metadata.line_metadata(cart_line)
        # Private line metadata (the rep's attribution among it) follows the
        # line, as Saleor's checkout completion copies it onto order lines.
        private = cart_line.private_metadata or {}
        if (
            copy.quantity == cart_line.quantity
            and order_line.metadata == metadata
            and order_line.private_metadata == private
        ):
            plan.unchanged += 1
            continue
        plan.changed.append((cart_line, copy, order_line.quantity))
        # Units staff added to (or took off) the draft line stay: only the
        # cart's change since the last copy is applied.
        staff_units = order_line.quantity - copy.quantity
        draft_lines.set_quantity(order_line, max(1, cart_line.quantity + staff_units))
        order_line.metadata = metadata
        order_line.private_metadata = private
        copy.quantity = cart_line.quantity
    # What is left was copied before but has left the cart since.
    plan.gone = [copy.order_line for copy in copies.values()]
    return plan


def _write(plan: _Plan, session: TakeoverSession) -> None:
    OrderLine.objects.bulk_create([line for _, line in plan.new])
    CopiedLine.objects.bulk_create(
        CopiedLine(
            order_line=order_line,
            session=session,
            checkout_line_id=cart_line.pk,
            quantity=cart_line.quantity,
        )
        for cart_line, order_line in plan.new
    )
    if plan.changed:
        OrderLine.objects.bulk_update(
            [copy.order_line for _, copy, _ in plan.changed],
            [
                "quantity",
                "metadata",
                "private_metadata",
                "total_price_net_amount",
                "total_price_gross_amount",
                "undiscounted_total_price_net_amount",
                "undiscounted_total_price_gross_amount",
            ],
        )
        CopiedLine.objects.bulk_update(
            [copy for _, copy, _ in plan.changed], ["quantity"]
        )
    if plan.gone:
        OrderLine.objects.filter(pk__in=[line.pk for line in plan.gone]).delete()


def _order_events(
    draft: Order, staff: User, plan: _Plan, result: CopyResult
) -> list[OrderEvent]:
    """Saleor's "products added/removed" events and a note, written in one go.

    The events have the shape of Saleor's `order_added_products_event` and
    `order_removed_products_event`; those helpers write one row per call and can
    express a changed quantity for only one line at a time, so using them
    would make the copy's query count grow with the cart (issue 6's budget,
    `benchmarks/budgets.py` COPY_MAX_QUERIES, measured by `python -m benchmarks`).
    """

    def lines(changes: list[tuple[OrderLine, int]]) -> dict:
        return {
            "lines": [
                {"quantity": quantity, "line_pk": line.pk, "item": str(line)}
                for line, quantity in changes
            ]
        }

    added = [(line, line.quantity) for _, line in plan.new]
    removed = [(line, line.quantity) for line in plan.gone]
    for _, copy, before in plan.changed:
        delta = copy.order_line.quantity - before
        (added if delta > 0 else removed).append((copy.order_line, abs(delta)))
    note = (
        f"Cart takeover: {staff.email} added the cart's items to this order "
        f"({result.added} added, {result.updated} changed, {result.removed} removed)."
    )
    events = [
        OrderEvent(
            order=draft,
            user=staff,
            type=OrderEvents.NOTE_ADDED,
            parameters={"message": note},
        )
    ]
    if added:
        events.append(
            OrderEvent(
                order=draft,
                user=staff,
                type=OrderEvents.ADDED_PRODUCTS,
                parameters=lines(added),
            )
        )
    if removed:
        events.append(
            OrderEvent(
                order=draft,
                user=staff,
                type=OrderEvents.REMOVED_PRODUCTS,
                parameters=lines(removed),
            )
        )
    return events


def _save_draft(
    draft: Order,
    manager: PluginsManager,
    changed: list[str],
    lines: list[OrderLine] | None,
    *,
    searched: TakeoverSession,
    new_notes: list[str],
) -> None:
    """What Saleor's draft line mutations do once the lines are written.

    `lines`: the draft's lines as the copy wrote them, when it holds them all
    current; they are not read again. `searched`: the session as locked, with
    what the draft's search vector needs (`draft_search.SEARCHED_WITH_LOCK`);
    `new_notes`: the notes the copy added since, newest first.
    """
    if lines is None or not draft_search.MIRRORS_SALEOR:
        # Saleor's repricing wrote the lines and may have changed the draft's
        # discounts (or, on Saleor 3.22, the fork does not apply): read them
        # all again, and let Saleor's own function build the search vector.
        prefetch_related_objects(
            [draft],
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related(
                    "variant__product__product_type"
                ),
            ),
            # The rest of what it reads; user and addresses came with the
            # draft, invoices and events it queries itself.
            "payments",
            "discounts",
            "payment_transactions__events",
        )
        vectors = prepare_order_search_vector_value(draft, already_prefetched=True)
    else:
        # Filled as Django's prefetch fills it, so that the search vector,
        # Saleor's weight and its webhook payloads read them from here.
        prefetched = draft.lines.all()
        prefetched._result_cache = lines
        prefetched._prefetch_done = True
        draft._prefetched_objects_cache = {
            **getattr(draft, "_prefetched_objects_cache", {}),
            "lines": prefetched,
        }
        vectors = draft_search.search_vector(draft, searched, new_notes)
    invalidate_order_prices(draft)
    recalculate_order_weight(draft)
    draft.search_vector = FlatConcatSearchVector(*vectors)
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
    # The draft is locked as a draft: Saleor's `draft_order_updated`, as its
    # draft order mutations fire it, through a manager given the draft's
    # channel (locked with it) rather than reading it again.
    compat.load_channel_plugins(manager, draft.channel)
    call_order_event(manager, WebhookEventAsyncType.DRAFT_ORDER_UPDATED, draft)
