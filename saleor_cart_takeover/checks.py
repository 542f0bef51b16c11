"""Django system checks: deployment settings the plugin's guarantees rest on.

They run with `manage.py check` and before `migrate` and the server commands.
"""

from typing import Any

from django.core import checks

# Backends whose counters a worker does not share with the others: the rate
# limits would multiply by the number of workers, or vanish.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps counters per process",
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing",
}

CACHE_NOT_SHARED = "saleor_cart_takeover.W001"


def check_cache_is_shared(**_: Any) -> list[checks.CheckMessage]:
    """Warn when the default cache cannot hold the rate limits (rate_limits.py)."""
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    problem = PER_PROCESS_CACHES.get(backend)
    if problem is None:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend}) {problem}: cart takeover's rate limits "
            "on code lookups and starts do not hold across workers, and with a "
            "dummy cache every lookup and start is refused.",
            hint="Set Saleor's CACHE_URL (or REDIS_URL) to a Redis shared by every "
            "API worker and host, e.g. CACHE_URL=redis://redis:6379/1 "
            "(docs/deploy.md).",
            id=CACHE_NOT_SHARED,
        )
    ]
