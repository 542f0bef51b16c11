"""Who may collect a click-and-collect order: a primary and an alternate contact.

The contacts are a JSON document in the checkout's public metadata, so
storefronts can write it with Saleor's own `updateMetadata`; Saleor copies it
onto the order. The same rules apply however it was written, and a
click-and-collect checkout whose document breaks them cannot be completed.
Contacts are personal data: they are stored verbatim and never logged.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import transaction
from saleor.checkout.models import Checkout
from saleor.checkout.utils import get_checkout_metadata
from saleor.order.models import Order

from ..checkout import metadata as checkout_metadata
from ..const import PICKUP_CONTACTS_KEY
from ..errors import TakeoverError, TakeoverErrorCode
from .validation import PickupContact, PickupContacts, clean_contacts, parse_document

if TYPE_CHECKING:
    from saleor.account.models import User
    from saleor.checkout.fetch import CheckoutInfo

    from ..config import TakeoverSettings


def contacts_of_checkout(checkout: Checkout) -> PickupContacts | None:
    """The checkout's contacts as stored, or the shopper as default primary.

    Raises TakeoverError when the stored document breaks the rules.
    """
    stored = _stored(checkout)
    parsed = parse_document(stored, _country(checkout))
    if parsed is not None:
        return parsed
    return _default_for(checkout)


def completion_problems(checkout_info: "CheckoutInfo") -> list[tuple[str, str]]:
    """Why a click-and-collect checkout may not be completed, field by field."""
    checkout = checkout_info.checkout
    if not checkout.collection_point_id:
        return []
    return document_problems(stored_document(checkout), checkout)


def document_problems(raw: Any, checkout: Checkout) -> list[tuple[str, str]]:
    """Why a contacts document may not reach an order from `checkout`."""
    if raw is not None and not isinstance(raw, str):
        raw = json.dumps(raw)
    try:
        parse_document(raw, _country(checkout))
    except TakeoverError as error:
        return [
            (_completion_field(detail.field), f"Pickup contacts: {detail.message}")
            for detail in error.details
        ]
    return []


def stored_document(checkout: Checkout) -> str | None:
    """The checkout's contacts document as stored (from the loaded metadata)."""
    return _stored(checkout)


def update_contacts(
    checkout_token: Any,
    primary: dict[str, Any] | None,
    alternate: dict[str, Any] | None,
    *,
    staff: "User | None" = None,
    settings: "TakeoverSettings | None" = None,
    as_holder: bool = False,
) -> PickupContacts:
    """Validate, then store; nothing is stored when anything is invalid.

    Giving no alternate removes it; giving no primary leaves the shopper as the
    primary contact. A rep who holds the cart works through their session's
    unit of work: it counts as activity and goes into the history.

    `as_holder` (a rep naming the cart by its Cart id): only through an ACTIVE
    session the rep holds; without one nothing changes. Contacts decide who
    may collect the order, so a colleague's cart, or one whose shopper has not
    agreed to the takeover yet, is not the rep's to change.
    """
    # Imported here: `plugin` imports this module before Django's apps are ready.
    from ..models import TakeoverEventType
    from ..takeover.session import held_session_id, session_unit

    held = held_session_id(checkout_token, staff) if settings else None
    if as_holder:
        if staff is None or settings is None:
            raise ValueError("A holder's change needs the rep and the settings.")
        held = _holders_session(checkout_token)
    if held is not None and staff is not None and settings is not None:
        with _as_checkout_field(), session_unit(held, staff, settings) as unit:
            contacts = _store(checkout := unit.checkout, primary, alternate)
            unit.record(
                TakeoverEventType.PICKUP_CONTACTS_UPDATED,
                f"Cart takeover: {staff.email} changed the pickup contacts.",
            )
    else:
        with transaction.atomic():
            checkout = (
                Checkout.objects.select_for_update(of=("self",))
                .filter(pk=checkout_token)
                .first()
            )
            if checkout is None:
                raise TakeoverError(
                    TakeoverErrorCode.NOT_FOUND, "No such checkout.", "checkoutId"
                )
            contacts = _store(checkout, primary, alternate)
    return (
        contacts
        if contacts.primary
        else PickupContacts(
            primary=_default_primary(checkout),
            alternate=contacts.alternate,
            is_default=True,
        )
    )


def _holders_session(checkout_token: Any) -> int:
    """The open session on the cart; `session_unit` then refuses anyone but its
    holder, and a session still waiting for the shopper's consent."""
    from ..models import OPEN_STATUSES, TakeoverSession

    session_id = (
        TakeoverSession.objects.filter(
            checkout_token=checkout_token, status__in=OPEN_STATUSES
        )
        .values_list("pk", flat=True)
        .first()
    )
    if session_id is None:
        raise TakeoverError(
            TakeoverErrorCode.SESSION_NOT_ACTIVE,
            "Nobody has taken this cart over: take it over first to change its "
            "pickup contacts.",
            "checkoutId",
        )
    return session_id


@contextmanager
def _as_checkout_field() -> Iterator[None]:
    """Refusals of the session name the argument the caller gave: checkoutId."""
    try:
        yield
    except TakeoverError as error:
        if [d.field for d in error.details] != ["sessionId"]:
            raise
        detail = error.details[0]
        raise TakeoverError(detail.code, detail.message, "checkoutId") from None


def _store(checkout: Checkout, primary: Any, alternate: Any) -> PickupContacts:
    if not checkout.channel.is_active:
        # As Saleor's checkout mutations: nothing changes in an inactive channel.
        raise TakeoverError(
            TakeoverErrorCode.CHANNEL_INACTIVE,
            "This checkout's channel is inactive.",
            "checkoutId",
        )
    contacts = clean_contacts(primary, alternate, _country(checkout))
    if contacts.primary or contacts.alternate:
        document = json.dumps(contacts.as_document(), ensure_ascii=False)
        checkout_metadata.write(checkout, {PICKUP_CONTACTS_KEY: document})
    else:
        checkout_metadata.write(checkout, remove=[PICKUP_CONTACTS_KEY])
    return contacts


def contacts_of_order(order: Order) -> PickupContacts | None:
    """What reached the order: stored contacts, else the shopper's, for pickup orders."""
    raw = (order.metadata or {}).get(PICKUP_CONTACTS_KEY)
    try:
        parsed = parse_document(raw)
    except TakeoverError:
        parsed = None
    if parsed is not None and parsed.primary:
        return parsed
    if not order.collection_point_id and parsed is None:
        return None
    billing = order.billing_address
    default = PickupContact(
        first_name=billing.first_name if billing else "",
        last_name=billing.last_name if billing else "",
        email=order.user_email or "",
        phone=str(billing.phone) if billing and billing.phone else None,
    )
    return PickupContacts(
        primary=default, alternate=parsed.alternate if parsed else None, is_default=True
    )


def copy_to_order(checkout: Checkout, draft: Order) -> list[str]:
    """Carry the pickup point and contacts over to a draft; returns the draft's
    fields to save (the contacts are written here, key by key).

    The pickup warehouse's address becomes the shipping address, as Saleor does
    for click-and-collect checkouts.
    """
    changed: list[str] = []
    warehouse = checkout.collection_point
    if draft.shipping_method_id is not None:
        # Staff chose delivery on the draft: an order is either shipped or
        # collected (Saleor never keeps both), and staff's choice wins.
        if draft.collection_point_id is not None:
            draft.collection_point = None
            draft.collection_point_name = None
            changed += ["collection_point", "collection_point_name"]
    elif (
        warehouse is not None
        and draft.collection_point_id != warehouse.pk
        # An address staff entered (not one a pickup point brought) stays.
        and (draft.shipping_address_id is None or draft.collection_point_id)
    ):
        draft.collection_point = warehouse
        draft.collection_point_name = warehouse.name
        draft.shipping_address = warehouse.address.get_copy()
        changed += ["collection_point", "collection_point_name", "shipping_address"]
    raw = _stored(checkout)
    on_draft = (draft.metadata or {}).get(PICKUP_CONTACTS_KEY)
    if raw is not None and raw != on_draft:
        checkout_metadata.write_order(draft, set_keys={PICKUP_CONTACTS_KEY: raw})
    elif (
        raw is None and on_draft is not None and not _other_cart_copied(checkout, draft)
    ):
        # The shopper removed the contacts this cart brought. Contacts another
        # cart copied into the same draft are not this cart's to erase.
        checkout_metadata.write_order(draft, remove=[PICKUP_CONTACTS_KEY])
    return changed


def _other_cart_copied(checkout: Checkout, draft: Order) -> bool:
    from ..models import TakeoverSession

    return (
        TakeoverSession.objects.filter(
            draft_order_id=draft.pk, last_copied_at__isnull=False
        )
        .exclude(checkout_token=checkout.pk)
        .exists()
    )


def _stored(checkout: Checkout) -> str | None:
    metadata = get_checkout_metadata(checkout)
    if metadata is None:
        return None
    value = (metadata.metadata or {}).get(PICKUP_CONTACTS_KEY)
    return value if isinstance(value, str) or value is None else json.dumps(value)


def _country(checkout: Checkout) -> str | None:
    return str(checkout.country) if checkout.country else None


def _default_for(checkout: Checkout) -> PickupContacts | None:
    primary = _default_primary(checkout)
    return PickupContacts(primary=primary, is_default=True) if primary else None


def _default_primary(checkout: Checkout) -> PickupContact | None:
    billing = checkout.billing_address
    email = checkout.email or (checkout.user.email if checkout.user else "")
    if not billing and not email:
        return None
    return PickupContact(
        first_name=billing.first_name if billing else "",
        last_name=billing.last_name if billing else "",
        email=email or "",
        phone=str(billing.phone) if billing and billing.phone else None,
    )


def _completion_field(field: str | None) -> str:
    """Name the field for checkoutComplete's errors (`alternate.email` ...)."""
    return field or PICKUP_CONTACTS_KEY
