"""Granting and revoking the takeover permission, for users and for groups."""

from dataclasses import dataclass

from django.db import transaction
from saleor.account.models import Group, User

from ..errors import TakeoverError, TakeoverErrorCode
from ..models import TakeoverGrant, group_member_ids


@dataclass(frozen=True)
class Holder:
    kind: str  # "user" or "group"
    name: str
    granted_by: str


def find_user(email: str) -> User:
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise TakeoverError(TakeoverErrorCode.NOT_FOUND, f"No user {email!r}.", "user")
    if not user.is_staff:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            f"{user.email} is not a staff member; only staff can take over carts.",
            "user",
        )
    return user


def find_group(name: str) -> Group:
    group = Group.objects.filter(name=name).first()
    if group is None:
        raise TakeoverError(
            TakeoverErrorCode.NOT_FOUND, f"No permission group {name!r}.", "group"
        )
    return group


def grant(
    *, user: User | None = None, group: Group | None = None, by: str = ""
) -> bool:
    """Give the permission; returns False when it was already held.

    Granting a group again confirms the members it has now (see
    `TakeoverGrant.members`).
    """
    with transaction.atomic():
        grant_row, created = TakeoverGrant.objects.select_for_update().get_or_create(
            user=user, group=group, defaults={"granted_by_email": by}
        )
        if created or group is None:
            return created
        members = group_member_ids(group.pk)
        if members == sorted(grant_row.members):
            return False
        grant_row.members = members
        grant_row.granted_by_email = by
        grant_row.save(update_fields=["members", "granted_by_email"])
    return True


def revoke(*, user: User | None = None, group: Group | None = None) -> bool:
    """Take the permission back; returns False when it was not held."""
    deleted, _ = TakeoverGrant.objects.filter(user=user, group=group).delete()
    return bool(deleted)


def holders() -> list[Holder]:
    grants = TakeoverGrant.objects.select_related("user", "group").order_by(
        "granted_at"
    )
    result = [
        Holder(
            kind="user" if grant.user_id else "group",
            name=grant.user.email if grant.user else grant.group.name,  # type: ignore[union-attr]
            granted_by=grant.granted_by_email,
        )
        for grant in grants
    ]
    result += [
        Holder(kind="superuser", name=email, granted_by="")
        for email in User.objects.filter(is_superuser=True, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    ]
    return result
