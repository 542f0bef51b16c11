"""What a deployment's settings decide: the shared cache the rate limits need,
and the Celery settings module written as the README shows it."""

import json
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from saleor_cart_takeover.models import TakeoverSession

from .clients import TakeoverClient
from .deployment import REPO, readme_settings, saleor_env
from .operations import START, create_draft

CART_BY_CODE = "query($code: String!) { cartByCode(code: $code) { id } }"
# Nothing listens on port 1: every cache call fails as with Redis down.
CACHES = {
    "per process": "locmem://",
    "dummy": "dummy://",
    "Redis down": "redis://127.0.0.1:1/0",
}


def _cache(settings, url: str) -> None:
    import django_cache_url

    settings.CACHES = {"default": django_cache_url.parse(url)}


@pytest.mark.parametrize("kind", ["per process", "dummy"])
def test_check_warns_when_the_cache_is_not_shared(settings, kind):
    _cache(settings, CACHES[kind])
    out = StringIO()

    call_command("check", stderr=out, stdout=out)

    assert "saleor_cart_takeover.W001" in out.getvalue()
    assert "CACHE_URL" in out.getvalue()


def test_check_is_quiet_with_redis(settings):
    # The check reads the settings only: no Redis needs to answer.
    _cache(settings, "redis://redis.example:6379/1")
    out = StringIO()

    call_command("check", stderr=out, stdout=out)

    assert "saleor_cart_takeover.W001" not in out.getvalue()


@pytest.mark.parametrize("kind", ["dummy", "Redis down"])
def test_a_cache_that_cannot_count_refuses_lookups_and_starts(
    settings, kind, csr_client, csr, customer_user, channel_USD, caplog
):
    """Fail closed: an attempt that cannot be counted is never allowed."""
    # Saleor's own draftOrderCreate needs the cache too: made before it fails.
    draft = create_draft(csr, channel_USD, user=customer_user)
    _cache(settings, CACHES[kind])
    rep = TakeoverClient(csr_client.user)

    lookup = rep.post(CART_BY_CODE, {"code": "0000AAAA"})
    start = rep.post(START, {"draft": draft}).result("takeoverStart")

    assert lookup.error_codes == ["RATE_LIMITED"]
    assert start["session"] is None
    [error] = start["errors"]
    assert error["code"] == "RATE_LIMITED"
    assert "cannot be counted" in error["message"]
    assert not TakeoverSession.objects.exists()
    assert "the cache" in caplog.text


def test_the_readmes_celery_settings_load_and_schedule_the_expiry_task(tmp_path):
    """The README's settings module, as written there, in a fresh interpreter:
    Django sets up (no AppRegistryNotReady), Celery's beat schedule holds the
    plugin's entry beside Saleor's own, and the worker knows the task."""
    module = readme_settings(tmp_path)
    probe = """
import json, django
django.setup()
from django.conf import settings
from saleor.celeryconf import app
app.loader.import_default_modules()
entry = app.conf.beat_schedule["cart-takeover-expire-sessions"]
print(json.dumps({
    "task": entry["task"],
    "every": entry["schedule"].total_seconds(),
    "saleor_entries": "expire-orders" in app.conf.beat_schedule,
    "registered": entry["task"] in app.tasks,
}))
"""
    env = saleor_env("postgres://postgres@127.0.0.1:5432/unused")
    env.update(DJANGO_SETTINGS_MODULE=module, PYTHONPATH=f"{tmp_path}:{REPO}")
    done = subprocess.run(
        [env["SALEOR_PYTHON"], "-c", probe],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {
        "task": "saleor_cart_takeover.tasks.expire_takeover_sessions_task",
        "every": 300.0,
        "saleor_entries": True,
        "registered": True,
    }


def test_deploy_guide_shows_the_readmes_settings_and_beat_command():
    from .deployment import BEAT_COMMAND, readme_block

    guide = (REPO / "docs" / "deploy.md").read_text()
    readme = (REPO / "README.md").read_text()

    assert readme_block() in guide
    assert BEAT_COMMAND in readme
    assert BEAT_COMMAND in guide
