"""`dashboardSessionCreate`: trade the Dashboard's short-lived token for a session.

The dashboard pages call it right after the app-bridge handshake (and again
before the session runs out), then send the returned token as their bearer
token, so a popup keeps working after the Dashboard's 5-minute token expires.
"""

from typing import Any

import graphene

from ...access import auth
from .base import BaseMutation


class DashboardSessionCreate(BaseMutation):
    """A session token for the dashboard app's pages, valid longer than the
    Dashboard's 5-minute app token."""

    token = graphene.String(
        description="Send as `Authorization: Bearer <token>` to this endpoint."
    )
    expires_at = graphene.DateTime(
        description="Renew before this by calling the mutation with the token itself."
    )

    @classmethod
    def check_permissions(cls, info: Any) -> auth.Caller:
        # Any authenticated caller; the grant is checked where it is needed.
        return info.context.require_caller()

    @classmethod
    def perform_mutation(  # type: ignore[override]
        cls, info: Any, caller: auth.Caller
    ) -> "DashboardSessionCreate":
        session = auth.issue_dashboard_session(info.context.request, caller)
        return DashboardSessionCreate(
            token=session.token, expires_at=session.expires_at
        )
