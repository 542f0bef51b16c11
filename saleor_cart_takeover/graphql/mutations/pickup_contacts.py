"""pickupContactsUpdate: who may collect a click-and-collect order."""

from typing import Any

import graphene
from saleor.checkout.models import Checkout

from ... import errors
from ...access import auth
from ...const import MAX_CONTACT_NAME_LENGTH
from ...pickup import contacts as pickup_contacts
from .. import descriptions, ids, types
from .base import BaseMutation


class PickupContactInput(graphene.InputObjectType):
    """A person who may collect the order."""

    first_name = graphene.String(
        required=True,
        description=f"First name, up to {MAX_CONTACT_NAME_LENGTH} characters.",
    )
    last_name = graphene.String(
        required=True,
        description=f"Last name, up to {MAX_CONTACT_NAME_LENGTH} characters.",
    )
    email = graphene.String(required=True, description="A valid email address.")
    phone = graphene.String(
        description="Optional phone number, international or in the checkout "
        "country's format; stored in E.164 form."
    )


class PickupContactsPayload(graphene.ObjectType):
    """The checkout's pickup contacts after the change, or why it was refused."""

    pickup_contacts = graphene.Field(
        types.PickupContacts,
        description="The contacts as stored; the shopper stands in as primary "
        "when none was given. Null when the change was refused.",
    )
    errors = graphene.List(
        graphene.NonNull(types.TakeoverError),
        required=True,
        description=descriptions.ERRORS,
    )


def _contact_dict(contact: dict | None) -> dict | None:
    if contact is None:
        return None
    result = {
        "firstName": contact.get("first_name"),
        "lastName": contact.get("last_name"),
        "email": contact.get("email"),
    }
    if contact.get("phone") not in (None, ""):
        result["phone"] = contact["phone"]
    return result


class PickupContactsUpdate(BaseMutation):
    class Arguments:
        checkout_id = graphene.ID(
            required=True,
            description="The checkout (`Checkout`), or a Cart id from this API "
            "(a rep's, needing the takeover grant).",
        )
        primary = PickupContactInput(
            description="Who collects the order; null leaves the shopper as the "
            "primary contact."
        )
        alternate = PickupContactInput(
            description="Someone other than the primary contact who may collect "
            "it instead; null removes the alternate."
        )

    Output = PickupContactsPayload

    class Meta:
        description = (
            "Set who may collect a click-and-collect order, stored in the "
            "checkout's public metadata `cart_takeover.pickup_contacts`; "
            "nothing is stored when anything is invalid. Whoever holds the "
            "checkout id may call it, like Saleor's checkout mutations. Through "
            "a Cart id (a rep's), only the rep holding the cart's active takeover "
            "may, and the change goes into the session's history."
        )

    @classmethod
    def check_permissions(cls, info: Any) -> auth.Caller | None:
        return info.context.caller

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls,
        info: Any,
        caller: auth.Caller | None,
        checkout_id: str,
        primary: dict | None = None,
        alternate: dict | None = None,
    ) -> PickupContactsPayload:
        token = _checkout_token(checkout_id, caller)
        contacts = pickup_contacts.update_contacts(
            token,
            _contact_dict(primary),
            _contact_dict(alternate),
            staff=caller.user if caller and caller.user.is_staff else None,
            settings=info.context.settings,
            # A Cart id is a rep's: only through the active session they hold.
            as_holder=ids.is_cart_id(checkout_id),
        )
        return PickupContactsPayload(pickup_contacts=contacts, errors=[])


def _checkout_token(checkout_id: str, caller: auth.Caller | None) -> Any:
    """Storefronts name the checkout by its id; reps by the Cart id this API
    gave them, which only a rep with the takeover permission may use."""
    if not ids.is_cart_id(checkout_id):
        return ids.decode_uuid(checkout_id, "Checkout", "checkoutId")
    if caller is None:
        raise errors.PermissionDenied("Sign in to use a cart id.")
    auth.require_takeover_permission(caller)
    token = ids.decode_cart(checkout_id, "checkoutId")
    channel_id = (
        Checkout.objects.filter(pk=token).values_list("channel_id", flat=True).first()
    )
    auth.require_channel_access(caller, channel_id)
    return token
