"""The merchant's settings, as edited on the Dashboard's Plugins page."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .const import PLUGIN_ID

DRAFT_DELETE = "delete"
DRAFT_KEEP = "keep"

DEFAULT_BLOCKED_CHECKOUT_MESSAGE = (
    "A customer-service representative is editing this cart right now. "
    "Please try again once they have handed it back."
)


@dataclass(frozen=True)
class TakeoverSettings:
    session_timeout_minutes: int = 30
    block_checkout_during_takeover: bool = True
    blocked_checkout_message: str = DEFAULT_BLOCKED_CHECKOUT_MESSAGE
    draft_after_checkout: str = DRAFT_DELETE
    clear_cart_after_draft_completed: bool = True
    require_shopper_consent: bool = False

    @property
    def session_timeout(self) -> timedelta:
        return timedelta(minutes=self.session_timeout_minutes)

    @classmethod
    def from_configuration(
        cls, configuration: list[dict[str, Any]]
    ) -> "TakeoverSettings":
        values = {item["name"]: item["value"] for item in configuration}
        defaults = cls()
        return cls(
            session_timeout_minutes=_as_int(
                values.get("session_timeout_minutes"), defaults.session_timeout_minutes
            ),
            block_checkout_during_takeover=_as_bool(
                values.get("block_checkout_during_takeover"),
                defaults.block_checkout_during_takeover,
            ),
            blocked_checkout_message=values.get("blocked_checkout_message")
            or defaults.blocked_checkout_message,
            draft_after_checkout=values.get("draft_after_checkout")
            or defaults.draft_after_checkout,
            clear_cart_after_draft_completed=_as_bool(
                values.get("clear_cart_after_draft_completed"),
                defaults.clear_cart_after_draft_completed,
            ),
            require_shopper_consent=_as_bool(
                values.get("require_shopper_consent"),
                defaults.require_shopper_consent,
            ),
        )


def _as_int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _as_bool(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "on"}
    return bool(value)


def load_settings() -> TakeoverSettings:
    """Read the stored configuration outside a request (commands, hooks)."""
    from saleor.plugins.models import PluginConfiguration

    stored = (
        PluginConfiguration.objects.filter(identifier=PLUGIN_ID)
        .values_list("configuration", flat=True)
        .first()
    )
    return TakeoverSettings.from_configuration(stored or [])


def validate_configuration(configuration: list[dict[str, Any]]) -> None:
    """Reject bad values on the Plugins page, naming the field at fault."""
    from django.core.exceptions import ValidationError
    from saleor.plugins.error_codes import PluginErrorCode

    values = {item["name"]: item["value"] for item in configuration}
    errors: dict[str, ValidationError] = {}
    timeout = values.get("session_timeout_minutes")
    try:
        minutes = int(str(timeout).strip())
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= 1440:
        errors["session_timeout_minutes"] = ValidationError(
            "Give the session timeout as a whole number of minutes from 1 to 1440.",
            code=PluginErrorCode.INVALID.value,
        )
    if values.get("draft_after_checkout", DRAFT_DELETE) not in (
        DRAFT_DELETE,
        DRAFT_KEEP,
    ):
        errors["draft_after_checkout"] = ValidationError(
            f"Choose '{DRAFT_DELETE}' or '{DRAFT_KEEP}'.",
            code=PluginErrorCode.INVALID.value,
        )
    message = values.get("blocked_checkout_message") or ""
    if len(message) > 1000:
        errors["blocked_checkout_message"] = ValidationError(
            "Keep the message under 1000 characters.",
            code=PluginErrorCode.INVALID.value,
        )
    if errors:
        raise ValidationError(errors)
