"""Test settings: Saleor's own test settings, on the local PostgreSQL."""

import os

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cart_takeover"
)

from saleor.tests.settings import *  # noqa: F403
from saleor.tests.settings import INSTALLED_APPS

if "saleor_cart_takeover" not in INSTALLED_APPS:
    # Normally added by Saleor's entry-point discovery once the package is installed.
    INSTALLED_APPS.append("saleor_cart_takeover")
