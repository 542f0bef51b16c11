"""Saleor's `draftOrderComplete` must not confirm a draft a copy changed under it.

Saleor's `DraftOrderComplete.perform_mutation` reads the draft and its lines,
prices and validates them, and only then opens its transaction, in which it
allocates stock for the lines it read. No lock is held in between. An "Add
Items to Order" committing in that window (it locks the draft and checks that
it is still a draft, but Saleor holds nothing to wait for) would leave a
confirmed order whose copied lines have no stock allocated and are not in its
total. A copy that comes later waits for Saleor's row lock and then finds the
order completed (`takeover.session.lock_active`), so that window is the only one.

Nothing in the plugin can make Saleor's unlocked read wait, and no plugin hook
runs inside Saleor's transaction. The first point where the plugin can see
both what Saleor read and what is committed is the `post_save` of Saleor's
status change: that UPDATE takes the draft's row lock, so a copy holding it
has committed by then, and a new statement sees its lines. If they are not
the lines Saleor read, the completion is refused with Saleor's own error type:
its transaction rolls back (no status change, no allocation, no voucher use),
the draft keeps everything that was copied, and completing again confirms all
of it. That is what Saleor's own pricing does with a concurrent change
(`process_order_prices` skips its save when `updated_at` moved); repairing the
order afterwards (`order_created`) would come after Saleor's ORDER_CREATED
webhooks and confirmation, could not reprice an UNFULFILLED order through
Saleor's services, and could run out of stock.
"""

from typing import Any

from django.core.exceptions import ValidationError
from saleor.order import OrderStatus
from saleor.order.error_codes import OrderErrorCode
from saleor.order.models import Order, OrderLine

from ..models import TakeoverSession

# The fields only `DraftOrderComplete` saves together (its `update_fields`).
COMPLETION_FIELDS = frozenset({"status", "search_vector", "display_gross_prices"})


def refuse_completion_of_changed_draft(
    sender: type[Order],
    instance: Order,
    created: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    """`post_save` receiver for Order; a no-op for every other save."""
    if created or not update_fields or not set(update_fields) >= COMPLETION_FIELDS:
        return
    if instance.status == OrderStatus.DRAFT:
        return
    # Only drafts a takeover worked on: Saleor's own screens are not policed.
    if not TakeoverSession.objects.filter(draft_order_id=instance.pk).exists():
        return
    # The lines Saleor read (its prefetch, which it allocates from) against the
    # committed ones.
    read = {(line.pk, line.quantity) for line in instance.lines.all()}
    committed = set(
        OrderLine.objects.filter(order_id=instance.pk).values_list("pk", "quantity")
    )
    if read != committed:
        raise ValidationError(
            {
                "id": ValidationError(
                    "The order changed while it was being completed: items from "
                    "the shopper's cart were added to it at that moment. Review "
                    "the order and complete it again.",
                    code=OrderErrorCode.INVALID.value,
                )
            }
        )
