"""Bringing a Saleor database up to date for the demo: migrations with progress,
the plugin switched on, the dashboard app installed."""

import collections
import importlib
import importlib.util
import re
import subprocess
import sys
import time
from typing import Any, TextIO

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from ..const import PLUGIN_CLASS_PATH, PLUGIN_ID, PLUGIN_NAME

INSTALLATION_MODULE = "saleor_cart_takeover.dashboard.installation"


class MigrationProgress:
    """A stdout for `migrate` that turns its "Applying x..." lines into a
    counter: one updating line on a terminal, a line every 10% otherwise."""

    _APPLYING = re.compile(r"Applying (\S+?)\.\.\.")

    def __init__(self, total: int, out: TextIO = sys.stdout) -> None:
        self.total = total
        self.done = 0
        self.out = out
        self.started = time.monotonic()
        self.tty = out.isatty()
        self._last_decile = 0

    def write(self, text: str) -> int:
        for name in self._APPLYING.findall(text):
            self.done += 1
            elapsed = time.monotonic() - self.started
            line = f"  migrations {self.done}/{self.total} ({elapsed:.0f}s) {name}"
            decile = self.done * 10 // max(self.total, 1)
            if self.tty:
                self.out.write("\r\033[K" + line[:100])
            elif decile > self._last_decile or self.done == self.total:
                self.out.write(line + "\n")
            self._last_decile = decile
            self.out.flush()
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def finish(self) -> None:
        if self.tty and self.done:
            self.out.write("\n")
        self.out.flush()


def migrate() -> tuple[int, float]:
    """Apply Saleor's and the plugin's pending migrations; returns (count, seconds).

    They run in a child process, as `manage.py migrate` would: migrations use
    historical models, and caches they fill (Django's SITE_CACHE keeps a
    historical `Site`) would otherwise break the server started afterwards.
    """
    executor = MigrationExecutor(connections["default"])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    connections.close_all()
    started = time.monotonic()
    if not pending:
        return 0, 0.0
    if pending > 100:
        print(f"  {pending} migrations to apply (a few minutes)", flush=True)
    progress = MigrationProgress(pending)
    tail: collections.deque[str] = collections.deque(maxlen=40)
    child = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "django", "migrate", "--no-input"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            tail.append(line)
            progress.write(line)
        returncode = child.wait()
    finally:
        if child.poll() is None:  # interrupted: do not leave it writing
            child.terminate()
            child.wait()
        progress.finish()
    if returncode != 0:
        raise RuntimeError("migrate failed:\n" + "".join(tail))
    return pending, time.monotonic() - started


def check_plugin_loaded() -> None:
    if PLUGIN_CLASS_PATH not in getattr(settings, "PLUGINS", []):
        raise RuntimeError(
            f"Saleor did not load {PLUGIN_CLASS_PATH}: install this package into the Python "
            "environment that runs Saleor (`pip install -e .`) so its `saleor.plugins` "
            "entry point is found."
        )


def activate_plugin() -> bool:
    """Switch the plugin on, as a merchant does on the Plugins page.

    Returns True when this changed anything."""
    from saleor.plugins.models import PluginConfiguration

    configuration, created = PluginConfiguration.objects.get_or_create(
        identifier=PLUGIN_ID,
        channel=None,
        defaults={"name": PLUGIN_NAME, "active": True, "configuration": []},
    )
    if not configuration.active:
        configuration.active = True
        configuration.save(update_fields=["active"])
        return True
    return created


# The installed app and, per extension, its label and where it appears.
InstalledApp = tuple[Any, list[tuple[str, str]]]


def install_dashboard_app(base_url: str) -> InstalledApp | None:
    """Install the dashboard app when this release has it.

    Returns (app, [(label, where it appears)]), or None when the module is not
    there. A missing module is expected while the extension is being built; an
    error inside it is not, so only its absence is tolerated.
    """
    try:
        found = importlib.util.find_spec(INSTALLATION_MODULE) is not None
    except ModuleNotFoundError:  # its parent package is missing too
        found = False
    if not found:
        return None
    installation = importlib.import_module(INSTALLATION_MODULE)
    app = installation.install_app(base_url)
    extensions = [
        (extension.label, f"{extension.mount}, {extension.target}")
        for extension in app.extensions.order_by("pk")
    ]
    return app, extensions
