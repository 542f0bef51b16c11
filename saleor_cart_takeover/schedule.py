"""The plugin's Celery beat entry, for a deployment's settings module.

Settings load before Django's app registry, so this module imports nothing of
Saleor or Django's models (not even `tasks`, which does): a settings module
may import it (README, "Installing into a Saleor deployment"; docs/deploy.md).
"""

import datetime

EXPIRE_EVERY = datetime.timedelta(minutes=5)
EXPIRE_TASK = "saleor_cart_takeover.tasks.expire_takeover_sessions_task"

BEAT_SCHEDULE = {
    "cart-takeover-expire-sessions": {
        "task": EXPIRE_TASK,
        "schedule": EXPIRE_EVERY,
        # A run that waited longer than its period is superseded by the next
        # (Saleor's rule: a beat entry repeats its task's expiry).
        "options": {"expires": EXPIRE_EVERY.total_seconds()},
    }
}
