"""Who is calling, and may they take over carts? Every check lives here.

Callers authenticate with a Saleor JWT: a staff user's access token or the
token the Dashboard hands this plugin's own app extension (`thirdparty`).
Authorization needs Saleor's MANAGE_ORDERS (as every draft-order mutation does),
the plugin's takeover grant, and access to the channel of what is touched.
"""

from dataclasses import dataclass

import graphene
import jwt
from django.db.models import Q
from django.http import HttpRequest

from saleor.account.models import Group, User
from saleor.app.models import App, AppExtension
from saleor.core.auth import get_token_from_request
from saleor.core.jwt import (
    APP_KEY_FIELD,
    JWT_THIRDPARTY_ACCESS_TYPE,
    get_user_from_access_payload,
    jwt_decode,
)
from saleor.permission.enums import AccountPermissions, OrderPermissions

from . import APP_IDENTIFIER
from .errors import PermissionDenied, Unauthenticated
from .models import TakeoverGrant


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
    if app is None or app.identifier != APP_IDENTIFIER:
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
        Q(user_id=user.pk) | Q(group__user=user.pk)
    ).exists()


def require_takeover_permission(caller: Caller) -> None:
    """Takeover operations need MANAGE_ORDERS and the takeover grant."""
    require_manage_orders(caller)
    if not has_takeover_permission(caller.user):
        raise PermissionDenied(
            "You need the cart takeover permission (saleor_cart_takeover."
            "take_over_cart); ask an administrator to grant it."
        )


def require_channel_access(caller: Caller, channel_id: int | None) -> None:
    """Mirror Saleor's channel-restricted permission groups."""
    if channel_id is None or caller.user.is_superuser:
        return
    allowed = Group.objects.filter(user=caller.user.pk).filter(
        Q(restricted_access_to_channels=False) | Q(channels=channel_id)
    )
    if not allowed.exists():
        raise PermissionDenied("You don't have access to this channel.")


def accessible_channel_ids(caller: Caller) -> list[int] | None:
    """The channels the caller may work in; None means all of them."""
    user = caller.user
    if user.is_superuser:
        return None
    groups = Group.objects.filter(user=user.pk)
    if groups.filter(restricted_access_to_channels=False).exists():
        return None
    return list(
        groups.filter(channels__isnull=False).values_list("channels", flat=True).distinct()
    )


def require_manage_orders(caller: Caller) -> None:
    if not caller.user.is_staff or not caller.user.has_perm(
        OrderPermissions.MANAGE_ORDERS
    ):
        raise PermissionDenied("You need the MANAGE_ORDERS permission.")


def can_manage_grants(caller: Caller) -> bool:
    return caller.user.is_staff and caller.user.has_perm(AccountPermissions.MANAGE_STAFF)


def require_grant_management(caller: Caller) -> None:
    """Granting the takeover permission is staff management (MANAGE_STAFF)."""
    if not can_manage_grants(caller):
        raise PermissionDenied(
            "You need the MANAGE_STAFF permission to grant or revoke cart takeover."
        )


def has_credentials(request: HttpRequest) -> bool:
    return bool(get_token_from_request(request))
