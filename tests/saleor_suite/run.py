"""scripts/saleor-suite: run Saleor's own tests with the plugin installed and active.

    scripts/saleor-suite [--core] [--without-plugin] [pytest arguments...]

Paths and test ids are relative to Saleor's source (that of the Saleor the
environment runs, as scripts/setup provisions it); without any, Saleor's whole
suite runs. `--core` selects the core files: the parts of Saleor the plugin's
hooks take part in. `--without-plugin` reruns the failures with the plugin
neither active nor installed (its own test database) and says which failures
are the plugin's; the exit status is then non-zero only for those.

pytest runs from Saleor's source with Saleor's configuration (its setup.cfg:
xdist, pytest-socket, its fixtures), plus tests/saleor_suite/plugin.py and
settings.py, on 2 xdist workers unless `-n` says otherwise, keeping the test
database between runs (`--create-db` makes a new one). The database is
SALEOR_SUITE_DATABASE_URL, by default one per Saleor version
(saleor_suite_3_23_28, and saleor_suite_3_23_28_without for the comparison):
pytest-django creates test_<name>_gw<N> next to it.
"""

import json
import os
import subprocess
import sys
import time
import tomllib
from importlib.util import find_spec
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SANITY = HERE / "sanity.py"
OUT = PROJECT / ".cache" / "saleor-suite"

# Saleor's tests of what the plugin's hooks see: checkout completion in its
# three flows (no payment, payments, transactions) and the service under them,
# the app's order from a checkout, the cart edits the plugin reproduces, and
# the draft-order mutations the plugin's reconciliation and copy meet. The same
# paths on 3.22 and 3.23.
CORE_FILES = (
    "saleor/checkout/tests/test_checkout_complete.py",
    "saleor/graphql/checkout/tests/mutations/test_checkout_complete.py",
    "saleor/graphql/checkout/tests/mutations/test_checkout_complete_with_payment.py",
    "saleor/graphql/checkout/tests/mutations/test_checkout_complete_with_transactions.py",
    "saleor/graphql/checkout/tests/mutations/test_order_create_from_checkout.py",
    "saleor/graphql/checkout/tests/mutations/test_checkout_lines_add.py",
    "saleor/graphql/checkout/tests/mutations/test_checkout_lines_update.py",
    "saleor/graphql/checkout/tests/mutations/test_checkout_delivery_method_update.py",
    "saleor/graphql/order/tests/mutations/test_draft_order_complete.py",
    "saleor/graphql/order/tests/mutations/test_draft_order_delete.py",
    "saleor/graphql/order/tests/mutations/test_draft_order_update.py",
    "saleor/graphql/order/tests/mutations/test_order_lines_create.py",
)


def fail(message: str, *hints: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    for hint in hints:
        print(f"  {hint}", file=sys.stderr)
    sys.exit(2)


def saleor_source() -> Path:
    """Saleor's source with its tests: where the environment's Saleor is installed
    from (scripts/setup installs it editable from .cache/saleor/<name>/src)."""
    if explicit := os.environ.get("SALEOR_SUITE_SOURCE"):
        source = Path(explicit).resolve()
    else:
        spec = find_spec("saleor")
        if spec is None or spec.origin is None:
            fail(
                f"{sys.executable} has no Saleor installed",
                "Run scripts/setup first (or point SALEOR_VENV at a Saleor environment).",
            )
        source = Path(spec.origin).resolve().parents[1]
    if not (source / "conftest.py").is_file() or not (source / "saleor/tests").is_dir():
        fail(
            f"{source} is not a Saleor source folder with its tests",
            "Saleor must be installed from its source (scripts/setup does that), or",
            "SALEOR_SUITE_SOURCE must name the source of the installed version.",
        )
    return source


def saleor_version(source: Path) -> str:
    with (source / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def database_url(version: str, suffix: str) -> str:
    url = os.environ.get("SALEOR_SUITE_DATABASE_URL") or (
        "postgres://postgres@127.0.0.1:5432/saleor_suite_" + version.replace(".", "_")
    )
    if not suffix:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def run_pytest(
    source: Path,
    version: str,
    args: list[str],
    *,
    with_plugin: bool,
    report: Path,
    only: Path | None = None,
) -> dict:
    env = dict(os.environ)
    # This checkout first: its plugin is the one tested, whichever checkout
    # the environment has installed.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env["DATABASE_URL"] = database_url(version, "" if with_plugin else "_without")
    env.pop("DATABASE_URL_REPLICA", None)
    env["CART_TAKEOVER_SUITE_PLUGIN"] = "on" if with_plugin else "off"
    if not with_plugin:
        # A template holds the plugin's tables: it cannot stand for Saleor
        # without the plugin.
        env.pop("SALEOR_SUITE_TEMPLATE_DB", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(source / "setup.cfg"),
        "--rootdir",
        str(source),
        # The project's tests/conftest.py sits above this folder and must not
        # load: Saleor's root conftest is the one these tests run under.
        "--confcutdir",
        str(HERE),
        "-p",
        "tests.saleor_suite.plugin",
        "-p",
        "no:cacheprovider",
        "--ds=tests.saleor_suite.settings",
        "--reuse-db",
        "-n",
        "2",
        "--cart-takeover-report",
        str(report),
        *(["--cart-takeover-only", str(only)] if only else []),
        *args,
        str(SANITY),
    ]
    report.unlink(missing_ok=True)
    completed = subprocess.run(command, cwd=source, env=env, check=False)
    if not report.is_file():
        # pytest stopped before its session ended (usage error, crash).
        sys.exit(completed.returncode or 3)
    return json.loads(report.read_text())


def selects_tests(source: Path, args: list[str]) -> bool:
    """Whether the arguments name tests (paths or ids in Saleor's source)."""
    return any(
        not arg.startswith("-") and (source / arg.split("::")[0]).exists()
        for arg in args
    )


def main(argv: list[str]) -> int:
    without_plugin = "--without-plugin" in argv
    core = "--core" in argv
    args = [arg for arg in argv if arg not in ("--without-plugin", "--core")]
    source = saleor_source()
    version = saleor_version(source)
    if core:
        missing = [path for path in CORE_FILES if not (source / path).is_file()]
        if missing:
            fail(f"Saleor {version} has none of: {', '.join(missing)}")
        args = [*args, *CORE_FILES]
    elif not selects_tests(source, args):
        args = [*args, "saleor"]  # Saleor's testpaths: the whole suite
    OUT.mkdir(parents=True, exist_ok=True)
    stem = f"saleor-{version}"

    print(
        f"==> Saleor {version} ({source}) with saleor-cart-takeover active", flush=True
    )
    started = time.monotonic()
    result = run_pytest(
        source, version, args, with_plugin=True, report=OUT / f"{stem}-with.json"
    )
    took = time.monotonic() - started
    failed: list[str] = result["failed"]
    absent: list[str] = result["ran_without_plugin"]
    print(
        f"==> with the plugin: {result['passed']} passed, {len(failed)} failed "
        f"({took / 60:.1f} min); {len(absent)} tests set settings.PLUGINS "
        "themselves and ran without it (list: "
        f"{(OUT / f'{stem}-with.json').relative_to(PROJECT)})"
    )
    if result["exitstatus"] not in (0, 1):
        return int(result["exitstatus"])
    if not failed:
        return 0
    if not without_plugin:
        print("==> failed with the plugin:\n" + "\n".join(f"    {id}" for id in failed))
        print("    (--without-plugin tells which of them are the plugin's)")
        return 1

    print(f"==> Saleor {version} without the plugin: the {len(failed)} failures again")
    only = OUT / f"{stem}-failed.txt"
    only.write_text("\n".join(failed) + "\n")
    again = run_pytest(
        source,
        version,
        args,
        with_plugin=False,
        report=OUT / f"{stem}-without.json",
        only=only,
    )
    if again["exitstatus"] not in (0, 1, 5):
        return int(again["exitstatus"])
    also_without = set(again["failed"])
    theirs = [id for id in failed if id in also_without]
    ours = [id for id in failed if id not in also_without]
    print(
        f"==> {len(theirs)} of the {len(failed)} failures also fail without the "
        "plugin (Saleor's or this machine's, not the plugin's):"
    )
    print("\n".join(f"    {id}" for id in theirs) or "    none")
    print(f"==> {len(ours)} fail only with the plugin (the plugin's):")
    print("\n".join(f"    {id}" for id in ours) or "    none")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
