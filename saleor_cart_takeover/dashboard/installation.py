"""Install or update the dashboard app in-process, without fetching anything.

Saleor's own `install_app` fetches the manifest over HTTP (blocked for loopback
by default) and posts a token to the app; a plugin that lives inside Saleor
needs neither, so this writes the same rows Saleor would, after the same
validation Saleor applies to any manifest.
"""

import copy
from typing import Any

from django.db import transaction
from saleor.app.manifest_validations import clean_manifest_data
from saleor.app.models import App, AppExtension
from saleor.app.types import AppType

from .. import compat
from ..const import APP_IDENTIFIER, PLUGIN_URL_PATH
from .manifest import build_manifest


def clean_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """Saleor's own `clean_manifest_data`, minus "already installed".

    Saleor refuses a manifest whose id an installed app holds, and then skips
    the checks of its extensions and webhooks; this updates the app in place,
    so it validates under an id no app holds and puts the real id back.
    Returns a cleaned copy whose permissions are Permission rows.
    """
    cleaned = copy.deepcopy(manifest)
    cleaned["id"] = f"{manifest['id']}.being-validated"
    clean_manifest_data(cleaned)
    cleaned["id"] = manifest["id"]
    return cleaned


@transaction.atomic
def install_app(base_url: str) -> App:
    """Create or update the app and its extensions for a Saleor at `base_url`.

    Idempotent: running it again with the same URL changes nothing. Extensions
    are matched by identifier, so their ids (and the Dashboard's links to them)
    survive updates.
    """
    manifest = clean_manifest(build_manifest(base_url))
    fields = {
        "name": manifest["name"],
        "version": manifest["version"],
        "about_app": manifest.get("about"),
        "data_privacy": manifest.get("dataPrivacy"),
        "app_url": manifest["appUrl"],
        "manifest_url": base_url.rstrip("/") + PLUGIN_URL_PATH + "/manifest",
        "type": AppType.THIRDPARTY,
        "is_installed": True,
    }
    app = (
        App.objects.select_for_update()
        .filter(identifier=APP_IDENTIFIER, removed_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if app is None:
        app = App.objects.create(identifier=APP_IDENTIFIER, is_active=True, **fields)
    else:
        changed = [
            name for name, value in fields.items() if getattr(app, name) != value
        ]
        for name in changed:
            setattr(app, name, fields[name])
        if changed:
            app.save(update_fields=changed)
    _set_if_different(app.permissions, manifest["permissions"])

    key = compat.app_extension_key()
    wanted = {ext[key]: ext for ext in manifest["extensions"]}
    existing = {getattr(ext, key): ext for ext in app.extensions.all()}
    for identifier, stale in existing.items():
        if identifier not in wanted:
            stale.delete()
    for identifier, data in wanted.items():
        values = {
            "label": data["label"],
            "url": data["url"],
            "mount": data["mount"],
            "target": data["target"],
            "settings": data.get("options") or {},
        }
        extension = existing.get(identifier)
        if extension is None:
            extension = AppExtension.objects.create(
                app=app, **{**values, key: identifier}
            )
        else:
            changed = [k for k, v in values.items() if getattr(extension, k) != v]
            for name in changed:
                setattr(extension, name, values[name])
            if changed:
                extension.save(update_fields=changed)
        _set_if_different(extension.permissions, data["permissions"])
    return app


def _set_if_different(related: Any, permissions: list[Any]) -> None:
    if {p.pk for p in related.all()} != {p.pk for p in permissions}:
        related.set(permissions)
