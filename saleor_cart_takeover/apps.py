from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

from .const import SUPPORTED_SALEOR


def check_saleor_version(version: str) -> None:
    """Refuse to load into a Saleor release the plugin was not built for."""
    low, high = SUPPORTED_SALEOR
    try:
        major_minor = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        major_minor = (0, 0)
    if not low <= major_minor < high:
        raise ImproperlyConfigured(
            f"saleor-cart-takeover supports Saleor {low[0]}.{low[1]} up to (not "
            f"including) {high[0]}.{high[1]}; this environment runs Saleor "
            f"{version}. Install a plugin release made for your Saleor version."
        )


class CartTakeoverConfig(AppConfig):
    name = "saleor_cart_takeover"
    label = "saleor_cart_takeover"
    verbose_name = "Cart takeover"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        try:
            import saleor
        except ImportError as exc:  # pragma: no cover - nothing runs without it
            raise ImproperlyConfigured(
                "saleor-cart-takeover is a Saleor plugin: install it into the Python "
                "environment that runs Saleor 3.22 or 3.23."
            ) from exc
        check_saleor_version(saleor.__version__)

        from django.core import checks

        from .checks import check_cache_is_shared

        checks.register(check_cache_is_shared, checks.Tags.caches, deploy=False)

        from django.db.models.signals import post_save

        from .checkout.completion import refuse_contacts_given_at_completion
        from .checkout.draft_completion import refuse_completion_of_changed_draft

        # Saleor's draftOrderComplete gives plugins no hook inside its
        # transaction; see draft_completion.py for why this one.
        post_save.connect(
            refuse_completion_of_changed_draft,
            sender="order.Order",
            dispatch_uid="cart_takeover_draft_completion",
        )
        # Contacts given to checkoutComplete / orderCreateFromCheckout reach the
        # order after every plugin hook; see checkout/completion.py.
        post_save.connect(
            refuse_contacts_given_at_completion,
            sender="order.Order",
            dispatch_uid="cart_takeover_contacts_at_completion",
        )
