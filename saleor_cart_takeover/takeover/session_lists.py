"""Listing sessions by what they are now, in time that history does not grow.

A session's status as the API shows it (`closing.with_current_status`) is its
stored status, except for open sessions that went stale and are not closed yet.
Open sessions are the few that reps hold right now (the write paths and the
beat task close stale ones), so a status filter splits into two index reads:

- an open status: open rows only (index on `status`), checked for staleness;
- a closed status: the newest `limit` rows stored with it (index on `status,
  -started_at, -id`, read in order and stopped at `limit`) plus the open rows
  that have turned into it.

A filter on the computed status alone would evaluate it for every session ever
made: no index can serve it.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import OPEN_STATUSES, TakeoverSession
from .closing import with_current_status


def with_status(
    sessions: QuerySet[TakeoverSession],
    scope: QuerySet[TakeoverSession],
    status: str,
    limit: int,
    now: datetime | None = None,
) -> QuerySet[TakeoverSession]:
    """`sessions` (annotated by `with_current_status`) now in `status`.

    `scope` holds the same filters as `sessions` without annotations; the
    caller orders the result and takes at most `limit` rows of it.
    """
    now = now or timezone.now()
    if status in OPEN_STATUSES:
        return sessions.filter(Q(status=status) & Q(current_status=status))
    newest_stored = (
        scope.filter(status=status).order_by("-started_at", "-pk").values("pk")[:limit]
    )
    turned = (
        with_current_status(scope.filter(status__in=OPEN_STATUSES), now)
        .filter(Q(current_status=status))
        .order_by()
        .values("pk")
    )
    return sessions.filter(pk__in=newest_stored.union(turned, all=True))
