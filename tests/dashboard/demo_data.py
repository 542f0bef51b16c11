"""The demo's first start on a fresh database, as `saleor_cart_takeover.demo.cli`
prepares it after migrating: the plugin switched on, its dashboard app
installed, the sample data loaded; in a process of its own, with Saleor's
replica a connection of its own (no DATABASE_URL_REPLICA, as in the demo).

Run as `python -m tests.dashboard.demo_data BASE_URL` with the server's
settings; prints the sample draft's id as JSON.
"""

import json
import sys

import django


def main(base_url: str) -> dict:
    django.setup()
    from django.conf import settings
    from django.contrib.sites.models import Site
    from saleor.site.models import SiteSettings

    from saleor_cart_takeover.demo import bootstrap, sample_data

    from ..ids import gid

    # Saleor's migrations create these; the migrated test database this one is
    # cloned from may have lost them to a transactional test's flush.
    site, _ = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "127.0.0.1", "name": "Saleor demo"}
    )
    SiteSettings.objects.get_or_create(site=site)

    bootstrap.activate_plugin()
    bootstrap.install_dashboard_app(base_url)
    data = sample_data.load()
    return {"draft_id": gid("Order", data.draft.pk)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
