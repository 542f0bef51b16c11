"""Records the plugin's real answers that the extension's Vitest suite replays.

`dashboard_extension/src/test/session.test.tsx` drives the real token exchange
(`dashboard.tsx`, `api.ts`) with `fetch` answering from these recordings, so
what it replays is what this plugin really says: a `dashboardSessionCreate`,
its renewal, the 401 for an expired token or session, and the PermissionDenied
for a rep without the takeover grant. Run only on purpose, after the API
changed (`scripts/record-extension-fixtures`); the tokens come from a throwaway
test database and are worthless anywhere else.
"""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from freezegun import freeze_time
from saleor.core.db.connection import allow_writer

from saleor_cart_takeover.dashboard.installation import install_app

from .builders import create_draft, make_csr
from .clients import PLUGIN_ENDPOINT, SALEOR_ENDPOINT, Response, extension_token, post

pytestmark = pytest.mark.skipif(
    not os.environ.get("RECORD_EXTENSION_FIXTURES"),
    reason="records fixtures only when RECORD_EXTENSION_FIXTURES is set",
)

SRC = Path(__file__).resolve().parent.parent / "dashboard_extension" / "src"
OUT = SRC / "test" / "fixtures"


def documents(*names: str) -> dict[str, str]:
    """The extension's own GraphQL documents, as the browser sends them."""
    text = (SRC / "queries.ts").read_text() + (SRC / "dashboard.tsx").read_text()
    raw = {
        name: backticked or quoted
        for name, backticked, quoted in re.findall(
            r"const (\w+) = (?:`([^`]*)`|\"([^\"]*)\");", text
        )
    }

    def expand(value: str) -> str:
        return re.sub(r"\$\{(\w+)\}", lambda m: expand(raw[m.group(1)]), value)

    return {name: expand(raw[name]) for name in names}


def recorded(response: Response) -> dict:
    return {"status": response.status, "body": response.body}


def write(name: str, content: dict) -> None:
    OUT.joinpath(f"{name}.json").write_text(json.dumps(content, indent=2) + "\n")


def test_record(takeover_plugin, csr, manage_orders, channel_USD, customer_user):
    docs = documents(
        "SESSION_EXCHANGE", "SALEOR_ORDER", "SESSIONS", "CUSTOMER_CARTS", "CART_BY_CODE"
    )
    exchange = docs["SESSION_EXCHANGE"]
    app = install_app("http://localhost:8000")
    start = timezone.now().replace(microsecond=0)
    draft = create_draft(csr, channel_USD, user=customer_user)
    stranger = make_csr("no-grant@example.com", manage_orders, grant=False)

    with freeze_time(start):
        dashboard_token = extension_token(app, csr)
        no_grant_token = extension_token(app, stranger)
        created = post(PLUGIN_ENDPOINT, exchange, token=dashboard_token)
        session = created.data["dashboardSessionCreate"]["token"]
        # Saleor's test-only replica guard trips on its own permission lookup
        # for extension tokens; production only logs it.
        with allow_writer():
            order = post(
                SALEOR_ENDPOINT, docs["SALEOR_ORDER"], {"id": draft}, dashboard_token
            )
        sessions = post(
            PLUGIN_ENDPOINT,
            docs["SESSIONS"],
            {"status": None, "draft": draft, "first": 1},
            session,
        )
        carts = post(
            PLUGIN_ENDPOINT,
            docs["CUSTOMER_CARTS"],
            {
                "customer": order.data["order"]["user"]["id"],
                "channel": channel_USD.slug,
            },
            session,
        )
        no_grant = post(PLUGIN_ENDPOINT, exchange, token=no_grant_token)
        refused = post(
            PLUGIN_ENDPOINT,
            docs["SESSIONS"],
            {"status": None, "draft": draft, "first": 1},
            no_grant.data["dashboardSessionCreate"]["token"],
        )
    # The widget's Dashboard sends a fresh token before the old one runs out.
    with freeze_time(start + timedelta(minutes=4)):
        refreshed_token = extension_token(app, csr)
        from_refreshed = post(PLUGIN_ENDPOINT, exchange, token=refreshed_token)
    # The page renews ten minutes before the hour is up, with the session itself.
    with freeze_time(start + timedelta(minutes=51)):
        renewed = post(PLUGIN_ENDPOINT, exchange, token=session)
        found = post(
            PLUGIN_ENDPOINT,
            docs["CART_BY_CODE"],
            {"code": "0000-0000"},
            renewed.data["dashboardSessionCreate"]["token"],
        )
    # A popup left open: its Dashboard token died after five minutes, and a
    # session nobody renewed after an hour.
    with freeze_time(start + timedelta(minutes=61)):
        expired_token = post(PLUGIN_ENDPOINT, exchange, token=dashboard_token)
        expired_session = post(
            PLUGIN_ENDPOINT,
            docs["SESSIONS"],
            {"status": None, "draft": draft, "first": 1},
            session,
        )

    assert created.status == renewed.status == from_refreshed.status == 200
    assert expired_token.status == expired_session.status == 401
    assert refused.error_codes == ["PermissionDenied"]
    assert sessions.data["takeoverSessions"] == []
    assert found.data["cartByCode"] is None

    OUT.mkdir(parents=True, exist_ok=True)
    write(
        "context",
        {
            "recordedAt": start.isoformat(),
            "draftOrderId": draft,
            "dashboardToken": dashboard_token,
            "refreshedDashboardToken": refreshed_token,
            "noGrantDashboardToken": no_grant_token,
        },
    )
    write("session-create", recorded(created))
    write("session-create-refreshed", recorded(from_refreshed))
    write("session-renew", recorded(renewed))
    write("session-create-no-grant", recorded(no_grant))
    write("expired-dashboard-token", recorded(expired_token))
    write("expired-session", recorded(expired_session))
    write("saleor-order", recorded(order))
    write("sessions-none", recorded(sessions))
    write("sessions-no-grant", recorded(refused))
    write("customer-carts", recorded(carts))
    write("cart-by-code-unknown", recorded(found))
