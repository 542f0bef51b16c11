"""Celery tasks, found by Saleor's `app.autodiscover_tasks` for plugin packages.

Saleor has no hook for a plugin to add to `CELERY_BEAT_SCHEDULE`; a deployment
adds `schedule.BEAT_SCHEDULE` to it in its settings (see docs/deploy.md).
"""

from celery import shared_task
from saleor.core.db.connection import allow_writer

from .schedule import EXPIRE_EVERY
from .takeover import expiry


@shared_task(expires=EXPIRE_EVERY.total_seconds())
def expire_takeover_sessions_task() -> dict[str, int]:
    """What `cart_takeover expire` does: finish failed reconciliations, then
    close sessions that timed out or lost their draft or cart."""
    # Saleor's tasks run with writer access restricted; both steps write.
    with allow_writer():
        return expiry.expire_sessions().as_dict()
