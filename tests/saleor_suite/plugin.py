"""pytest plugin: Saleor's own tests, with the cart-takeover plugin active.

Loaded by `scripts/saleor-suite` with `-p tests.saleor_suite.plugin`, while
pytest runs from Saleor's source with Saleor's own configuration.

Saleor's autouse fixture `setup_dummy_gateways` replaces `settings.PLUGINS` in
every test. The fixture below depends on it, so it runs after it and adds the
plugin to the list Saleor's test then uses; an autouse fixture that merely ran
first would be overwritten, and every test would pass without the plugin. The
plugin is activated the way Saleor's sample plugins are
(`ActiveDummyPaymentGateway`): active by default, with its default
configuration, which is what a merchant's activation on the Plugins page
stores. That holds in every test, also in tests without database access and
after a TransactionTestCase flushed the tables.

Tests that set `settings.PLUGINS` themselves (a plugin's own tests, which list
exactly the plugins they test) run without the plugin, as they would in any
deployment with more plugins than they list; they are counted in the report.

The controller writes the outcome as JSON to --cart-takeover-report: the
failed test ids, and the tests that ran without the plugin.
"""

import json
import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

PLUGIN = "saleor_cart_takeover.plugin.CartTakeoverPlugin"
# The switch scripts/saleor-suite --without-plugin turns off; settings.py reads
# it too, to leave the app out.
WITH_PLUGIN = os.environ.get("CART_TAKEOVER_SUITE_PLUGIN", "on") != "off"
ABSENT = "cart_takeover_plugin_absent"
SANITY = Path(__file__).with_name("sanity.py")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cart-takeover-report",
        default=None,
        help="write the failed test ids and the tests run without the plugin "
        "(JSON) to this file",
    )
    parser.addoption(
        "--cart-takeover-only",
        default=None,
        help="run only the tests with these ids (one a line; a module's id "
        "stands for its tests), and the sanity test",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Generator[None, None, None]:
    # The sanity test runs whatever -k or -m select: without it, a run could
    # pass with the plugin silently absent.
    sanity = [item for item in items if item.path == SANITY]
    items[:] = [item for item in items if item.path != SANITY]
    yield
    # The rerun without the plugin: the same arguments as the first run (its
    # options, e.g. --run-slow, matter), narrowed to the tests that failed.
    if path := config.getoption("--cart-takeover-only"):
        wanted = set(Path(path).read_text().split("\n")) - {""}
        keep: list[pytest.Item] = []
        drop: list[pytest.Item] = []
        for item in items:
            parts = item.nodeid.split("::")
            # A module's or class's id (a collection error) stands for its tests.
            ids = {"::".join(parts[:end]) for end in range(1, len(parts) + 1)}
            (keep if ids & wanted else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    items[:0] = sanity


@pytest.fixture(autouse=True)
def cart_takeover_plugin(
    setup_dummy_gateways: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Install and activate the plugin in every Saleor test."""
    if not WITH_PLUGIN:
        return
    from saleor_cart_takeover.plugin import CartTakeoverPlugin

    settings = setup_dummy_gateways  # pytest-django's `settings`, as Saleor returns it
    settings.PLUGINS = [*settings.PLUGINS, PLUGIN]
    monkeypatch.setattr(CartTakeoverPlugin, "DEFAULT_ACTIVE", True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    # Checked before and after the test body: a test may replace the list in a
    # fixture or in its own code.
    present = _plugin_listed()
    try:
        return (yield)
    finally:
        if WITH_PLUGIN and not (present and _plugin_listed()):
            item.user_properties.append((ABSENT, True))


def _plugin_listed() -> bool:
    from django.conf import settings

    return PLUGIN in getattr(settings, "PLUGINS", [])


class Outcome:
    """Collected on the controller (with xdist, from the workers' reports)."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.failed: dict[str, None] = {}
        self.without_plugin: dict[str, None] = {}
        self.passed = 0

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        nodeid = report.nodeid
        if nodeid.startswith("::"):
            # The sanity test lies outside Saleor's source, pytest's rootdir.
            nodeid = f"{SANITY.relative_to(SANITY.parents[2])}{nodeid}"
        if report.failed:
            self.failed[nodeid] = None
        elif report.when == "call" and report.passed:
            self.passed += 1
        if report.when == "call" and (ABSENT, True) in report.user_properties:
            self.without_plugin[nodeid] = None

    @pytest.hookimpl
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.failed[report.nodeid] = None

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.path.write_text(
            json.dumps(
                {
                    "with_plugin": WITH_PLUGIN,
                    "exitstatus": int(exitstatus),
                    "passed": self.passed,
                    "failed": list(self.failed),
                    "ran_without_plugin": list(self.without_plugin),
                },
                indent=1,
            )
        )


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--cart-takeover-report")
    # Only the controller writes the report; xdist workers send it their reports.
    if path and not hasattr(config, "workerinput"):
        config.pluginmanager.register(Outcome(path), "cart_takeover_outcome")
