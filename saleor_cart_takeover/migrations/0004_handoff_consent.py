"""Handoff (holder) and shopper consent (PENDING, new events and end reasons)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        # feat1's 0003 is chained in front of this one when the branches meet.
        ("saleor_cart_takeover", "0002_drop_take_over_cart_permission"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="takeoversession",
            name="cart_takeover_one_active_per_checkout",
        ),
        migrations.RemoveConstraint(
            model_name="takeoversession",
            name="cart_takeover_one_active_per_draft",
        ),
        migrations.AddField(
            model_name="takeoversession",
            name="held_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="account.user",
            ),
        ),
        migrations.AddField(
            model_name="takeoversession",
            name="held_by_email",
            field=models.CharField(blank=True, default="", max_length=254),
        ),
        migrations.AlterField(
            model_name="takeoverevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("started", "Takeover started"),
                    ("resumed", "Takeover resumed"),
                    ("lines_added", "Items added to the cart"),
                    ("lines_updated", "Cart items changed"),
                    ("lines_deleted", "Items removed from the cart"),
                    ("copied", "Items added to the order"),
                    ("pickup_contacts_updated", "Pickup contacts changed"),
                    ("transferred", "Takeover handed to another rep"),
                    ("consent_requested", "Shopper's consent requested"),
                    ("consent_given", "The shopper agreed"),
                    ("consent_declined", "The shopper declined"),
                    ("ended", "Takeover ended"),
                ],
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="takeoversession",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("ended_by_staff", "Handed back by staff"),
                    ("expired", "Idle for too long"),
                    ("checkout_completed", "The shopper placed the order"),
                    ("draft_completed", "Staff completed the draft order"),
                    ("draft_deleted", "The draft order was deleted"),
                    ("checkout_deleted", "The cart no longer exists"),
                    ("declined", "The shopper declined"),
                    ("consent_expired", "The shopper did not answer in time"),
                ],
                default="",
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="takeoversession",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for the shopper's consent"),
                    ("active", "Active"),
                    ("ended", "Ended"),
                    ("expired", "Expired"),
                    ("completed", "Completed"),
                ],
                default="active",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="takeoversession",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["active", "pending"])),
                fields=("checkout_token",),
                name="cart_takeover_one_active_per_checkout",
            ),
        ),
        migrations.AddConstraint(
            model_name="takeoversession",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["active", "pending"])),
                fields=("draft_order",),
                name="cart_takeover_one_active_per_draft",
            ),
        ),
    ]
