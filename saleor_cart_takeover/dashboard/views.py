"""HTTP side of the dashboard app: manifest, token target, pages and assets.

The pages run inside the Dashboard's iframes, so the responses must let the
Dashboard frame them (`frame-ancestors`), and must not set a Referrer-Policy
that hides the Dashboard's origin: the app-bridge only trusts messages from
the origin in `document.referrer`.
"""

import json
import mimetypes
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    JsonResponse,
)
from django.utils.html import escape

from ..const import PLUGIN_URL_PATH
from .manifest import PAGES, build_manifest

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "dashboard"
VITE_ENTRY = "src/main.tsx"
ASSET_MAX_AGE = 365 * 24 * 3600
# Django's SecurityMiddleware fills in its default ("same-origin") only when the
# response has none; this is the browsers' own default and keeps the origin.
REFERRER_POLICY = "strict-origin-when-cross-origin"


def frame_ancestors() -> str:
    """Who may frame the pages: the Dashboards Saleor knows of.

    That is this host (a Dashboard served next to the API), the origin of
    Saleor's DASHBOARD_URL and the hosts of ALLOWED_CLIENT_HOSTS (Saleor's
    list of trusted storefront and Dashboard hosts, any port, as Saleor checks
    redirect URLs). The Django setting CART_TAKEOVER_FRAME_ANCESTORS replaces
    the list, e.g. to widen it: "https://dashboard.example.com" or "*".
    """
    configured = getattr(settings, "CART_TAKEOVER_FRAME_ANCESTORS", None)
    if configured:
        return configured
    sources = ["'self'"]
    dashboard = urlsplit(os.environ.get("DASHBOARD_URL", ""))
    if dashboard.scheme in ("http", "https") and dashboard.netloc:
        sources.append(f"{dashboard.scheme}://{dashboard.netloc}")
    for host in getattr(settings, "ALLOWED_CLIENT_HOSTS", []) or []:
        host = host.strip()
        if host == "*":
            return "*"
        if host and all(c.isalnum() or c in ".-*" for c in host):
            sources.append(f"{host}:*")
    return " ".join(dict.fromkeys(sources))


def _secure(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    # Framing is governed by the CSP's frame-ancestors, not X-Frame-Options.
    response.xframe_options_exempt = True
    return response


def manifest_view(request: HttpRequest, saleor_root: str) -> HttpResponse:
    # Saleor's public URL, path prefix (SCRIPT_NAME) included.
    base_url = request.build_absolute_uri(saleor_root + "/")
    response = JsonResponse(build_manifest(base_url))
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return _secure(response)


def token_view(request: HttpRequest) -> HttpResponse:
    """Saleor posts the app's token here when it installs the app from the manifest.

    The plugin runs inside Saleor and never calls Saleor as the app, so it has
    no use for the token and keeps none; answering 2xx lets the install finish.
    """
    if request.method != "POST":
        response = JsonResponse({"error": "POST only."}, status=405)
        response["Allow"] = "POST"
        return response
    return JsonResponse({"success": True})


@lru_cache(maxsize=4)
def _vite_manifest(path: Path, mtime: float) -> dict[str, Any]:
    # Keyed by mtime: a rebuild is picked up without restarting Saleor.
    return json.loads(path.read_text())


def entry_assets() -> tuple[str, list[str]] | None:
    """The hashed entry script and its stylesheets, from Vite's build manifest."""
    path = STATIC_DIR / "manifest.json"
    try:
        manifest = _vite_manifest(path, path.stat().st_mtime)
    except (OSError, ValueError):
        return None
    entry = manifest.get(VITE_ENTRY)
    if not entry:
        return None
    css = list(entry.get("css", []))
    for imported in entry.get("imports", []):
        css += manifest.get(imported, {}).get("css", [])
    return entry["file"], css


PAGE_CSP = (
    "default-src 'self'; script-src 'self'; "
    # macaw-ui sets theme variables through style attributes.
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
)


def page_view(request: HttpRequest, page: str, assets_url: str) -> HttpResponse:
    if page not in PAGES:
        return HttpResponseNotFound("No such page.")
    assets = entry_assets()
    if assets is None:
        response = HttpResponse(
            "The dashboard pages are not built: run `npm ci && npm run build` in "
            "dashboard_extension/.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        return _secure(response)
    script, styles = assets
    links = "".join(
        f'<link rel="stylesheet" href="{escape(assets_url + _name(css))}">'
        for css in styles
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Cart takeover</title>{links}"
        f'<script type="module" src="{escape(assets_url + _name(script))}">'
        f'</script></head><body><div id="root" data-page="{escape(page)}"></div>'
        "</body></html>"
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = PAGE_CSP.format(ancestors=frame_ancestors())
    return _secure(response)


def _name(vite_file: str) -> str:
    # Vite writes "assets/<name>-<hash>.js"; asset_view serves that folder.
    return vite_file.removeprefix("assets/")


def asset_view(request: HttpRequest, name: str) -> HttpResponse:
    assets = (STATIC_DIR / "assets").resolve()
    path = (assets / name).resolve()
    if path.parent != assets or not path.is_file():
        return HttpResponseNotFound("No such asset.")
    content_type, _ = mimetypes.guess_type(path.name)
    if path.suffix in {".js", ".mjs"}:
        content_type = "text/javascript; charset=utf-8"
    elif path.suffix == ".css":
        content_type = "text/css; charset=utf-8"
    # Small files (the largest bundle is well under a megabyte), read whole.
    response = HttpResponse(
        path.read_bytes(), content_type=content_type or "application/octet-stream"
    )
    # File names carry a content hash, so a cached copy is never stale.
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}, immutable"
    response["Access-Control-Allow-Origin"] = "*"
    return _secure(response)


def dispatch(request: HttpRequest, route: str) -> HttpResponse | None:
    """Answer `route` (the path after the plugin id) if it is the app's."""
    # Absolute asset URLs work from every page, whatever prefix Saleor runs under.
    plugin_root = request.path.rstrip("/").removesuffix(route)
    assets_url = f"{plugin_root}/dashboard/assets/"
    # An `appUrl` with a trailing slash makes the Dashboard load ".../dashboard//x".
    route = re.sub("/{2,}", "/", route)
    if route == "/manifest":
        return manifest_view(request, plugin_root.removesuffix(PLUGIN_URL_PATH))
    if route == "/token":
        return token_view(request)
    if route == "/dashboard":
        return page_view(request, "sessions", assets_url)
    if route.startswith("/dashboard/assets/"):
        return asset_view(request, route.removeprefix("/dashboard/assets/"))
    if route.startswith("/dashboard/"):
        return page_view(request, route.removeprefix("/dashboard/"), assets_url)
    if route.strip("/") in PAGES:
        # Where Saleor's API sends a relative POPUP url ("/takeover" next to
        # "/dashboard"): apps installed from an older manifest still open.
        return page_view(request, route.strip("/"), assets_url)
    return None
