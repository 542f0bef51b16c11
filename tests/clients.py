"""The one way tests talk GraphQL: to Saleor's API and to the plugin's endpoint.

In-process (`post`, `TakeoverClient`, `SaleorClient`): real HTTP requests
through Django's test client (the whole middleware and view stack), with a
fresh client per request so any thread may call them. `on_commit` callbacks
(Saleor's webhooks, the plugin's deferred work) run as they would after a real
commit, also inside a test's transaction.

Live (`post_http`, `LiveClient`): the same requests over the network to a
running server (tests/live_server.py), as a storefront, the Dashboard or a
popup sends them. Both answer with the same `Response`.
"""

import json
from dataclasses import dataclass
from typing import Any, TypedDict

import requests
from django.test import Client, TestCase
from saleor.account.models import User
from saleor.app.models import App
from saleor.core.jwt import create_access_token, create_access_token_for_app_extension

from saleor_cart_takeover import PLUGIN_ID

PLUGIN_ROOT = f"/plugins/global/{PLUGIN_ID}"
PLUGIN_ENDPOINT = f"{PLUGIN_ROOT}/graphql/"
SALEOR_ENDPOINT = "/graphql/"


class Credentials(TypedDict, total=False):
    """The bearer token as Django's test `Client` takes it: a WSGI environ entry
    (`**extra`), which a plain `dict[str, str]` would also offer to the
    request's other keyword parameters."""

    HTTP_AUTHORIZATION: str


@dataclass
class Response:
    """What a caller sees: the HTTP status and the JSON body."""

    status: int
    body: dict

    @property
    def data(self) -> dict:
        assert "errors" not in self.body, self.body
        return self.body["data"]

    def result(self, field: str) -> Any:
        """The mutation's or query's payload as it came, errors and all."""
        return self.data[field]

    def payload(self, field: str) -> dict:
        """The payload of a call that must have succeeded."""
        payload = self.data[field]
        assert payload["errors"] == [], payload["errors"]
        return payload

    def errors_of(self, field: str) -> list[dict]:
        return self.data[field]["errors"]

    @property
    def error_codes(self) -> list[str | None]:
        """Codes of the top-level GraphQL errors."""
        return [
            e.get("extensions", {}).get("exception", {}).get("code")
            for e in self.body.get("errors") or []
        ]

    top_codes = error_codes


def post(
    endpoint: str,
    query: str,
    variables: dict | None = None,
    token: str | None = None,
    **headers: Any,
) -> Response:
    if token:
        headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            endpoint,
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )
    return Response(response.status_code, _body(response.content))


def _body(content: bytes) -> dict:
    try:
        return json.loads(content or b"{}")
    except ValueError:
        return {"raw": content.decode(errors="replace")}


def call(token: str | None, query: str, variables: dict | None = None) -> Response:
    """One request to the plugin's endpoint with a bearer token (or none)."""
    return post(PLUGIN_ENDPOINT, query, variables, token)


class TakeoverClient:
    """Posts to the plugin's endpoint as a given user, the way a browser would."""

    def __init__(self, user: User | None = None, token: str | None = None):
        self.user = user
        self.token = token or (create_access_token(user) if user else None)

    def post(
        self, query: str, variables: dict | None = None, **headers: str
    ) -> Response:
        return post(PLUGIN_ENDPOINT, query, variables, self.token, **headers)


class SaleorClient:
    """Posts to Saleor's own GraphQL API as a user, an app, or anonymously."""

    def __init__(self, user: User | None = None, app: App | None = None):
        if app is not None:
            _, token = app.tokens.create(name="tests")
            self.token: str | None = token
        else:
            self.token = create_access_token(user) if user else None

    def post(self, query: str, variables: dict | None = None) -> Response:
        return post(SALEOR_ENDPOINT, query, variables, self.token)

    def call(self, query: str, variables: dict | None = None) -> dict:
        """The data of a request that must not fail at the GraphQL level."""
        response = self.post(query, variables)
        assert response.status == 200, response.body
        return response.data


def post_http(
    url: str,
    query: str,
    variables: dict | None = None,
    token: str | None = None,
    timeout: float = 30,
) -> Response:
    """One request over the network to a running server's GraphQL endpoint."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(
        url,
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=timeout,
    )
    return Response(response.status_code, _body(response.content))


class LiveClient:
    """Posts to a running server's GraphQL endpoint (Saleor's API or the
    plugin's) as a user holding `token`, or anonymously."""

    def __init__(self, url: str, token: str | None = None):
        self.url = url
        self.token = token

    def post(self, query: str, variables: dict | None = None) -> Response:
        return post_http(self.url, query, variables, self.token)

    def call(self, query: str, variables: dict | None = None) -> dict:
        """The data of a request that must not fail at the GraphQL level."""
        response = self.post(query, variables)
        assert response.status == 200, response.body
        return response.data

    def login(self, email: str, password: str) -> "LiveClient":
        """Signed in through Saleor's `tokenCreate`, as the Dashboard signs in."""
        from saleor_cart_takeover.demo.documents import TOKEN_CREATE

        response = self.post(TOKEN_CREATE, {"email": email, "password": password})
        return LiveClient(self.url, response.payload("tokenCreate")["token"])


def extension_token(app: App, user: User, identifier: str | None = "takeover") -> str:
    """The token the Dashboard hands an app extension's popup for `user`
    (the app's first extension when `identifier` is None)."""
    extensions = app.extensions.order_by("pk")
    extension = (
        extensions.first()
        if identifier is None
        else extensions.get(identifier=identifier)
    )
    return create_access_token_for_app_extension(
        extension, extension.permissions.all(), user, app
    )
