"""One takeover's unit of work (`takeover/session.py`): a session whose cart or
draft order was deleted ends, and the rep is told why."""

from saleor.checkout.models import Checkout

from saleor_cart_takeover.models import TakeoverSession

from ..clients import SaleorClient
from ..ids import gid
from ..operations import COPY, cart_token


def test_deleted_cart_ends_the_session_and_says_why(started, csr_client):
    session, _ = started
    Checkout.objects.filter(pk=cart_token(session)).delete()

    response = csr_client.post(COPY, {"session": session["id"]})

    error = response.errors_of("takeoverCopyToDraft")[0]
    assert error["code"] == "SESSION_NOT_ACTIVE"
    assert "cart no longer exists" in error["message"]


def test_deleted_draft_ends_the_session(started, csr_client, csr):
    session, draft = started
    SaleorClient(csr).post(
        "mutation($id: ID!) { draftOrderDelete(id: $id) { errors { message } } }",
        {"id": gid("Order", draft.pk)},
    )

    response = csr_client.post(COPY, {"session": session["id"]})

    assert (
        "draft order was deleted"
        in response.errors_of("takeoverCopyToDraft")[0]["message"]
    )
    assert TakeoverSession.objects.get().end_reason == "draft_deleted"
