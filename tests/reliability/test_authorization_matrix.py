"""Every operation by every kind of caller → the expected answer, cell by cell.

Outcomes a caller can see:
- UNAUTHENTICATED: HTTP 401, `Unauthenticated` (bad or missing credentials);
- DENIED: HTTP 200, a `PermissionDenied` GraphQL error and no data;
- FILTERED: HTTP 200 with an empty answer (lists and lookups only show what
  the caller's channels allow);
- ALLOWED: the operation runs (it may still answer with domain errors).
A refused row must also leave every table exactly as it was.
"""

from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone
from saleor.account.models import Group, User
from saleor.app.models import App, AppExtension
from saleor.core.jwt import (
    create_access_token,
    create_refresh_token,
    jwt_encode,
)
from saleor.permission.models import Permission

from saleor_cart_takeover import APP_IDENTIFIER
from saleor_cart_takeover.dashboard.installation import install_app
from saleor_cart_takeover.models import TakeoverGrant
from saleor_cart_takeover.takeover.carts import cart_code

from ..builders import make_csr
from ..clients import call, extension_token
from ..ids import gid, pk_of
from .conftest import World, state

UNAUTHENTICATED, DENIED, FILTERED, ALLOWED = "401", "denied", "filtered", "allowed"


@dataclass(frozen=True)
class Operation:
    field: str
    document: str
    variables: Callable[[World, dict], dict[str, Any]]


S = "session { id } errors { code }"
OPERATIONS = [
    Operation("viewer", "{ viewer { email canTakeOver } }", lambda w, ids: {}),
    Operation(
        "takeoverSession",
        "query($id: ID!) { takeoverSession(id: $id) { id } }",
        lambda w, ids: {"id": ids["session"]},
    ),
    Operation("takeoverSessions", "{ takeoverSessions { id } }", lambda w, ids: {}),
    Operation(
        "customerCarts",
        "query($c: ID!) { customerCarts(customerId: $c) { id } }",
        lambda w, ids: {"c": gid("User", w.customer.pk)},
    ),
    Operation(
        "cartByCode",
        "query($code: String!) { cartByCode(code: $code) { id } }",
        lambda w, ids: {"code": cart_code(pk_of(w.checkout_id))},
    ),
    Operation(
        "orderPickupContacts",
        "query($o: ID!) { orderPickupContacts(orderId: $o) { primary { email } } }",
        lambda w, ids: {"o": w.draft_id},
    ),
    Operation(
        "takeoverPermissionHolders",
        "{ takeoverPermissionHolders { kind name } }",
        lambda w, ids: {},
    ),
    Operation(
        "takeoverStart",
        f"mutation($d: ID!, $c: ID) {{ takeoverStart(draftOrderId: $d, checkoutId: $c) {{ {S} }} }}",
        lambda w, ids: {"d": w.draft_id, "c": w.checkout_id},
    ),
    Operation(
        "takeoverLinesAdd",
        f"mutation($s: ID!, $v: ID!) {{ takeoverLinesAdd(sessionId: $s, lines: [{{variantId: $v, quantity: 1}}]) {{ {S} }} }}",
        lambda w, ids: {
            "s": ids["session"],
            "v": gid("ProductVariant", w.variants[2].pk),
        },
    ),
    Operation(
        "takeoverLinesUpdate",
        f"mutation($s: ID!, $l: ID!) {{ takeoverLinesUpdate(sessionId: $s, lines: [{{lineId: $l, quantity: 3}}]) {{ {S} }} }}",
        lambda w, ids: {"s": ids["session"], "l": ids["line"]},
    ),
    Operation(
        "takeoverCopyToDraft",
        f"mutation($s: ID!) {{ takeoverCopyToDraft(sessionId: $s) {{ {S} }} }}",
        lambda w, ids: {"s": ids["session"]},
    ),
    Operation(
        "takeoverLinesDelete",
        f"mutation($s: ID!, $l: ID!) {{ takeoverLinesDelete(sessionId: $s, lineIds: [$l]) {{ {S} }} }}",
        lambda w, ids: {"s": ids["session"], "l": ids["line"]},
    ),
    Operation(
        "pickupContactsUpdate",
        "mutation($c: ID!) { pickupContactsUpdate(checkoutId: $c, primary: "
        '{firstName: "Ada", lastName: "L", email: "ada@example.com"}) '
        "{ errors { code } } }",
        lambda w, ids: {"c": w.checkout_id},
    ),
    Operation(
        "takeoverPermissionGrant",
        'mutation { takeoverPermissionGrant(userEmail: "target@example.com") '
        "{ changed errors { code } } }",
        lambda w, ids: {},
    ),
    Operation(
        "takeoverPermissionRevoke",
        'mutation { takeoverPermissionRevoke(userEmail: "csr@example.com") '
        "{ changed errors { code } } }",
        lambda w, ids: {},
    ),
    Operation(
        "dashboardSessionCreate",
        "mutation { dashboardSessionCreate { token } }",
        lambda w, ids: {},
    ),
    Operation(
        "takeoverRevert",
        f"mutation($s: ID!) {{ takeoverRevert(sessionId: $s) {{ {S} }} }}",
        lambda w, ids: {"s": ids["session"]},
    ),
    # Last: it ends the session the operations above work on.
    Operation(
        "takeoverEnd",
        f"mutation($s: ID!) {{ takeoverEnd(sessionId: $s) {{ {S} }} }}",
        lambda w, ids: {"s": ids["session"]},
    ),
]
TAKEOVER_OPS = {
    "takeoverSession",
    "takeoverStart",
    "takeoverLinesAdd",
    "takeoverLinesUpdate",
    "takeoverCopyToDraft",
    "takeoverLinesDelete",
    "takeoverRevert",
    "takeoverEnd",
}
LISTS = {"takeoverSessions", "customerCarts", "cartByCode"}
GRANTS = {
    "takeoverPermissionHolders",
    "takeoverPermissionGrant",
    "takeoverPermissionRevoke",
}
ALL = {op.field for op in OPERATIONS}


READS = {"viewer", "orderPickupContacts", *LISTS, "takeoverSession"}


def row(default: str, **overrides: str) -> dict[str, str]:
    return {field: overrides.get(field, default) for field in ALL}


def authenticated_without(
    allowed: Set[str], filtered: Set[str] = frozenset()
) -> dict[str, str]:
    expected = row(DENIED)
    expected.update(dict.fromkeys(allowed, ALLOWED))
    expected.update(dict.fromkeys(filtered, FILTERED))
    return expected


# The public mutation works without a token, as Saleor's checkout mutations do;
# any token that comes with it must still be valid.
PUBLIC = {"pickupContactsUpdate"}
EXPECTED: dict[str, dict[str, str]] = {
    "no token": row(UNAUTHENTICATED, pickupContactsUpdate=ALLOWED),
    "garbage": row(UNAUTHENTICATED),
    "forged signature": row(UNAUTHENTICATED),
    "alg none": row(UNAUTHENTICATED),
    "expired": row(UNAUTHENTICATED),
    "refresh token": row(UNAUTHENTICATED),
    "inactive user": row(UNAUTHENTICATED),
    "shopper": authenticated_without({"viewer", *PUBLIC}),
    "staff without the takeover permission": authenticated_without(
        {"viewer", "orderPickupContacts", *PUBLIC}
    ),
    "staff without MANAGE_ORDERS": authenticated_without({"viewer", *PUBLIC}),
    "staff restricted to another channel": authenticated_without(
        {"viewer", *PUBLIC}, filtered=LISTS
    ),
    "another app's extension token": row(DENIED),
    "this app's token, app deactivated": row(DENIED),
    "this app's token, app uninstalled": row(DENIED),
    # Controls: the same cells succeed for the right callers.
    "CSR": authenticated_without(
        {"viewer", "orderPickupContacts", *PUBLIC, *LISTS, *TAKEOVER_OPS}
    ),
    "this app's extension token": authenticated_without(
        {
            "viewer",
            "orderPickupContacts",
            *PUBLIC,
            *LISTS,
            *TAKEOVER_OPS,
            "dashboardSessionCreate",
        }
    ),
}


def forge(token: str, *, algorithm: str) -> str:
    """Same claims, signed by someone who is not Saleor."""
    payload = jwt.decode(token, options={"verify_signature": False})
    header = jwt.get_unverified_header(token)
    if algorithm == "none":
        # PyJWT's annotation of `key` leaves out the None that "none" requires.
        return jwt.encode(
            payload,
            None,  # type: ignore[arg-type]
            algorithm="none",
            headers={"kid": header.get("kid")},
        )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return jwt.encode(
        payload, pem, algorithm="RS256", headers={"kid": header.get("kid")}
    )


def other_app(user: User) -> App:
    app = App.objects.create(name="Other app", identifier="other.app", is_active=True)
    manage = Permission.objects.filter(codename="manage_orders")
    app.permissions.set(manage)
    extension = AppExtension.objects.create(
        app=app,
        label="Other",
        url="https://other.example.com/x",
        mount="ORDER_DETAILS_MORE_ACTIONS",
    )
    extension.permissions.set(manage)
    return app


def token_for(
    kind: str, world: World, manage_orders: Permission, channel_PLN: Any
) -> str | None:
    csr = world.csr
    if kind == "no token":
        return None
    if kind == "garbage":
        return "garbage"
    if kind == "forged signature":
        return forge(create_access_token(csr), algorithm="RS256")
    if kind == "alg none":
        return forge(create_access_token(csr), algorithm="none")
    if kind == "expired":
        payload = jwt.decode(
            create_access_token(csr), options={"verify_signature": False}
        )
        payload["exp"] = int((timezone.now() - timedelta(minutes=1)).timestamp())
        return jwt_encode(payload)
    if kind == "refresh token":
        return create_refresh_token(csr)
    if kind == "inactive user":
        user = make_csr("gone@example.com", manage_orders)
        token = create_access_token(user)
        User.objects.filter(pk=user.pk).update(is_active=False)
        return token
    if kind == "shopper":
        return create_access_token(world.customer)
    if kind == "staff without the takeover permission":
        return create_access_token(
            make_csr("nogrant@example.com", manage_orders, grant=False)
        )
    if kind == "staff without MANAGE_ORDERS":
        user = User.objects.create(
            email="nomo@example.com", is_staff=True, is_active=True
        )
        TakeoverGrant.objects.create(user=user)
        return create_access_token(user)
    if kind == "staff restricted to another channel":
        group = Group.objects.create(
            name="PLN only", restricted_access_to_channels=True
        )
        group.permissions.add(manage_orders)
        group.channels.add(channel_PLN)
        user = make_csr("pln@example.com", manage_orders)
        user.groups.set([group])
        return create_access_token(user)
    if kind == "another app's extension token":
        return extension_token(other_app(csr), csr, identifier=None)
    if kind == "CSR":
        return create_access_token(csr)
    app = install_app("http://localhost:8000")
    assert app.identifier == APP_IDENTIFIER
    token = extension_token(app, csr, identifier=None)
    if kind == "this app's token, app deactivated":
        App.objects.filter(pk=app.pk).update(is_active=False)
    elif kind == "this app's token, app uninstalled":
        # What the Dashboard's "Delete app" does: Saleor's soft delete (3.23's
        # `saleor.app.actions.delete_app`, 3.22's `AppDelete` mutation).
        app.removed_at = timezone.now()
        app.is_active = False
        app.save(update_fields=["removed_at", "is_active"])
    return token


def outcome(answer: Any, field: str) -> str:
    if answer.status == 401 and answer.top_codes == ["Unauthenticated"]:
        return UNAUTHENTICATED
    assert answer.status == 200, (field, answer.status, answer.body)
    data = answer.body.get("data") or {}
    if answer.top_codes:
        assert answer.top_codes == ["PermissionDenied"], (field, answer.body)
        assert data.get(field) is None, (field, answer.body)
        return DENIED
    if field in LISTS and data.get(field) in (None, []):
        return FILTERED
    return ALLOWED


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_authorization_matrix(kind: str, world: World, manage_orders, channel_PLN):
    session = world.start()
    line = world.shopper.cart(world.checkout_id)["lines"][0]["id"]
    ids = {"session": session["id"], "line": line}
    token = token_for(kind, world, manage_orders, channel_PLN)
    before = state()

    seen = {}
    for operation in OPERATIONS:
        answer = call(token, operation.document, operation.variables(world, ids))
        seen[operation.field] = outcome(answer, operation.field)
        if seen[operation.field] == UNAUTHENTICATED:
            assert answer.body["errors"][0]["message"]

    assert seen == EXPECTED[kind]
    writes = {f for f, o in EXPECTED[kind].items() if o == ALLOWED} - READS - PUBLIC
    if not writes:
        # Nothing that was refused left a trace; the public mutation may write
        # the contacts it was given, and nothing else.
        after = state()
        if EXPECTED[kind]["pickupContactsUpdate"] == ALLOWED:
            after["checkout_metadata"] = before["checkout_metadata"]
        assert after == before


def test_staff_cannot_grant_a_permission_they_do_not_hold(takeover_plugin, db):
    manager = User.objects.create(email="hr@example.com", is_staff=True, is_active=True)
    group = Group.objects.create(name="Staff managers")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["manage_staff", "manage_orders"])
    )
    manager.groups.add(group)

    answer = call(
        create_access_token(manager),
        'mutation { takeoverPermissionGrant(userEmail: "hr@example.com") '
        "{ changed errors { code } } }",
    )

    assert outcome(answer, "takeoverPermissionGrant") == DENIED
    assert not TakeoverGrant.objects.filter(user=manager).exists()
