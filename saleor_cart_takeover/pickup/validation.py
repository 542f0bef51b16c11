"""The rules a pickup contacts document must follow, however it was written.

A primary and an alternate contact, each with a name, an email and an
optional phone number; no hidden characters; the alternate is someone else.
Storage, defaults and completion live in `contacts.py`.
"""

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from saleor.account.validators import validate_possible_number

from ..const import (
    MAX_CONTACT_NAME_LENGTH,
    MAX_CONTACTS_DOCUMENT_LENGTH,
    PICKUP_CONTACTS_KEY,
)
from ..errors import ErrorDetail, TakeoverError, TakeoverErrorCode

# Control, format (zero-width, bidirectional overrides and isolates, soft
# hyphen, BOM), surrogate, private-use and line/paragraph separator characters:
# invisible or reordering text, they make two names look alike (defeating the
# "alternate differs from primary" check) or a name read differently.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
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
        elif _has_hidden_characters(value):
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


def _has_hidden_characters(value: str) -> bool:
    return any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in value)


def _same_person(first: PickupContact, second: PickupContact) -> bool:
    def folded(text: str) -> str:
        # Compatibility forms (full-width letters, ligatures) and spacing
        # must not make the same name count as another person's.
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    def name(contact: PickupContact) -> tuple[str, str]:
        return (folded(contact.first_name), folded(contact.last_name))

    return name(first) == name(second)
