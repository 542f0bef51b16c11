"""What differs between the Saleor releases this plugin supports (3.22, 3.23),
and the one place that reaches into Saleor's GraphQL layer.

Each function picks the service the running release has, decided once at import.
Saleor keeps the checkout line validations its `checkoutLinesAdd/Update` run
(availability, publication, channel listing, quantity limits) in
`saleor.graphql`, with no equivalent in `saleor.checkout`; the domain uses them
through this module so that it never imports `saleor.graphql` itself, and a
release that moves them is fixed here. Saleor's SDL printer (graphql-core
2's leaves descriptions out) prints the plugin's `schema.graphql` too.
"""

import inspect
from functools import cache
from typing import TYPE_CHECKING, Any

from saleor.checkout.complete_checkout import _release_checkout_voucher_usage
from saleor.checkout.utils import add_variants_to_checkout
from saleor.graphql.checkout.mutations import utils as checkout_mutation_utils
from saleor.graphql.checkout.mutations.utils import (
    CheckoutLineData,
    check_lines_quantity,
    get_variants_and_total_quantities,
    validate_variants_are_published,
    validate_variants_available_for_purchase,
)
from saleor.graphql.core.validators import validate_variants_available_in_channel
from saleor.graphql.schema_printer import print_schema

__all__ = [
    "CheckoutLineData",
    "app_extension_key",
    "check_lines_quantity",
    "get_variants_and_total_quantities",
    "index_user",
    "load_channel_plugins",
    "mark_search_index_dirty",
    "print_schema",
    "refresh_delivery_after_line_change",
    "release_checkout_voucher_usage",
    "stock_options",
    "validate_variants_are_published",
    "validate_variants_available_for_purchase",
    "validate_variants_available_in_channel",
]

if TYPE_CHECKING:
    from saleor.account.models import User
    from saleor.channel.models import Channel
    from saleor.checkout.fetch import CheckoutInfo, CheckoutLineInfo
    from saleor.checkout.models import Checkout
    from saleor.plugins.manager import PluginsManager
    from saleor.site.models import SiteSettings

# 3.23 lets merchants compute stock with or without shipping zones and makes
# the checkout services ask which; 3.22 always used shipping zones.
_HAS_STOCK_OPTION = (
    "calculate_stocks_with_shipping_zones"
    in inspect.signature(add_variants_to_checkout).parameters
)


def stock_options(site_settings: "SiteSettings") -> dict[str, Any]:
    """Keyword arguments for Saleor's checkout line services' stock checks."""
    if not _HAS_STOCK_OPTION:
        return {}
    return {
        "calculate_stocks_with_shipping_zones": (
            site_settings.use_legacy_shipping_zone_stock_availability
        )
    }


def refresh_delivery_after_line_change(
    checkout_info: "CheckoutInfo", lines: list["CheckoutLineInfo"]
) -> list[str]:
    """What Saleor's line mutations do to the delivery method when lines change.

    3.23 marks the delivery methods stale; 3.22 drops a shipping method that no
    longer fits. Returns the checkout fields to save.
    """
    mark_stale = getattr(
        checkout_mutation_utils, "mark_checkout_deliveries_as_stale_if_needed", None
    )
    if mark_stale is not None:
        return mark_stale(checkout_info.checkout, lines)
    return checkout_mutation_utils.update_checkout_shipping_method_if_invalid(
        checkout_info, lines
    )


def mark_search_index_dirty(checkout: "Checkout") -> list[str]:
    """Queue the checkout for Saleor's search re-indexing (3.23 has the flag)."""
    if not hasattr(checkout, "search_index_dirty"):
        return []
    checkout.search_index_dirty = True
    return ["search_index_dirty"]


def index_user(user: "User") -> None:
    """Give `user` the search data Saleor's account mutations give it.

    3.23 searches users by `search_vector` (`update_user_search_vector`); 3.22
    by `search_document` (`prepare_user_search_document_value`).
    """
    from saleor.account import search

    if hasattr(search, "update_user_search_vector"):
        search.update_user_search_vector(user)
    else:
        user.search_document = search.prepare_user_search_document_value(user)
        user.save(update_fields=["search_document", "updated_at"])


@cache
def app_extension_key() -> str:
    """How an installed app extension is matched to the manifest's.

    3.22's extensions have no `identifier`; each of this app's sits on its own
    mount. Asked on first use: the model is not loaded when this module is.
    """
    from saleor.app.models import AppExtension

    fields = AppExtension._meta.get_fields()
    return "identifier" if any(f.name == "identifier" for f in fields) else "mount"


# Saleor gives a voucher use back only inside its own checkout completion
# (`_release_checkout_voucher_usage`, private, the same in 3.22 and 3.23); no
# public service does it. Reached here so that a release that renames it
# fails at import, in one place, and the legacy-flow voucher test catches a
# changed meaning.
release_checkout_voucher_usage = _release_checkout_voucher_usage


def load_channel_plugins(manager: "PluginsManager", channel: "Channel") -> None:
    """Give Saleor's plugin manager the channel the caller already holds, so
    that the events it fires next do not read it again by slug.

    The manager's own loader (`_ensure_channel_plugins_loaded`, private, in
    3.22 and 3.23) takes the channel; its public paths pass only the slug.
    A fresh manager reads the channel's plugin configurations and then the
    global ones (`_get_db_plugin_configs`, private too), one query each: both
    are read here in one, and handed to the loader. Skipped, not failing, on
    a release without them: the manager loads them itself then, a query or
    two later.
    """
    from django.db.models import Q
    from saleor.plugins.models import PluginConfiguration

    load = getattr(manager, "_ensure_channel_plugins_loaded", None)
    if load is None or channel.slug in getattr(manager, "loaded_channels", ()):
        return
    if not hasattr(manager, "_get_db_plugin_configs") or getattr(
        manager, "loaded_global", True
    ):
        load(channel.slug, channel=channel)
        return
    configs: dict[int | None, dict[str, PluginConfiguration]] = {
        None: {},
        channel.pk: {},
    }
    for config in PluginConfiguration.objects.using(manager.database).filter(
        Q(channel=None) | Q(channel=channel)
    ):
        configs[config.channel_id][config.identifier] = config

    def read(for_channel: "Channel | None") -> dict[str, PluginConfiguration]:
        return configs[for_channel.pk if for_channel else None]

    # An attribute on this manager only, shadowing its method for one load.
    manager._get_db_plugin_configs = read
    try:
        load(channel.slug, channel=channel)
    finally:
        del manager._get_db_plugin_configs
