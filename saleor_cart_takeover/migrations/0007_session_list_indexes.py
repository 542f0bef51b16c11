"""Indexes for `takeoverSessions` and `takeoverReport` (issue 21).

Built with CREATE INDEX CONCURRENTLY, as Saleor builds indexes on large tables:
the sessions table keeps taking writes while they build. That cannot run in a
transaction, hence `atomic = False`.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("saleor_cart_takeover", "0006_event_types"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="takeoversession",
            index=models.Index(
                fields=["-started_at", "-id"], name="cart_takeover_started_idx"
            ),
        ),
        AddIndexConcurrently(
            model_name="takeoversession",
            index=models.Index(
                fields=["status", "-started_at", "-id"],
                name="cart_takeover_status_start_idx",
            ),
        ),
    ]
