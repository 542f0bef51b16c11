from django.db import migrations, models


def confirm_current_members(apps, schema_editor):
    """Existing group grants keep covering the members their groups have now."""
    TakeoverGrant = apps.get_model("saleor_cart_takeover", "TakeoverGrant")
    User = apps.get_model("account", "User")
    for grant in TakeoverGrant.objects.filter(group__isnull=False):
        grant.members = sorted(
            User.objects.filter(groups=grant.group_id).values_list("pk", flat=True)
        )
        grant.save(update_fields=["members"])


class Migration(migrations.Migration):
    dependencies = [
        ("saleor_cart_takeover", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="takeovergrant",
            name="members",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(confirm_current_members, migrations.RunPython.noop),
    ]
