"""Packaging hook: the Dashboard app is built into every sdist and wheel.

The app (dashboard_extension/, TypeScript) is built by Vite into
saleor_cart_takeover/static/dashboard/, which git ignores. Without this hook a
wheel built from a clean clone would install a plugin whose Dashboard pages are
missing; with it, `python -m build` / `uv build` / `pip install .` run
`npm ci && npm run build` first, or stop with a message saying what is needed.

A build is reused while its `.build-hash` matches the extension's sources, the
same hash `scripts/setup` writes, so a checkout set up by scripts/setup (and a
wheel built from an sdist, which carries both the sources and the build) does
not build twice. Everything else is in setup.cfg.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
EXTENSION = "dashboard_extension"
BUILT = Path("saleor_cart_takeover") / "static" / "dashboard"


class ExtensionBuildError(SystemExit):
    def __init__(self, message: str):
        super().__init__(
            f"error: cannot package saleor-cart-takeover without its Dashboard app:\n"
            f"  {message}\n"
            "  The wheel must hold saleor_cart_takeover/static/dashboard/ (built from "
            "dashboard_extension/ by `npm ci && npm run build`); install Node.js 20+ "
            "with npm and build again."
        )


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources_hash(root: Path) -> str:
    """scripts/setup's hash of the extension's sources, computed the same way:
    `find dashboard_extension -path .../node_modules -prune -o -type f -print |
    LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16`."""
    paths = []
    for directory, dirs, files in os.walk(root / EXTENSION):
        relative = Path(directory).relative_to(root)
        if relative == Path(EXTENSION):
            dirs[:] = [d for d in dirs if d != "node_modules"]
        for name in files:
            full = Path(directory) / name
            if full.is_file() and not full.is_symlink():
                paths.append(str(relative / name))
    listing = "".join(
        f"{sha256_of(root / path)}  {path}\n"
        for path in sorted(paths, key=lambda p: p.encode())
    )
    return hashlib.sha256(listing.encode()).hexdigest()[:16]


def ensure_extension_built(root: Path = ROOT) -> None:
    """Build the Dashboard app into the package unless a current build is there."""
    extension, built = root / EXTENSION, root / BUILT
    if not (extension / "package.json").is_file():
        if (built / "manifest.json").is_file():
            return  # an unpacked sdist without sources: ship what it holds
        raise ExtensionBuildError(f"neither {EXTENSION}/ nor a build in {BUILT}/")
    wanted = sources_hash(root)
    stamp = built / ".build-hash"
    current = stamp.is_file() and stamp.read_text().strip() == wanted
    if current and (built / "manifest.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ExtensionBuildError("npm is not on PATH")
    print(f"building the Dashboard app: npm ci && npm run build in {extension}")
    for step in (
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        [npm, "run", "build"],
    ):
        # npm from PATH with fixed arguments, as a developer would type them.
        if subprocess.run(step, cwd=extension, check=False).returncode:  # noqa: S603
            raise ExtensionBuildError(f"`{' '.join(step[1:])}` failed (see above)")
    if not (built / "manifest.json").is_file():
        raise ExtensionBuildError(f"`npm run build` wrote no {BUILT}/manifest.json")
    stamp.write_text(wanted)


class BuildPyWithExtension(build_py):
    def run(self) -> None:
        ensure_extension_built()
        super().run()


class SdistWithExtension(sdist):
    def run(self) -> None:
        # Before the file list is made, so the build is in the sdist.
        ensure_extension_built()
        super().run()


setup(cmdclass={"build_py": BuildPyWithExtension, "sdist": SdistWithExtension})
