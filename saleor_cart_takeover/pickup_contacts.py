"""Who may collect a click-and-collect order: a primary and an alternate contact.

The contacts are a JSON document in the checkout's public metadata, so
storefronts can write it with Saleor's own `updateMetadata`; Saleor copies it
onto the order. The same rules apply however it was written, and a
click-and-collect checkout whose document breaks them cannot be completed.
Contacts are personal data: they are stored verbatim and never logged.
"""

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from saleor.account.validators import validate_possible_number
from saleor.checkout.models import Checkout
from saleor.checkout.utils import get_checkout_metadata, get_or_create_checkout_metadata
from saleor.order.models import Order

from .const import (
    MAX_CONTACT_NAME_LENGTH,
    MAX_CONTACTS_DOCUMENT_LENGTH,
    PICKUP_CONTACTS_KEY,
)
from .errors import ErrorDetail, TakeoverError, TakeoverErrorCode

if TYPE_CHECKING:
    from saleor.account.models import User
    from saleor.checkout.fetch import CheckoutInfo

    from .config import TakeoverSettings

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_ROLES = ("primary", "alternate")
_FIELDS = ("firstName", "lastName", "email", "phone")


@dataclass(frozen=True)
class PickupContact:
    first_name: str
    last_name: str
    email: str
    phone: str | None = None

    def as_document(self) -> dict[str, str]:
        document = {
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
        }
        if self.phone:
            document["phone"] = self.phone
        return document


@dataclass(frozen=True)
class PickupContacts:
    primary: PickupContact | None = None
    alternate: PickupContact | None = None
    # True when nobody was named and the shopper stands in as primary contact.
    is_default: bool = False

    def as_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {}
        if self.primary:
            document["primary"] = self.primary.as_document()
        if self.alternate:
            document["alternate"] = self.alternate.as_document()
        return document


def clean_contacts(
    primary: dict[str, Any] | None,
    alternate: dict[str, Any] | None,
    country: str | None = None,
) -> PickupContacts:
    """Validate raw contacts (document or API input) or raise naming each field."""
    details: list[ErrorDetail] = []
    cleaned = {}
    for role, raw in (("primary", primary), ("alternate", alternate)):
        if raw is None:
            continue
        contact, problems = _clean_contact(role, raw, country)
        details += problems
        cleaned[role] = contact
    first, second = cleaned.get("primary"), cleaned.get("alternate")
    if first and second and _same_person(first, second):
        details.append(
            ErrorDetail(
                TakeoverErrorCode.INVALID,
                "The alternate contact must be someone other than the primary contact.",
                "alternate",
            )
        )
    if details:
        raise TakeoverError.many(details)
    return PickupContacts(primary=first, alternate=second)


def parse_document(
    raw: str | None, country: str | None = None
) -> PickupContacts | None:
    """Read the stored document; None when there is none."""
    if raw is None or raw == "":
        return None
    if len(raw) > MAX_CONTACTS_DOCUMENT_LENGTH:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            "The pickup contacts are too long.",
            PICKUP_CONTACTS_KEY,
        )
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting fits in 8,000 characters
        document = None
    if not isinstance(document, dict) or set(document) - set(_ROLES):
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            'Pickup contacts must be a JSON object like {"primary": {...}, '
            '"alternate": {...}}.',
            PICKUP_CONTACTS_KEY,
        )
    for role in _ROLES:
        if role in document and not isinstance(document[role], dict):
            raise TakeoverError(
                TakeoverErrorCode.INVALID,
                f"The {role} contact must be a JSON object.",
                role,
            )
    return clean_contacts(document.get("primary"), document.get("alternate"), country)


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
    try:
        parse_document(_stored(checkout), _country(checkout))
    except TakeoverError as error:
        return [
            (_completion_field(detail.field), f"Pickup contacts: {detail.message}")
            for detail in error.details
        ]
    return []


def update_contacts(
    checkout_token: Any,
    primary: dict[str, Any] | None,
    alternate: dict[str, Any] | None,
    *,
    staff: "User | None" = None,
    settings: "TakeoverSettings | None" = None,
) -> PickupContacts:
    """Validate, then store; nothing is stored when anything is invalid.

    Giving no alternate removes it; giving no primary leaves the shopper as the
    primary contact. A rep who holds the cart works through their session's
    unit of work: it counts as activity and goes into the history.
    """
    # Imported here: `plugin` imports this module before Django's apps are ready.
    from . import takeover
    from .models import TakeoverEventType

    held = takeover.held_session_id(checkout_token, staff) if settings else None
    if held is not None and staff is not None and settings is not None:
        with takeover.session_unit(held, staff, settings) as unit:
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


def _store(checkout: Checkout, primary: Any, alternate: Any) -> PickupContacts:
    contacts = clean_contacts(primary, alternate, _country(checkout))
    metadata = get_or_create_checkout_metadata(checkout)
    if contacts.primary or contacts.alternate:
        document = json.dumps(contacts.as_document(), ensure_ascii=False)
        metadata.store_value_in_metadata({PICKUP_CONTACTS_KEY: document})
    else:
        metadata.delete_value_from_metadata(PICKUP_CONTACTS_KEY)
    metadata.save(update_fields=["metadata"])
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
    """Carry the pickup point and contacts over to a draft; returns changed fields.

    The pickup warehouse's address becomes the shipping address, as Saleor does
    for click-and-collect checkouts.
    """
    changed: list[str] = []
    warehouse = checkout.collection_point
    if warehouse is not None and draft.collection_point_id != warehouse.pk:
        draft.collection_point = warehouse
        draft.collection_point_name = warehouse.name
        draft.shipping_address = warehouse.address.get_copy()
        changed += ["collection_point", "collection_point_name", "shipping_address"]
    raw = _stored(checkout)
    if raw != (draft.metadata or {}).get(PICKUP_CONTACTS_KEY):
        if raw is None:
            draft.delete_value_from_metadata(PICKUP_CONTACTS_KEY)
        else:
            draft.store_value_in_metadata({PICKUP_CONTACTS_KEY: raw})
        changed.append("metadata")
    return changed


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


def _clean_contact(
    role: str, raw: dict[str, Any], country: str | None
) -> tuple[PickupContact | None, list[ErrorDetail]]:
    problems: list[ErrorDetail] = []
    unknown = set(raw) - set(_FIELDS)
    if unknown:
        problems.append(
            ErrorDetail(
                TakeoverErrorCode.INVALID,
                "Unknown field(s): " + ", ".join(sorted(str(key) for key in unknown)),
                role,
            )
        )
    values: dict[str, str] = {}
    for name in _FIELDS:
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name != "phone":
                problems.append(
                    ErrorDetail(
                        TakeoverErrorCode.REQUIRED,
                        f"Enter the {role} contact's {_LABELS[name]}.",
                        f"{role}.{name}",
                    )
                )
            continue
        if not isinstance(value, str):
            problems.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"The {role} contact's {_LABELS[name]} must be text.",
                    f"{role}.{name}",
                )
            )
            continue
        values[name] = value.strip()

    for name in ("firstName", "lastName"):
        value = values.get(name)
        if value is None:
            continue
        if len(value) > MAX_CONTACT_NAME_LENGTH:
            problems.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"The {role} contact's {_LABELS[name]} may have at most "
                    f"{MAX_CONTACT_NAME_LENGTH} characters.",
                    f"{role}.{name}",
                )
            )
        elif _CONTROL_CHARS.search(value):
            problems.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"The {role} contact's {_LABELS[name]} contains characters "
                    "that are not allowed.",
                    f"{role}.{name}",
                )
            )
    if "email" in values:
        try:
            if len(values["email"]) > 254:
                raise ValidationError("too long")
            validate_email(values["email"])
        except ValidationError:
            problems.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"Enter a valid email address for the {role} contact.",
                    f"{role}.email",
                )
            )
    if "phone" in values:
        try:
            if len(values["phone"]) > 32:
                raise ValidationError("too long")
            values["phone"] = str(
                validate_possible_number(values["phone"], country).as_e164
            )
        except (ValidationError, AttributeError, TypeError):
            problems.append(
                ErrorDetail(
                    TakeoverErrorCode.INVALID,
                    f"Enter a valid phone number for the {role} contact, with the "
                    "country code (for example +1 415 555 0100).",
                    f"{role}.phone",
                )
            )
    if problems:
        return None, problems
    return (
        PickupContact(
            first_name=values["firstName"],
            last_name=values["lastName"],
            email=values["email"],
            phone=values.get("phone"),
        ),
        [],
    )


_LABELS = {
    "firstName": "first name",
    "lastName": "last name",
    "email": "email",
    "phone": "phone number",
}


def _same_person(first: PickupContact, second: PickupContact) -> bool:
    def name(contact: PickupContact) -> tuple[str, str]:
        return (contact.first_name.casefold(), contact.last_name.casefold())

    return name(first) == name(second)


def _completion_field(field: str | None) -> str:
    """Name the field for checkoutComplete's errors (`alternate.email` ...)."""
    return field or PICKUP_CONTACTS_KEY
