"""Celery tasks, found by Saleor's `app.autodiscover_tasks` for plugin packages.

Saleor has no hook for a plugin to add to `CELERY_BEAT_SCHEDULE`; a deployment
adds `BEAT_SCHEDULE` to it in its settings (see the README).
"""

import datetime

from celery import shared_task
from saleor.core.db.connection import allow_writer

from . import closing

EXPIRE_EVERY = datetime.timedelta(minutes=5)

BEAT_SCHEDULE = {
    "cart-takeover-expire-sessions": {
        "task": "saleor_cart_takeover.tasks.expire_takeover_sessions_task",
        "schedule": EXPIRE_EVERY,
        # A run that waited longer than its period is superseded by the next.
        "options": {"expires": EXPIRE_EVERY.total_seconds()},
    }
}


@shared_task(expires=EXPIRE_EVERY.total_seconds())
def expire_takeover_sessions_task() -> int:
    """Close sessions that timed out or lost their draft or cart."""
    # Saleor's tasks run with writer access restricted; closing writes.
    with allow_writer():
        return closing.close_stale_sessions()
