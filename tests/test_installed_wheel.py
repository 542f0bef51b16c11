"""The package as a merchant installs it: a wheel built from this checkout (an
sdist first, the wheel from the sdist, as `uv build` does), installed, not
editable, into a fresh Saleor environment made from Saleor's own uv.lock, on a
Saleor database that has never seen the plugin. Then, as the README says:
`migrate`, the plugin activated on the Plugins page (`pluginUpdate`), the app
installed (`cart_takeover install-app`); every extension URL serves its page
and the assets it loads, and a takeover runs over HTTP against uvicorn.

Nothing of this checkout is importable by the installed Saleor: its
PYTHONPATH holds only the README's settings module.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from saleor_cart_takeover import APP_IDENTIFIER

from .clients import LiveClient
from .deployment import REPO, SaleorDeployment, fresh_database
from .ids import gid, pk_of
from .live_server import LiveSaleor, unavailable
from .operations import COPY, START
from .storefront import ADDRESS, BILLING_ADDRESS, COMPLETE, DELIVERY, SHIPPING_ADDRESS
from .test_extension_urls import APPS_QUERY, INTENDED, dashboard_url

PLUGIN_UPDATE = """
mutation($id: ID!) {
  pluginUpdate(id: $id, input: { active: true }) {
    plugin { id globalConfiguration { active } }
    errors { field code message }
  }
}"""


pytestmark = pytest.mark.deployment


def find_uv() -> str:
    """uv as scripts/setup finds it: PATH, then the checkout's .cache/uv, then
    the one beside the Saleor environment running this test."""
    for candidate in (
        shutil.which("uv"),
        REPO / ".cache" / "uv" / "bin" / "uv",
        Path(sys.prefix).parents[2] / "uv" / "bin" / "uv",
    ):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    unavailable("uv is not installed (scripts/setup installs it)")
    raise AssertionError


def run(*args: str | Path, cwd: Path = REPO, **env: str) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh Saleor environment with the wheel installed; its python."""
    import saleor

    uv = find_uv()
    tmp = tmp_path_factory.mktemp("installed")
    dist = tmp / "dist"
    run(uv, "build", "--quiet", "--out-dir", dist, REPO)
    run(sys.executable, REPO / "scripts" / "check-dist", dist)
    [wheel] = dist.glob("*.whl")

    saleor_src = Path(saleor.__file__).resolve().parents[1]
    if not (saleor_src / "uv.lock").is_file():
        unavailable(f"Saleor's uv.lock is not at {saleor_src}")
    venv = tmp / "venv"
    # Saleor's locked dependencies, as scripts/setup installs them (uv's cache
    # makes this seconds); Saleor itself on the path, as its Docker image has
    # it (not installed as a distribution).
    run(
        uv, "sync", "--quiet", "--frozen", "--no-install-project",
        "--python", sys.executable,
        cwd=saleor_src,
        UV_PROJECT_ENVIRONMENT=str(venv),
        UV_PYTHON_DOWNLOADS="never",
    )  # fmt: skip
    python = venv / "bin" / "python"
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).strip()
    )
    (site / "saleor-source.pth").write_text(f"{saleor_src}\n")
    run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", wheel)
    return python


def test_the_wheel_installs_migrates_and_serves_the_dashboard_app(
    installed, django_db_setup, django_db_blocker, tmp_path
):
    python = installed
    where = run(
        python, "-c", "import saleor_cart_takeover; print(saleor_cart_takeover.__file__)",
        cwd=tmp_path,
    )  # fmt: skip
    assert "site-packages" in where, where
    demo = subprocess.run(
        [python, "-m", "saleor_cart_takeover", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert demo.returncode == 2
    assert "runs from a checkout" in demo.stderr

    prefix = os.environ.get("CART_TAKEOVER_E2E_DB", "cart_takeover_e2e") + "_wheel"
    with django_db_blocker.unblock(), fresh_database(prefix) as db_url:
        saleor = SaleorDeployment(
            db_url, None, workers=1, celery=False, python=str(python),
            pythonpath=[], name="installed-wheel",
        )  # fmt: skip
        # A Saleor database that never had the plugin: migrate creates its tables.
        saleor.run("-m", "django", "migrate", "saleor_cart_takeover", "zero")
        migrated = saleor.run("-m", "django", "migrate", "--noinput")
        assert "Applying saleor_cart_takeover.0001_initial... OK" in migrated
        with saleor:
            seed = saleor.seed(catalogue_only=True)
            password = seed["password"]
            admin = saleor.login(seed["admin"], password)

            # Configuration → Plugins → Cart takeover → active.
            activated = admin.post(PLUGIN_UPDATE, {"id": "saleor.cart_takeover"})
            assert activated.payload("pluginUpdate")["plugin"]["globalConfiguration"]
            app_id = saleor.run(
                "-m", "django", "cart_takeover", "install-app", "--base-url", saleor.urls[0]
            ).strip()  # fmt: skip
            assert app_id.startswith("QXBw")  # "App:..."

            _every_extension_serves_its_page_and_assets(admin)
            _a_takeover_round_trip(saleor, seed)


def _every_extension_serves_its_page_and_assets(admin: LiveClient) -> None:
    apps = admin.call(APPS_QUERY)["apps"]["edges"]
    [node] = [e["node"] for e in apps if e["node"]["identifier"] == APP_IDENTIFIER]
    opened = {}
    for extension in node["extensions"]:
        url = dashboard_url(node["appUrl"], extension["url"], extension["targetName"])
        page = requests.get(url + "?id=app&theme=light", timeout=30)
        assert page.status_code == 200, (url, page.text[:200])
        mount = re.search(r'data-page="([^"]+)"', page.text)
        assert mount, (url, page.text[:200])
        opened[extension["mountName"].lower()] = mount.group(1)
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page.text)
        assert assets, page.text[:500]
        for asset in assets:
            loaded = requests.get(requests.compat.urljoin(url, asset), timeout=30)
            assert loaded.status_code == 200, (url, asset)
            assert len(loaded.content) > 100
    assert opened == INTENDED


def _a_takeover_round_trip(saleor: SaleorDeployment, seed: dict) -> None:
    """A rep takes over a shopper's cart, copies it into the draft and hands
    it back; the shopper checks out; the rep's draft does not linger."""
    live = LiveSaleor(
        url=saleor.urls[0], api=saleor.api(), seed=seed, db_url=saleor.database_url,
        env=saleor.env,
    )  # fmt: skip
    csr = live.client(seed["csr"])
    shopper = live.client(seed["shopper"])
    mug = seed["mug"]["variants"]["Small"]
    cart = live.create_cart(shopper, seed["shopper"], {mug: 2})
    draft = live.create_draft(csr, user=gid("User", seed["shopper_id"]))
    rep = live.plugin_client(csr)

    started = rep.post(START, {"draft": draft, "checkout": cart["id"]})
    session = started.payload("takeoverStart")["session"]
    assert session["status"] == "ACTIVE"
    copied = rep.post(COPY, {"session": session["id"], "handBack": True})
    copied.payload("takeoverCopyToDraft")
    lines = live.order_lines(draft)
    assert {sku: quantity for sku, (quantity, _) in lines.items()} == {
        f"MUG-S-{_suffix(seed)}": 2
    }

    address = {"id": cart["id"], "address": ADDRESS}
    shopper.post(SHIPPING_ADDRESS, address).payload("checkoutShippingAddressUpdate")
    shopper.post(BILLING_ADDRESS, address).payload("checkoutBillingAddressUpdate")
    method = gid("ShippingMethod", seed["shipping_method_id"])
    shopper.post(DELIVERY, {"id": cart["id"], "method": method}).payload(
        "checkoutDeliveryMethodUpdate"
    )
    order = shopper.post(COMPLETE, {"id": cart["id"]}).payload("checkoutComplete")
    assert order["order"]["id"]
    assert not live.sql("SELECT 1 FROM order_order WHERE id = %s", pk_of(draft))


def _suffix(seed: dict) -> str:
    return seed["admin"].split("@")[0].removeprefix("admin-")
