"""`takeoverSessions(status:)` and `takeoverReport` read through indexes (issue 21)
and still answer what each session is now: an open session that timed out is
listed as expired before anything closes it, newest first, `first` at most."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from freezegun import freeze_time

from saleor_cart_takeover.models import TakeoverSession

from ..builders import create_draft
from ..clients import TakeoverClient
from ..fixtures import set_config
from ..ids import pk_of
from ..operations import END, START

LIST = """
query($status: TakeoverStatus, $first: Int) {
  takeoverSessions(status: $status, first: $first) { id status }
}"""
REPORT = """
query($from: Date!, $to: Date!) {
  takeoverReport(dateFrom: $from, dateTo: $to) { totals { sessions } }
}"""


def _start(csr, channel, name: str, end: bool = False) -> str:
    """A new cart for a guest's draft, taken over: an active session. A client
    per call: its token is minted at the (frozen) time of the call."""
    draft = create_draft(csr, channel, email=f"{name}@example.com")
    client = TakeoverClient(csr)
    session = client.post(START, {"draft": draft}).payload("takeoverStart")
    if end:
        client.post(END, {"session": session["session"]["id"]}).payload("takeoverEnd")
    return session["session"]["id"]


def _listed(csr_client, status: str | None = None, first: int = 20) -> list:
    answer = csr_client.post(LIST, {"status": status, "first": first}).data
    return [(s["id"], s["status"]) for s in answer["takeoverSessions"]]


def test_each_status_lists_what_the_sessions_are_now_newest_first(
    takeover_plugin, csr, csr_client, channel_USD
):
    set_config(takeover_plugin, session_timeout_minutes="10")
    now = timezone.now()
    with freeze_time(now - timedelta(minutes=40)):
        oldest = _start(csr, channel_USD, "a", end=True)
    with freeze_time(now - timedelta(minutes=30)):
        idle = _start(csr, channel_USD, "b")  # times out at -20
    with freeze_time(now - timedelta(minutes=25)):
        newer = _start(csr, channel_USD, "c", end=True)
    live = _start(csr, channel_USD, "d")

    assert _listed(csr_client) == [
        (live, "ACTIVE"),
        (newer, "ENDED"),
        (idle, "EXPIRED"),
        (oldest, "ENDED"),
    ]
    assert _listed(csr_client, "ACTIVE") == [(live, "ACTIVE")]
    assert _listed(csr_client, "EXPIRED") == [(idle, "EXPIRED")]
    assert _listed(csr_client, "ENDED") == [(newer, "ENDED"), (oldest, "ENDED")]
    assert _listed(csr_client, "ENDED", first=1) == [(newer, "ENDED")]
    assert _listed(csr_client, "PENDING") == []
    assert _listed(csr_client, "COMPLETED") == []
    # Listing closed nothing: queries never write.
    assert TakeoverSession.objects.get(pk=pk_of(idle)).status == "active"


def test_the_report_counts_whole_utc_days(csr, csr_client, channel_USD):
    day = datetime(2026, 11, 3, tzinfo=UTC)
    for name, at in (
        ("before", day - timedelta(microseconds=1)),
        ("first", day),
        ("last", day + timedelta(days=2) - timedelta(microseconds=1)),
        ("after", day + timedelta(days=2)),
    ):
        with freeze_time(at):
            _start(csr, channel_USD, name)

    answer = csr_client.post(REPORT, {"from": "2026-11-03", "to": "2026-11-04"})

    assert answer.data["takeoverReport"]["totals"]["sessions"] == 2
