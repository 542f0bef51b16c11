"""Item 6: lists that do not grow with history (issue 21).

`takeoverSessions` (no status and every status, 20 and 100 a page) and
`takeoverReport` over one month, with 10^4 and then 10^6 sessions in the table.
What a list or the month holds stays the same between the two sizes; only
history grows: sessions bulk-inserted by PostgreSQL itself (generate_series),
all closed and started before the measured month. Every measured call goes
through the plugin's endpoint; the SQL statement of the list or the report is
captured once per size and run again under `EXPLAIN (ANALYZE)`, so that the
report can show which index it used.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.db import connection

from saleor_cart_takeover.models import TakeoverSession

from . import clients
from .clients import count_queries
from .inprocess import Bench, Series, _repeat

SIZES = (10_000, 1_000_000)
# The measured month, and what it holds at every size: about 100 sessions a day.
MONTH_START = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
MONTH_DAYS = 30
MONTH_SESSIONS = 3_000
# Sessions really started through the API (open, shown as active) and open
# rows that went stale (their draft is gone: shown as ended until closed).
LIVE_SESSIONS = 5
STALE_OPEN = 50
STATUSES = (None, "ACTIVE", "PENDING", "ENDED", "EXPIRED", "COMPLETED")
PAGES = (20, 100)

SESSIONS_QUERY = """
query($status: TakeoverStatus, $first: Int) {
  takeoverSessions(status: $status, first: $first) {
    id status startedAt cartCode cart { id } history { type }
  }
}"""

REPORT_QUERY = """
query($from: Date!, $to: Date!) {
  takeoverReport(dateFrom: $from, dateTo: $to) {
    rows { staffEmail sessions expired medianMinutes }
    totals { sessions handedBack expired }
  }
}"""

TABLE = TakeoverSession._meta.db_table

# Closed sessions, `count` of them, newest first from `before` backwards one
# minute apart, cycling through the three closed statuses.
INSERT_CLOSED = """
INSERT INTO saleor_cart_takeover_takeoversession (
    status, checkout_token, channel_id, customer_email, started_by_id,
    started_by_email, held_by_email, started_at, last_activity_at, expires_at,
    ended_at, end_reason
)
SELECT
    (ARRAY['ended', 'expired', 'completed'])[1 + i %% 3],
    gen_random_uuid(), %(channel)s, 'shopper' || i || '@example.com', %(csr)s,
    %(email)s, '', %(before)s - i * %(step)s, %(before)s - i * %(step)s, NULL,
    %(before)s - i * %(step)s + interval '12 minutes',
    (ARRAY['ended_by_staff', 'expired', 'draft_completed'])[1 + i %% 3]
FROM generate_series(%(first)s, %(last)s) AS i
"""

# Open sessions whose draft is gone: stale, shown as ended until closed.
INSERT_STALE_OPEN = """
INSERT INTO saleor_cart_takeover_takeoversession (
    status, checkout_token, channel_id, customer_email, started_by_id,
    started_by_email, held_by_email, started_at, last_activity_at, expires_at,
    ended_at, end_reason
)
SELECT 'active', gen_random_uuid(), %(channel)s, '', %(csr)s, %(email)s, '',
    now() - i * interval '1 minute', now() - i * interval '1 minute',
    now() + interval '1 hour', NULL, ''
FROM generate_series(1, %(count)s) AS i
"""


def run(bench: Bench, reps: int, log: Callable[[str], None]) -> dict[str, Any]:
    _prepare(bench, log)
    sizes = []
    for size in SIZES:
        _grow_to(bench, size, log)
        sizes.append(_measure(bench, size, reps, log))
    return {
        "month_sessions": MONTH_SESSIONS,
        "open_sessions": LIVE_SESSIONS + STALE_OPEN,
        "sizes": sizes,
    }


def _prepare(bench: Bench, log: Callable[[str], None]) -> None:
    """What every size shares: live sessions, stale open ones, the month."""
    for _ in range(LIVE_SESSIONS):
        bench.started_session(bench.shop.variants[:1])
    params = _params(bench)
    with connection.cursor() as cursor:
        cursor.execute(INSERT_STALE_OPEN, {**params, "count": STALE_OPEN})
        month_end = MONTH_START + datetime.timedelta(days=MONTH_DAYS)
        # Typed Any: psycopg adapts timedelta, which Django's stubs leave out.
        month: dict[str, Any] = {
            **params,
            "before": month_end,
            "step": datetime.timedelta(days=MONTH_DAYS) / MONTH_SESSIONS,
            "first": 1,
            "last": MONTH_SESSIONS - 1,
        }
        cursor.execute(INSERT_CLOSED, month)
    log(f"  {TakeoverSession.objects.count()} sessions in the month and open")


def _grow_to(bench: Bench, size: int, log: Callable[[str], None]) -> None:
    """Add closed sessions started before the month until the table holds `size`."""
    have = TakeoverSession.objects.count()
    if size <= have:
        return
    already = TakeoverSession.objects.filter(started_at__lt=MONTH_START).count()
    history: dict[str, Any] = {
        **_params(bench),
        "before": MONTH_START,
        "step": datetime.timedelta(minutes=1),
        "first": already + 1,
        "last": already + size - have,
    }
    with connection.cursor() as cursor:
        cursor.execute(INSERT_CLOSED, history)
        # What autovacuum would have done by the time a table grew this big
        # (PostgreSQL 13+ vacuums insert-only tables too): statistics, and the
        # hint bits and visibility map that spare later reads from setting
        # them, which would otherwise land on whichever call reads a page first.
        cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
    log(f"  {TakeoverSession.objects.count()} sessions in all")


def _params(bench: Bench) -> dict[str, Any]:
    return {
        "channel": bench.shop.channel.pk,
        "csr": bench.csr.pk,
        "email": bench.csr.email,
    }


def _calls() -> list[tuple[str, str, dict[str, Any]]]:
    month_end = MONTH_START + datetime.timedelta(days=MONTH_DAYS - 1)
    calls = [
        (
            f"takeoverSessions({status or 'any'}, first {first})",
            SESSIONS_QUERY,
            {"status": status, "first": first},
        )
        for status in STATUSES
        for first in PAGES
    ]
    calls.append(
        (
            "takeoverReport(one month)",
            REPORT_QUERY,
            {"from": MONTH_START.date().isoformat(), "to": month_end.isoformat()[:10]},
        )
    )
    return calls


def _measure(bench: Bench, size: int, reps: int, log: Callable[[str], None]) -> dict:
    row: dict[str, Any] = {"sessions": size, "calls": {}}
    for name, query, variables in _calls():
        series = Series()
        answers: list[int] = []

        def step(
            count: bool,
            query: str = query,
            variables: dict[str, Any] = variables,
            series: Series = series,
            answers: list[int] = answers,
        ) -> None:
            measurement = bench.screen.measure(query, variables, count=count)
            data = clients.check(measurement.body)
            found = data.get("takeoverSessions")
            answers.append(
                len(found)
                if found is not None
                else data["takeoverReport"]["totals"]["sessions"]
            )
            series.add(measurement)

        _repeat(reps, [step])
        row["calls"][name] = {
            **series.as_dict(),
            "answer": answers[-1],
            "plan": _plan(bench, query, variables),
        }
        log(
            f"  {size:>9} sessions, {name}: {series.queries} q, "
            f"{series.median_ms:.1f} ms, {answers[-1]} found"
        )
    return row


def _plan(bench: Bench, query: str, variables: dict[str, Any]) -> list[str]:
    """EXPLAIN ANALYZE of the statements that read the sessions table."""
    with count_queries() as log:
        bench.screen.post(query, variables)
    plans = []
    for sql in log.queries:
        # The sessions table as the statement's own (not a subquery's, aliased
        # U0): the list, the report's aggregates.
        if not re.search(
            f'FROM "{TABLE}"(?! U\\d)', sql
        ) or sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}")
            plans.append("\n".join(line for (line,) in cursor.fetchall()))
    return plans
