"""`takeoverReport`: types and resolver.

Kept apart while graphql/ is being restructured; the types move into
graphql/types.py and the resolver into graphql/resolvers.py afterwards.
"""

from datetime import date
from typing import Any

import graphene
from saleor.channel.models import Channel

from .. import auth, report
from ..errors import TakeoverError, TakeoverErrorCode
from .types import Money


def _money(amount: report.Amount | None) -> Money | None:
    if amount is None:
        return None
    return Money(amount=amount.amount, currency=amount.currency)


class TakeoverReportRow(graphene.ObjectType):
    staff_email = graphene.String(description="The rep; null on the totals row.")
    sessions = graphene.Int(required=True)
    handed_back = graphene.Int(required=True)
    shopper_completed = graphene.Int(required=True)
    drafts_completed = graphene.Int(required=True)
    expired = graphene.Int(required=True)
    median_minutes = graphene.Float(
        description="Median length of the sessions that ended, in minutes."
    )
    revenue = graphene.Field(
        Money,
        description="Total of the orders these sessions led to. Null when they "
        "span several currencies: see revenueByCurrency (never summed across).",
    )
    revenue_by_currency = graphene.List(graphene.NonNull(Money), required=True)

    @staticmethod
    def resolve_revenue(root: report.ReportRow, _info: Any) -> Money | None:
        return _money(root.revenue)

    @staticmethod
    def resolve_revenue_by_currency(root: report.ReportRow, _info: Any) -> list[Money]:
        return [_money(amount) for amount in root.revenue_by_currency]  # type: ignore[misc]


class TakeoverReport(graphene.ObjectType):
    rows = graphene.List(
        graphene.NonNull(TakeoverReportRow),
        required=True,
        description="One row per rep (the last holder of each session).",
    )
    totals = graphene.Field(TakeoverReportRow, required=True)


def resolve_takeover_report(
    info: Any, date_from: date, date_to: date, channel: str | None = None
) -> report.Report:
    caller = info.context.require_caller()
    auth.require_takeover_permission(caller)
    if channel:
        channel_pk = (
            Channel.objects.filter(slug=channel).values_list("pk", flat=True).first()
        )
        if channel_pk is None:
            raise TakeoverError(
                TakeoverErrorCode.NOT_FOUND, "No such channel.", "channel"
            )
        auth.require_channel_access(caller, channel_pk)
        channel_ids: list[int] | None = [channel_pk]
    else:
        channel_ids = auth.accessible_channel_ids(caller)
    return report.takeover_report(date_from, date_to, channel_ids)
