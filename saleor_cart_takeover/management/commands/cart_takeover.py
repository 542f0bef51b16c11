"""`manage.py cart_takeover grant|revoke|list|install-app|expire`."""

from argparse import ArgumentParser
from typing import Any

import graphene
from django.core.management.base import BaseCommand, CommandError

from ...access import grants
from ...errors import TakeoverError
from ...takeover import expiry


class Command(BaseCommand):
    help = "Manage cart takeover: who may take over carts, the dashboard app, expiry."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("grant", "Give the takeover permission to a staff user or a group."),
            ("revoke", "Take the takeover permission back."),
        ):
            action = actions.add_parser(name, help=text)
            who = action.add_mutually_exclusive_group(required=True)
            who.add_argument("--user", metavar="EMAIL")
            who.add_argument("--group", metavar="NAME")
        actions.add_parser("list", help="List who holds the takeover permission.")
        install = actions.add_parser(
            "install-app", help="Install or update the dashboard app in-process."
        )
        install.add_argument(
            "--base-url",
            required=True,
            help="Public base URL of this Saleor, e.g. https://shop.example.com",
        )
        actions.add_parser("expire", help="Expire idle takeover sessions now.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, "handle_" + action.replace("-", "_"))(**options)
        except TakeoverError as error:
            raise CommandError(str(error)) from error

    def handle_grant(self, user: str | None, group: str | None, **_: Any) -> None:
        target = self._target(user, group)
        changed = grants.grant(**target, by="manage.py")
        self.stdout.write(
            f"Granted cart takeover to {self._name(user, group)}."
            if changed
            else f"{self._name(user, group)} already holds cart takeover."
        )

    def handle_revoke(self, user: str | None, group: str | None, **_: Any) -> None:
        target = self._target(user, group)
        changed = grants.revoke(**target)
        self.stdout.write(
            f"Revoked cart takeover from {self._name(user, group)}."
            if changed
            else f"{self._name(user, group)} did not hold cart takeover."
        )

    def handle_list(self, **_: Any) -> None:
        holders = grants.holders()
        if not holders:
            self.stdout.write("Nobody holds cart takeover (superusers always do).")
        for holder in holders:
            by = f" (granted by {holder.granted_by})" if holder.granted_by else ""
            self.stdout.write(f"{holder.kind:<9} {holder.name}{by}")

    def handle_install_app(self, base_url: str, **_: Any) -> None:
        try:
            from ...dashboard.installation import install_app
        except ImportError as error:  # pragma: no cover - ships with the package
            raise CommandError(
                "The dashboard app is not part of this build."
            ) from error
        app = install_app(base_url)
        # Saleor's global id, as the Dashboard and the API name the app.
        self.stdout.write(graphene.Node.to_global_id("App", app.pk))

    def handle_expire(self, **_: Any) -> None:
        # The beat task runs the same function (expiry.py).
        result = expiry.expire_sessions()
        self.stdout.write(
            f"Closed {result.closed} idle or orphaned takeover session(s)."
        )
        if result.reconciled:
            self.stdout.write(
                f"Completed {result.reconciled} session(s) whose order was placed."
            )

    @staticmethod
    def _target(user: str | None, group: str | None) -> dict[str, Any]:
        if user:
            return {"user": grants.find_user(user)}
        return {"group": grants.find_group(group or "")}

    @staticmethod
    def _name(user: str | None, group: str | None) -> str:
        return user if user else f"group {group!r}"
