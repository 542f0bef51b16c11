"""The plugin's writes of checkout and order metadata: only its own keys, atomically.

Storefronts and apps write the same documents at any moment through Saleor's
`updateMetadata`. A write that reads the document, changes it in Python and
saves it whole loses whatever was saved in between (a shopper's pickup contacts
while the rep hands the cart back). Here every write is one UPDATE that sets
(jsonb `||`) and removes (jsonb `- text[]`) only the given keys, as Saleor's
own metadata mutations do in 3.22 and 3.23 (`saleor/graphql/meta/mutations/
utils.py`); nothing else in the document is read or rewritten.

Every change to a checkout's metadata is announced as Saleor announces its
own: `CHECKOUT_METADATA_UPDATED` (the plugin manager's `checkout_metadata_updated`,
which sends the webhooks), after commit, and once per checkout per request
however many writes the request made (`one_event_per_checkout`).
"""

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib.postgres.fields import ArrayField
from django.db import transaction
from django.db.models import F, Func, JSONField, Q, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from saleor.checkout.models import Checkout, CheckoutMetadata

if TYPE_CHECKING:
    from saleor.order.models import Order
    from saleor.plugins.manager import PluginsManager

logger = logging.getLogger(__name__)

# The checkouts whose metadata changed in the request under way, announced
# when it ends; None outside `one_event_per_checkout`. Scoped to one request
# (a context variable), never shared between requests or workers.
_changed_in_request: ContextVar[dict[UUID, Checkout] | None] = ContextVar(
    "cart_takeover_changed_checkouts", default=None
)
# The request's plugin manager, when `one_event_per_checkout` was given one.
_request_manager: ContextVar["Callable[[], PluginsManager] | None"] = ContextVar(
    "cart_takeover_request_manager", default=None
)
# Set on the checkout the plugin announces its own write with (`_send`).
_OWN_WRITE = "_cart_takeover_own_write"


def write(
    checkout: Checkout,
    set_keys: Mapping[str, str] | None = None,
    remove: Iterable[str] = (),
    *,
    announce: bool = True,
) -> bool:
    """Set and remove the given public keys of the checkout's metadata.

    Returns whether the document changed; only a change is announced. With
    `announce=False` the caller is itself inside the announcement of the write
    it corrects (Saleor's `checkout_metadata_updated` hook).
    """
    values = dict(set_keys or {})
    keys = [key for key in remove if key not in values]
    if not values and not keys:
        return False
    # Read only when this process holds it already (no query for it).
    storage = _held_storage(checkout)
    if values and storage is None:
        # The row Saleor creates on a checkout's first metadata write.
        storage, _ = CheckoutMetadata.objects.get_or_create(checkout_id=checkout.pk)
    changed = bool(
        CheckoutMetadata.objects.filter(checkout_id=checkout.pk)
        .filter(_would_change("metadata", values, keys))
        .update(metadata=_changed_document("metadata", values, keys))
    )
    if storage is not None:
        # What this process holds in memory shows the write (without a re-read).
        storage.metadata = _applied(storage.metadata, values, keys)
        checkout.metadata_storage = storage
    if changed and announce:
        _announce(checkout)
    return changed


def _held_storage(checkout: Checkout) -> CheckoutMetadata | None:
    """The metadata row this process holds for the checkout, if it does; a
    checkout read with `select_related("metadata_storage")` and no row holds
    None (reading the attribute would raise)."""
    if not Checkout.metadata_storage.is_cached(checkout):
        return None
    try:
        return checkout.metadata_storage
    except CheckoutMetadata.DoesNotExist:
        return None


def write_order(
    order: "Order",
    *,
    set_keys: Mapping[str, str] | None = None,
    remove: Iterable[str] = (),
    set_private: Mapping[str, str] | None = None,
    remove_private: Iterable[str] = (),
) -> bool:
    """Set and remove the given keys of an order's public and private metadata,
    in one UPDATE that leaves every other key as the database holds it.

    Returns whether anything changed. Saleor's order events are the caller's:
    the draft's copy fires `draft_order_updated`, reconciliation
    `order_metadata_updated`.
    """
    values, keys = (
        dict(set_keys or {}),
        [k for k in remove if k not in (set_keys or {})],
    )
    private = dict(set_private or {})
    private_keys = [key for key in remove_private if key not in private]
    updates: dict[str, Any] = {}
    condition = Q(pk__in=[])
    if values or keys:
        updates["metadata"] = _changed_document("metadata", values, keys)
        condition |= _would_change("metadata", values, keys)
    if private or private_keys:
        updates["private_metadata"] = _changed_document(
            "private_metadata", private, private_keys
        )
        condition |= _would_change("private_metadata", private, private_keys)
    if not updates:
        return False
    changed = bool(
        type(order)
        .objects.filter(pk=order.pk)
        .filter(condition)
        .update(**updates, updated_at=timezone.now())
    )
    order.metadata = _applied(order.metadata, values, keys)
    order.private_metadata = _applied(order.private_metadata, private, private_keys)
    return changed


@contextmanager
def one_event_per_checkout(
    manager: "Callable[[], PluginsManager] | None" = None,
) -> Iterator[None]:
    """Announce each checkout whose metadata changed once, when the block ends.

    Wraps a request: a request may commit several transactions (closing a
    stale session, then starting a new one), and listeners hear of each
    checkout once. Only committed changes are announced, through `manager`
    (the request's plugin manager) when given.
    """
    if _changed_in_request.get() is not None:  # already inside one
        yield
        return
    scope = _changed_in_request.set({})
    manager_scope = _request_manager.set(manager)
    try:
        yield
    finally:
        changed = _changed_in_request.get() or {}
        _changed_in_request.reset(scope)
        for checkout in changed.values():
            try:
                # The request's manager already loaded the channel's plugins
                # for the request's own events (a draft's `draft_order_updated`).
                _send(checkout, manager)
            except Exception:
                # The changes are committed; a failed announcement must not
                # turn the caller's answer into an error.
                logger.exception("Cart takeover: announcing a metadata change failed")
        _request_manager.reset(manager_scope)


def is_own_write(checkout: Checkout) -> bool:
    """Whether Saleor's `checkout_metadata_updated` announces a write of the
    plugin's own (the checkout it announced with). Its metadata hook has
    nothing to check then: the reserved keys there are the ones the plugin
    just wrote; a storefront's write in between is announced, and checked, on
    its own. Marked on the instance, not in the context: Saleor may run the
    hook later, on commit."""
    return getattr(checkout, _OWN_WRITE, False)


class _Announcement:
    """The on-commit callback announcing one checkout; recognisable, so that a
    transaction registers at most one per checkout."""

    def __init__(self, checkout: Checkout) -> None:
        self.checkout = checkout
        self.done = False
        # Also when the commit comes after the request's block (a test's
        # transaction around the request).
        self.manager = _request_manager.get()

    def __call__(self) -> None:
        self.done = True
        changed = _changed_in_request.get()
        if changed is not None:
            changed.setdefault(self.checkout.pk, self.checkout)
        else:
            _send(self.checkout, self.manager)


def _announce(checkout: Checkout) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(callback, _Announcement)
        and not callback.done
        and callback.checkout.pk == checkout.pk
        # Django's pending on-commit callbacks: (savepoint ids, callback, robust).
        # A rolled-back savepoint takes its callbacks along, so a change that
        # did not happen is never announced.
        for _, callback, *_ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Announcement(checkout))


def _send(
    checkout: Checkout, manager: "Callable[[], PluginsManager] | None" = None
) -> None:
    # Imported here: the plugin manager imports the plugins, this one included.
    from saleor.checkout.actions import call_checkout_event
    from saleor.plugins.manager import get_plugins_manager
    from saleor.webhook.event_types import WebhookEventAsyncType

    setattr(checkout, _OWN_WRITE, True)
    call_checkout_event(
        manager() if manager else get_plugins_manager(allow_replica=False),
        WebhookEventAsyncType.CHECKOUT_METADATA_UPDATED,
        checkout,
    )


def _changed_document(field: str, values: dict[str, str], keys: list[str]) -> Any:
    """`(coalesce(field, '{}') || values) - keys`, computed by PostgreSQL."""
    document: Any = Coalesce(F(field), Value({}, output_field=JSONField()))
    if values:
        document = CombinedExpression(
            document, "||", Value(values, output_field=JSONField()), JSONField()
        )
    if keys:
        document = Func(
            document,
            Value(keys, output_field=ArrayField(TextField())),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=JSONField(),
        )
    return document


def _would_change(field: str, values: dict[str, str], keys: list[str]) -> Q:
    """Rows the write changes: a key to remove is there, or a value differs.
    Unchanged rows are not written, so no change is announced for them."""
    condition = Q(pk__in=[])
    if keys:
        condition |= Q(**{f"{field}__has_any_keys": keys})
    if values:
        condition |= Q(**{f"{field}__isnull": True}) | ~Q(
            **{f"{field}__contains": values}
        )
    return condition


def _applied(
    document: dict | None, values: dict[str, str], keys: list[str]
) -> dict[str, Any]:
    result = {**(document or {}), **values}
    for key in keys:
        result.pop(key, None)
    return result
