"""Who is calling, and may they take over carts? Every check lives here.

Callers authenticate with a Saleor JWT: a staff user's access token or the
token the Dashboard hands this plugin's own app extension (`thirdparty`).
Authorization needs Saleor's MANAGE_ORDERS (as every draft-order mutation does),
the plugin's takeover grant, and access to the channel of what is touched.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import graphene
import jwt
from django.core import signing
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from saleor.account.models import Group, User
from saleor.app.models import App, AppExtension
from saleor.core.auth import get_token_from_request
from saleor.core.jwt import (
    APP_KEY_FIELD,
    JWT_THIRDPARTY_ACCESS_TYPE,
    get_user_from_access_payload,
    jwt_decode,
)
from saleor.permission.enums import (
    AccountPermissions,
    OrderPermissions,
    get_permission_names,
    get_permissions_from_names,
)

from .. import const
from ..errors import PermissionDenied, Unauthenticated
from ..models import TakeoverGrant


@dataclass(frozen=True)
class Caller:
    user: User
    # Set when the token was issued by the Dashboard to this plugin's app.
    app: App | None = None

    @property
    def email(self) -> str:
        return self.user.email


def authenticate(request: HttpRequest) -> Caller:
    """Identify the staff user behind the request's bearer token."""
    token = get_token_from_request(request)
    if not token:
        raise Unauthenticated("Authentication required: send a Saleor access token.")
    if is_dashboard_session_token(token):
        return _authenticate_dashboard_session(token)
    try:
        payload = jwt_decode(token)
        user = get_user_from_access_payload(payload, request)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The access token has expired.") from exc
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise Unauthenticated("The access token is invalid.") from exc
    if user is None:
        raise Unauthenticated("The access token is invalid.")
    app = None
    if payload.get("type") == JWT_THIRDPARTY_ACCESS_TYPE:
        app = _app_of_extension_token(payload)
    return Caller(user=user, app=app)


def _app_of_extension_token(payload: dict) -> App:
    """Accept third-party tokens only from this plugin's own, active app.

    Saleor never checks whether the app behind such a token is still installed
    and active, so a token minted for another app (or for ours before it was
    deactivated) must not pass.
    """
    try:
        _, app_pk = graphene.Node.from_global_id(payload.get(APP_KEY_FIELD) or "")
        app = App.objects.filter(pk=int(app_pk)).first()
    except (ValueError, TypeError, UnicodeDecodeError):
        app = None
    if app is None or app.identifier != const.APP_IDENTIFIER:
        raise PermissionDenied("This token was issued to another app.")
    if not app.is_active:
        raise PermissionDenied("The Cart takeover app is deactivated.")
    extension_id = payload.get("app_extension")
    if extension_id:
        try:
            _, extension_pk = graphene.Node.from_global_id(extension_id)
            belongs = AppExtension.objects.filter(
                pk=int(extension_pk), app_id=app.pk
            ).exists()
        except (ValueError, TypeError, UnicodeDecodeError):
            belongs = False
        if not belongs:
            raise PermissionDenied("This token was issued to another app's extension.")
    return app


def has_takeover_permission(user: User) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return TakeoverGrant.objects.filter(
        Q(user_id=user.pk) | Q(group__user=user.pk, members__contains=[user.pk])
    ).exists()


def require_takeover_permission(caller: Caller) -> None:
    """Takeover operations need MANAGE_ORDERS and the takeover grant."""
    require_manage_orders(caller)
    if not has_takeover_permission(caller.user):
        raise PermissionDenied(
            "You need the cart takeover permission: ask an administrator for the "
            "takeover grant (manage.py cart_takeover grant, or the Cart takeovers "
            "page)."
        )


def require_channel_access(caller: Caller, channel_id: int | None) -> None:
    """Mirror Saleor's channel-restricted permission groups."""
    if channel_id is None:
        return
    channel_ids = accessible_channel_ids(caller)
    if channel_ids is not None and channel_id not in channel_ids:
        raise PermissionDenied("You don't have access to this channel.")


# Where `accessible_channel_ids` keeps its answer on the request's user object,
# as Django keeps permissions (`_perm_cache`): for one request, never longer.
_CHANNELS_CACHE = "_cart_takeover_channel_ids"


def accessible_channel_ids(caller: Caller) -> list[int] | None:
    """The channels the caller may work in; None means all of them.

    One query per request however many checks it makes (a mutation checks the
    draft's channel, then lists carts in the channels it may see).
    """
    user = caller.user
    if user.is_superuser:
        return None
    if hasattr(user, _CHANNELS_CACHE):
        return getattr(user, _CHANNELS_CACHE)
    # A group without channels comes back once with None, thanks to the join.
    rows = list(
        Group.objects.filter(user=user.pk).values_list(
            "restricted_access_to_channels", "channels"
        )
    )
    channel_ids: list[int] | None
    if any(not restricted for restricted, _ in rows):
        channel_ids = None
    else:
        channel_ids = sorted({channel for _, channel in rows if channel is not None})
    setattr(user, _CHANNELS_CACHE, channel_ids)
    return channel_ids


def require_manage_orders(caller: Caller) -> None:
    if not caller.user.is_staff or not caller.user.has_perm(
        OrderPermissions.MANAGE_ORDERS
    ):
        raise PermissionDenied("You need the MANAGE_ORDERS permission.")


def can_manage_grants(caller: Caller) -> bool:
    """MANAGE_STAFF, and holding the takeover permission oneself: as in Saleor,
    staff cannot hand out a permission they do not have."""
    return (
        caller.user.is_staff
        and caller.user.has_perm(AccountPermissions.MANAGE_STAFF)
        and has_takeover_permission(caller.user)
    )


def require_grant_management(caller: Caller) -> None:
    """Granting the takeover permission is staff management (MANAGE_STAFF)."""
    if not can_manage_grants(caller):
        raise PermissionDenied(
            "You need the MANAGE_STAFF permission and the cart takeover permission "
            "yourself to grant or revoke cart takeover."
        )


def require_grant_target_access(
    caller: Caller, *, user: User | None = None, group: Group | None = None
) -> None:
    """As Saleor's staff and permission-group mutations: a manager may change
    grants only of staff and groups whose channels are all within their own."""
    mine = accessible_channel_ids(caller)
    if mine is None:
        return
    groups = (
        Group.objects.filter(pk=group.pk)
        if group is not None
        else Group.objects.filter(user=user.pk if user else None)
    )
    theirs = set(
        groups.filter(restricted_access_to_channels=True)
        .filter(channels__isnull=False)
        .values_list("channels", flat=True)
    )
    if groups.filter(restricted_access_to_channels=False).exists() or (
        theirs - set(mine)
    ):
        raise PermissionDenied(
            "You can't manage the cart takeover permission of staff or groups "
            "with channels out of your scope."
        )


def has_credentials(request: HttpRequest) -> bool:
    return bool(get_token_from_request(request))


# --- Dashboard sessions ------------------------------------------------------
# The Dashboard gives a popup one 5-minute token and never refreshes it, yet a
# CSR works in the takeover screen for half an hour or more. The extension
# trades that token (once, while it is fresh) for a dashboard session token:
# Django-signed, no server-side state. Each use re-reads the user and the app,
# so deactivating either, uninstalling the app, rotating the user's
# `jwt_token_key` (Saleor's `tokensDeactivateAll`) or changing the password
# ends it. Saleor rotates `jwt_token_key` only in `tokensDeactivateAll`, not on
# a password change or reset, so the session is also bound to a keyed
# fingerprint of the password hash (the token is signed, not encrypted: the
# hash itself must not travel).
# It keeps the original token's permissions (extension ∩ user), intersected
# again with the user's current ones on every request.

# Each token lives DASHBOARD_SESSION_TTL; the page renews it while open, but
# never beyond DASHBOARD_SESSION_MAX_AGE after the Dashboard's own token was
# exchanged (both in `const`).


@dataclass(frozen=True)
class DashboardSession:
    token: str
    expires_at: datetime


def is_dashboard_session_token(token: str | None) -> bool:
    return bool(token) and token.startswith(const.DASHBOARD_SESSION_PREFIX)  # type: ignore[union-attr]


def issue_dashboard_session(request: HttpRequest, caller: Caller) -> DashboardSession:
    """Exchange the request's app token (or renew its dashboard session)."""
    if caller.app is None:
        raise PermissionDenied(
            "Only a token the Dashboard gave the Cart takeover app can be exchanged."
        )
    token = get_token_from_request(request) or ""
    now = timezone.now()
    if is_dashboard_session_token(token):
        previous = _load_dashboard_session(token)
        started = datetime.fromtimestamp(previous["s"], tz=UTC)
        extension_pk = previous.get("e")
    else:
        started = now
        extension_pk = _extension_pk(jwt_decode(token).get("app_extension"))
    payload = {
        "u": caller.user.pk,
        "k": caller.user.jwt_token_key,
        "h": _password_fingerprint(caller.user),
        "a": caller.app.pk,
        "e": extension_pk,
        "p": sorted(get_permission_names(caller.user.effective_permissions)),
        "s": int(started.timestamp()),
    }
    signed = signing.dumps(payload, salt=const.DASHBOARD_SESSION_SALT)
    expires_at = min(
        now + const.DASHBOARD_SESSION_TTL, started + const.DASHBOARD_SESSION_MAX_AGE
    )
    return DashboardSession(const.DASHBOARD_SESSION_PREFIX + signed, expires_at)


def _load_dashboard_session(token: str) -> dict:
    try:
        payload = signing.loads(
            token.removeprefix(const.DASHBOARD_SESSION_PREFIX),
            salt=const.DASHBOARD_SESSION_SALT,
            max_age=const.DASHBOARD_SESSION_TTL,
        )
    except signing.SignatureExpired as exc:
        raise Unauthenticated(
            "The dashboard session has expired; reopen the page."
        ) from exc
    except signing.BadSignature as exc:
        raise Unauthenticated("The dashboard session token is invalid.") from exc
    started = datetime.fromtimestamp(payload["s"], tz=UTC)
    if timezone.now() > started + const.DASHBOARD_SESSION_MAX_AGE:
        raise Unauthenticated("The dashboard session has expired; reopen the page.")
    return payload


def _authenticate_dashboard_session(token: str) -> Caller:
    payload = _load_dashboard_session(token)
    user = User.objects.filter(pk=payload["u"], is_active=True).first()
    if (
        user is None
        or user.jwt_token_key != payload["k"]
        or not constant_time_compare(
            _password_fingerprint(user), str(payload.get("h", ""))
        )
    ):
        raise Unauthenticated(
            "The dashboard session is no longer valid; reopen the page."
        )
    app = App.objects.filter(pk=payload["a"], removed_at__isnull=True).first()
    if app is None or app.identifier != const.APP_IDENTIFIER:
        raise PermissionDenied("The Cart takeover app is not installed.")
    if not app.is_active:
        raise PermissionDenied("The Cart takeover app is deactivated.")
    if (
        payload.get("e")
        and not AppExtension.objects.filter(pk=payload["e"], app_id=app.pk).exists()
    ):
        raise PermissionDenied("The Cart takeover extension was removed.")
    # As Saleor does for app tokens: the token's permissions, but never more
    # than the user holds right now.
    current = get_permission_names(user.effective_permissions)
    names = [name for name in payload["p"] if name in current]
    user.effective_permissions = get_permissions_from_names(names)
    user.is_staff = user.is_staff and bool(names)
    return Caller(user=user, app=app)


def _password_fingerprint(user: User) -> str:
    return salted_hmac(
        const.DASHBOARD_SESSION_SALT + ".password",
        user.password or "",
        algorithm="sha256",
    ).hexdigest()[:32]


def _extension_pk(global_id: str | None) -> int | None:
    if not global_id:
        return None
    try:
        return int(graphene.Node.from_global_id(global_id)[1])
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
