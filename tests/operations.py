"""GraphQL documents and helpers shared by the tests: what a CSR's UI sends."""

from saleor_cart_takeover.graphql.operations import operation

from .builders import create_draft, line_input, metadata
from .ids import pk_of

__all__ = ["cart_token", "create_draft", "line_input", "metadata", "operation", "pk_of"]

# What a CSR's screen sends: the extension's own operations
# (saleor_cart_takeover/graphql/operations/plugin/), not copies of them.
START = operation("plugin/Start")
ADD = operation("plugin/LinesAdd")
UPDATE = operation("plugin/LinesUpdate")
DELETE = operation("plugin/LinesDelete")
COPY = operation("plugin/Copy")
REVERT = operation("plugin/Revert")
END = operation("plugin/End")
SESSION = operation("plugin/Session")
SESSIONS = operation("plugin/Sessions")
# What the storefront (the kit) and the CSR's screen send for pickup contacts.
PICKUP_CONTACTS_UPDATE = operation("plugin/PickupContactsUpdate")
ORDER_PICKUP = operation("plugin/OrderPickup")


def cart_token(session: dict) -> str:
    """The checkout token behind a session: the API never shows it to a rep."""
    from saleor_cart_takeover.models import TakeoverSession

    return str(TakeoverSession.objects.get(pk=pk_of(session["id"])).checkout_token)


def copy(client, session: dict, **variables) -> dict:
    """The payload of "Add Items to Order" (`takeoverCopyToDraft`) for a session."""
    return client.post(COPY, {"session": session["id"], **variables}).payload(
        "takeoverCopyToDraft"
    )
