"""Drop the `take_over_cart` permission: it was created but never checked.

Who may take over carts is the takeover grant in the plugin's own table
(`TakeoverGrant`); Saleor's Dashboard cannot show a custom permission in a
permission group, so none is used.
"""

from django.db import migrations


def delete_permission(apps, _schema_editor):
    Permission = apps.get_model("permission", "Permission")
    Permission.objects.filter(
        content_type__app_label="saleor_cart_takeover", codename="take_over_cart"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("saleor_cart_takeover", "0001_initial"),
        ("permission", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="takeoversession",
            options={"ordering": ("-started_at", "-pk")},
        ),
        migrations.RunPython(delete_permission, migrations.RunPython.noop),
    ]
