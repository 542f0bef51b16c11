"""Django settings for the benchmarks: Saleor's own test settings, production-like.

Saleor's test settings give a fixed RSA key (so the benchmark process can mint
JWTs the uvicorn server accepts), a fast password hasher and eager Celery (no
broker needed). Two test-only things are undone because they do not exist in
production and would distort the timings: the writer-restriction middleware
and the in-memory test tracer/meter.
"""

import os

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cart_takeover_bench_run"
)

from saleor.tests.settings import *  # noqa: F403
from saleor.tests.settings import INSTALLED_APPS, MIDDLEWARE

DEBUG = False
# "testserver" is the host Django's in-process test client sends.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
MIDDLEWARE = [
    m for m in MIDDLEWARE if m != "saleor.core.db.connection.restrict_writer_middleware"
]
TELEMETRY_TRACER_CLASS = "saleor.core.telemetry.trace.Tracer"
TELEMETRY_METER_CLASS = "saleor.core.telemetry.metric.Meter"
TELEMETRY_RAISE_UNIT_CONVERSION_ERRORS = False
SEND_USAGE_TELEMETRY = False
# Never reach out of the machine (webhooks, usage reports, image fetches).
HTTP_IP_FILTER_ENABLED = True

if "saleor_cart_takeover" not in INSTALLED_APPS:
    # Normally added by Saleor's entry-point discovery once the package is installed.
    INSTALLED_APPS.append("saleor_cart_takeover")
PLUGINS = ["saleor_cart_takeover.plugin.CartTakeoverPlugin"]
