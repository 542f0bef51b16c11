"""Django settings for Saleor's test suite with, or without, the plugin.

Saleor's test settings plus two decisions:

- Whether `saleor_cart_takeover` is an installed app. In a Saleor environment
  the package is installed into, Saleor's entry-point discovery already adds it
  (as in a merchant's deployment), so its migrations run in the test database;
  it is added here too for a Saleor whose settings were built without it.
  Without the plugin (`--without-plugin` sets CART_TAKEOVER_SUITE_PLUGIN=off)
  the app is taken out as well, so that a failure caused by the app alone (its
  models, migrations or signal receivers), not only one caused by the plugin's
  hooks, counts as the plugin's.
- SALEOR_SUITE_TEMPLATE_DB: a database already migrated with Saleor and the
  plugin (such as the project's own test database) that new test databases
  are copied from, instead of running Saleor's 1,400 migrations again in each
  xdist worker; the migrations still run, and find nothing left to apply.
"""

import os

from saleor.tests.settings import *  # noqa: F403
from saleor.tests.settings import DATABASES, INSTALLED_APPS

APP = "saleor_cart_takeover"

if os.environ.get("CART_TAKEOVER_SUITE_PLUGIN", "on") == "off":
    INSTALLED_APPS[:] = [app for app in INSTALLED_APPS if app != APP]
else:
    if APP not in INSTALLED_APPS:
        INSTALLED_APPS.append(APP)
    if template := os.environ.get("SALEOR_SUITE_TEMPLATE_DB"):
        DATABASES["default"]["TEST"] = {
            **DATABASES["default"].get("TEST", {}),
            "TEMPLATE": template,
        }
