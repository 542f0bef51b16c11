"""pickupContactsUpdate: who may collect a click-and-collect order."""

from typing import Any

import graphene

from ... import auth, pickup_contacts
from .. import ids, types
from .base import BaseMutation


class PickupContactInput(graphene.InputObjectType):
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    email = graphene.String(required=True)
    phone = graphene.String()


class PickupContactsPayload(graphene.ObjectType):
    pickup_contacts = graphene.Field(types.PickupContacts)
    errors = graphene.List(graphene.NonNull(types.TakeoverError), required=True)


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
    """Whoever holds the checkout id may call it, like Saleor's checkout mutations."""

    class Arguments:
        checkout_id = graphene.ID(required=True)
        primary = PickupContactInput()
        alternate = PickupContactInput()

    Output = PickupContactsPayload

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
        token = ids.decode_uuid(checkout_id, "Checkout", "checkoutId")
        contacts = pickup_contacts.update_contacts(
            token,
            _contact_dict(primary),
            _contact_dict(alternate),
            staff=caller.user if caller and caller.user.is_staff else None,
            settings=info.context.settings,
        )
        return PickupContactsPayload(pickup_contacts=contacts, errors=[])
