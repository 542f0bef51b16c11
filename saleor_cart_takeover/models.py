"""The plugin's own state: sessions, their history, copied lines and grants.

Nothing here holds a foreign key to a checkout: Saleor deletes checkouts freely
(expiry, completion), so sessions remember the checkout token and treat a
missing checkout as "gone".
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TakeoverStatus(models.TextChoices):
    # Waiting for the shopper's consent; holds the cart but cannot change it.
    PENDING = "pending", "Waiting for the shopper's consent"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    EXPIRED = "expired", "Expired"
    COMPLETED = "completed", "Completed"


class EndReason(models.TextChoices):
    ENDED_BY_STAFF = "ended_by_staff", "Handed back by staff"
    EXPIRED = "expired", "Idle for too long"
    CHECKOUT_COMPLETED = "checkout_completed", "The shopper placed the order"
    DRAFT_COMPLETED = "draft_completed", "Staff completed the draft order"
    DRAFT_DELETED = "draft_deleted", "The draft order was deleted"
    CHECKOUT_DELETED = "checkout_deleted", "The cart no longer exists"
    DECLINED = "declined", "The shopper declined"
    CONSENT_EXPIRED = "consent_expired", "The shopper did not answer in time"


# Sessions that hold a cart (and its draft): at most one per cart and per draft.
OPEN_STATUSES = (TakeoverStatus.PENDING, TakeoverStatus.ACTIVE)


class TakeoverSession(models.Model):
    status = models.CharField(
        max_length=16, choices=TakeoverStatus.choices, default=TakeoverStatus.ACTIVE
    )
    draft_order = models.ForeignKey(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checkout_token = models.UUIDField(db_index=True)
    channel = models.ForeignKey(
        "channel.Channel", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    customer_email = models.CharField(max_length=254, blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept apart from the FK so the audit trail survives a deleted staff account.
    started_by_email = models.CharField(max_length=254)
    # Set when the session was handed over (takeoverTransfer); until then the
    # rep who started it holds it. An empty email means "never handed over".
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_by_email = models.CharField(max_length=254, blank=True, default="")
    started_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=32, choices=EndReason.choices, blank=True, default=""
    )
    last_copied_at = models.DateTimeField(null=True, blank=True)
    # The cart's lines when the takeover started, for `takeoverRevert`: a list
    # of {"line", "variant", "quantity", "metadata", "privateMetadata", "name"};
    # null for sessions started before the plugin kept snapshots.
    cart_snapshot = models.JSONField(null=True, blank=True)
    order = models.ForeignKey(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-started_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["checkout_token"],
                condition=Q(status__in=["active", "pending"]),
                name="cart_takeover_one_active_per_checkout",
            ),
            models.UniqueConstraint(
                fields=["draft_order"],
                condition=Q(status__in=["active", "pending"]),
                name="cart_takeover_one_active_per_draft",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            # `takeoverSessions` pages in this order, with and without a status,
            # and `takeoverReport` takes a range of `started_at`: both read only
            # the rows they return, however many sessions history holds
            # (session_lists.py; migration 0007 builds them concurrently).
            models.Index(
                fields=["-started_at", "-id"], name="cart_takeover_started_idx"
            ),
            models.Index(
                fields=["status", "-started_at", "-id"],
                name="cart_takeover_status_start_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Takeover {self.pk} of {self.checkout_token} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == TakeoverStatus.ACTIVE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def holder_id(self) -> int | None:
        """The rep who may change the cart now."""
        return self.held_by_id if self.held_by_email else self.started_by_id

    @property
    def holder_email(self) -> str:
        return self.held_by_email or self.started_by_email


class TakeoverEventType(models.TextChoices):
    STARTED = "started", "Takeover started"
    RESUMED = "resumed", "Takeover resumed"
    LINES_ADDED = "lines_added", "Items added to the cart"
    LINES_UPDATED = "lines_updated", "Cart items changed"
    LINES_DELETED = "lines_deleted", "Items removed from the cart"
    COPIED = "copied", "Items added to the order"
    PICKUP_CONTACTS_UPDATED = "pickup_contacts_updated", "Pickup contacts changed"
    REVERTED = "reverted", "Cart reverted to how it was at the start"
    TRANSFERRED = "transferred", "Takeover handed to another rep"
    CONSENT_REQUESTED = "consent_requested", "Shopper's consent requested"
    CONSENT_GIVEN = "consent_given", "The shopper agreed"
    ENDED = "ended", "Takeover ended"


class TakeoverEvent(models.Model):
    """One step of a session's history, in the order it happened."""

    session = models.ForeignKey(
        TakeoverSession, on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(max_length=32, choices=TakeoverEventType.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_email = models.CharField(max_length=254, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.type} at {self.created_at:%Y-%m-%d %H:%M}"


class CopiedLine(models.Model):
    """Ties a draft-order line to the cart line it was copied from.

    It lets "Add Items to Order" update what it copied before instead of adding
    duplicates, and lets a completed phone order take the same items out of the
    shopper's cart.
    """

    order_line = models.OneToOneField(
        "order.OrderLine", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        TakeoverSession, on_delete=models.CASCADE, related_name="copied_lines"
    )
    checkout_line_id = models.UUIDField()
    quantity = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.checkout_line_id} -> {self.order_line_id}"


class TakeoverGrant(models.Model):
    """Who holds the takeover permission, apart from superusers.

    Grants live here rather than in Saleor's user/group permissions: a custom
    permission in a Saleor group breaks the Dashboard's permission-group screens.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    group = models.OneToOneField(
        "account.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    granted_by_email = models.CharField(max_length=254, blank=True, default="")
    granted_at = models.DateTimeField(default=timezone.now)
    # A group grant covers the members the granting manager saw (user pks),
    # not whoever joins later: Saleor lets MANAGE_STAFF staff join any group
    # whose Saleor permissions they hold, and it cannot see this permission.
    # Granting the group again confirms its current members.
    members = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(group__isnull=True))
                | (Q(user__isnull=True) & Q(group__isnull=False)),
                name="cart_takeover_grant_user_xor_group",
            )
        ]

    def __str__(self) -> str:
        return f"Grant to {self.user_id or self.group_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.group_id and not self.members:
            self.members = group_member_ids(self.group_id)
        super().save(*args, **kwargs)


def group_member_ids(group_id: int) -> list[int]:
    from saleor.account.models import User

    return sorted(User.objects.filter(groups=group_id).values_list("pk", flat=True))


class CodeLookup(models.Model):
    """Every cart-code lookup by a rep, found or not: codes are short, so
    guessing them must leave a trace."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_email = models.CharField(max_length=254, blank=True, default="")
    code = models.CharField(max_length=16)
    found = models.BooleanField(default=False)
    refused = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.user_email} looked up {self.code}"
