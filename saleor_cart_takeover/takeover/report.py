"""The takeover report: per rep, what their sessions came to (`takeoverReport`).

Everything is aggregated by PostgreSQL in three queries, whatever the number of
sessions: counts and median per rep, the same for all reps, and revenue.

Attribution: a session counts for the rep who held it last (after any handoff),
since that rep finished it. Its date is the day (UTC) it started.

Money: revenue is the total (gross) of the orders the sessions turned into,
each order counted once per row even when several sessions led to it; drafts,
cancelled and expired orders do not count. Amounts in different currencies are
never added up: `revenue` is set only when a row's sessions are all in one
currency, and `revenue_by_currency` always lists each currency apart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Extract, NullIf
from saleor.order import OrderStatus

from ..const import REPORT_MAX_DAYS
from ..errors import TakeoverError, TakeoverErrorCode
from ..models import EndReason, TakeoverSession, TakeoverStatus
from .closing import with_current_status

# Orders that never became a sale.
NOT_REVENUE = (OrderStatus.DRAFT, OrderStatus.CANCELED, OrderStatus.EXPIRED)


@dataclass(frozen=True)
class Amount:
    amount: Decimal
    currency: str


@dataclass
class ReportRow:
    staff_email: str | None
    sessions: int = 0
    handed_back: int = 0
    shopper_completed: int = 0
    drafts_completed: int = 0
    expired: int = 0
    median_minutes: float | None = None
    revenue: Amount | None = None
    revenue_by_currency: list[Amount] = field(default_factory=list)


@dataclass
class Report:
    rows: list[ReportRow]
    totals: ReportRow


class Median(Aggregate):
    """PostgreSQL's continuous median; NULLs (open sessions) are skipped."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def takeover_report(
    date_from: date, date_to: date, channel_ids: list[int] | None
) -> Report:
    """Sessions started from `date_from` to `date_to` (inclusive, UTC).

    `channel_ids` limits the report to those channels (None: all channels);
    the caller passes the channels the viewer may see.
    """
    if date_from > date_to:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            "The start date is after the end date.",
            "dateFrom",
        )
    if (date_to - date_from).days >= REPORT_MAX_DAYS:
        raise TakeoverError(
            TakeoverErrorCode.INVALID,
            f"Report on at most {REPORT_MAX_DAYS} days at a time.",
            "dateTo",
        )
    # A session that timed out but is not closed yet counts as what it is.
    # A range of `started_at` (its index) rather than `started_at::date`, which
    # no index serves: the report reads the period's sessions, not history.
    sessions = with_current_status(
        TakeoverSession.objects.filter(
            started_at__gte=datetime.combine(date_from, time.min, tzinfo=UTC),
            started_at__lt=datetime.combine(
                date_to + timedelta(days=1), time.min, tzinfo=UTC
            ),
        )
    ).annotate(rep=Coalesce(NullIf("held_by_email", Value("")), "started_by_email"))
    if channel_ids is not None:
        sessions = sessions.filter(channel_id__in=channel_ids)

    counted = {
        item["rep"]: item
        for item in sessions.order_by()
        .values("rep")
        .annotate(**_measures())
        .order_by("rep")
    }
    overall = sessions.aggregate(**_measures())
    revenue, revenue_totals = _revenue(sessions)

    rows = [
        _row(rep, measures, revenue.get(rep, {})) for rep, measures in counted.items()
    ]
    totals = _row(None, overall, revenue_totals)
    return Report(rows=rows, totals=totals)


def _measures() -> dict[str, Any]:
    minutes = Extract(F("ended_at") - F("started_at"), "epoch") / 60.0
    return {
        "sessions": Count("pk"),
        "handed_back": Count("pk", filter=Q(end_reason=EndReason.ENDED_BY_STAFF)),
        "shopper_completed": Count(
            "pk", filter=Q(end_reason=EndReason.CHECKOUT_COMPLETED)
        ),
        "drafts_completed": Count("pk", filter=Q(end_reason=EndReason.DRAFT_COMPLETED)),
        "expired": Count("pk", filter=Q(current_status=TakeoverStatus.EXPIRED)),
        "median_minutes": Median(minutes),
        "currencies": ArrayAgg(
            "channel__currency_code",
            distinct=True,
            filter=Q(channel__isnull=False),
            default=Value([]),
        ),
    }


def _revenue(
    sessions: QuerySet[TakeoverSession],
) -> tuple[dict[str, dict[str, Decimal]], dict[str, Decimal]]:
    """Sum each (rep, order) pair once, per rep and currency and overall."""
    pairs = (
        sessions.filter(order__isnull=False)
        .exclude(order__status__in=NOT_REVENUE)
        .annotate(
            order_pk=F("order_id"),
            cur=F("order__currency"),
            gross=F("order__total_gross_amount"),
        )
        .values("rep", "order_pk", "cur", "gross")
        .order_by()
        .distinct()
    )
    inner, params = pairs.query.sql_with_params()
    # Per rep and currency; then per currency over all reps, where an order
    # that sessions of two reps led to counts once. `rep` is never NULL.
    # `inner` is SQL Django compiled, with its values kept apart in `params`.
    per_rep_sql = (
        "SELECT rep, cur, SUM(gross) FROM (SELECT DISTINCT rep, order_pk, cur, gross "
        "FROM ({}) AS p) AS d GROUP BY rep, cur"
    )
    overall_sql = (
        "SELECT NULL, cur, SUM(gross) FROM (SELECT DISTINCT order_pk, cur, gross "
        "FROM ({}) AS p) AS d GROUP BY cur"
    )
    sql = " UNION ALL ".join((per_rep_sql.format(inner), overall_sql.format(inner)))
    per_rep: dict[str, dict[str, Decimal]] = defaultdict(dict)
    overall: dict[str, Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *params))
        for rep, cur, amount in cursor.fetchall():
            if rep is None:
                overall[cur] = amount
            else:
                per_rep[rep][cur] = amount
    return per_rep, overall


def _row(
    rep: str | None, measures: dict[str, Any], revenue: dict[str, Decimal]
) -> ReportRow:
    currencies = set(measures.get("currencies") or []) | set(revenue)
    by_currency = [
        Amount(revenue.get(cur, Decimal(0)), cur) for cur in sorted(currencies)
    ]
    median = measures["median_minutes"]
    return ReportRow(
        staff_email=rep,
        sessions=measures["sessions"],
        handed_back=measures["handed_back"],
        shopper_completed=measures["shopper_completed"],
        drafts_completed=measures["drafts_completed"],
        expired=measures["expired"],
        median_minutes=round(median, 1) if median is not None else None,
        revenue=by_currency[0] if len(by_currency) == 1 else None,
        revenue_by_currency=by_currency,
    )
