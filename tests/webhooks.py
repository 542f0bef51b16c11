"""Real webhook deliveries: an app with a `Webhook` row and a subscription query,
a payload built by Saleor, sent by Saleor over HTTP to a receiver on a port the
OS assigned. What another app of the merchant would receive, byte for byte."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from saleor.app.models import App
from saleor.permission.models import Permission
from saleor.webhook.event_types import WebhookEventAsyncType
from saleor.webhook.models import Webhook


class Receiver:
    """An HTTP endpoint that records every JSON body posted to it."""

    def __init__(self) -> None:
        received: list[tuple[str, dict]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                received.append((self.headers.get("Saleor-Event", ""), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def of(self, event: str) -> list[dict]:
        """Payloads delivered for `event` (Saleor's lower-case event name)."""
        return [body for name, body in self.received if name == event.lower()]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


WEBHOOK_PLUGIN = "saleor.plugins.webhook.plugin.WebhookPlugin"


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    """A receiver, with Saleor's webhook plugin on as in every Saleor deployment."""
    if WEBHOOK_PLUGIN not in settings.PLUGINS:
        settings.PLUGINS = [WEBHOOK_PLUGIN, *settings.PLUGINS]
    server = Receiver()
    yield server
    server.close()


def subscribe(receiver: Receiver, subscription: str, *events: str) -> Webhook:
    """Another app of the merchant, subscribed to `events` with `subscription`."""
    app = App.objects.create(name="Listener", is_active=True, identifier="listener")
    # Saleor delivers an event only to apps holding the permission it requires.
    required = {WebhookEventAsyncType.PERMISSIONS.get(event) for event in events}
    codenames = {p.codename for p in required if p is not None}
    app.permissions.set(Permission.objects.filter(codename__in=codenames))
    webhook = Webhook.objects.create(
        name="listener",
        app=app,
        target_url=receiver.url,
        subscription_query=subscription,
        is_active=True,
    )
    for event in events:
        webhook.events.create(event_type=event)
    return webhook
