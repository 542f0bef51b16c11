"""The merchant's settings, as edited on the Dashboard's Plugins page."""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

from saleor.plugins.base_plugin import ConfigurationTypeField

from .const import PLUGIN_ID

DRAFT_DELETE = "delete"
DRAFT_KEEP = "keep"

DEFAULT_BLOCKED_CHECKOUT_MESSAGE = (
    "A customer-service representative is editing this cart right now. "
    "Please try again once they have handed it back."
)


def setting(
    default: Any,
    kind: str,
    label: str,
    help_text: str,
    problem: Callable[[Any], str | None] | None = None,
) -> Any:
    """A setting of the Plugins page, named once: by its field. `problem` says
    what is wrong with a value the merchant gave, if anything."""
    return field(
        default=default,
        metadata={
            "form": {"type": kind, "label": label, "help_text": help_text},
            "problem": problem,
        },
    )


def _timeout_problem(value: Any) -> str | None:
    if 1 <= _as_int(value, 0) <= 1440:
        return None
    return "Give the session timeout as a whole number of minutes from 1 to 1440."


def _draft_problem(value: Any) -> str | None:
    if value in (None, DRAFT_DELETE, DRAFT_KEEP):  # None: not given, the default
        return None
    return f"Choose '{DRAFT_DELETE}' or '{DRAFT_KEEP}'."


def _message_problem(value: Any) -> str | None:
    if len(value or "") <= 1000:
        return None
    return "Keep the message under 1000 characters."


@dataclass(frozen=True)
class TakeoverSettings:
    session_timeout_minutes: int = setting(
        30,
        ConfigurationTypeField.STRING,
        "Session timeout (minutes)",
        "A takeover idle this long expires and the cart goes back to the shopper "
        "(1-1440).",
        _timeout_problem,
    )
    block_checkout_during_takeover: bool = setting(
        True,
        ConfigurationTypeField.BOOLEAN,
        "Block checkout during a takeover",
        "Refuse the shopper's checkoutComplete while a rep holds the cart.",
    )
    blocked_checkout_message: str = setting(
        DEFAULT_BLOCKED_CHECKOUT_MESSAGE,
        ConfigurationTypeField.MULTILINE,
        "Message shown when checkout is blocked",
        "Returned to the storefront in checkoutComplete's errors.",
        _message_problem,
    )
    draft_after_checkout: str = setting(
        DRAFT_DELETE,
        ConfigurationTypeField.STRING,
        "Draft order after the shopper checks out",
        f"'{DRAFT_DELETE}' removes the rep's draft so no duplicate lingers; "
        f"'{DRAFT_KEEP}' keeps it with a note.",
        _draft_problem,
    )
    clear_cart_after_draft_completed: bool = setting(
        True,
        ConfigurationTypeField.BOOLEAN,
        "Clear copied items from the cart after a phone order",
        "When staff complete the draft, take the items copied into it out of the "
        "shopper's cart so they are not bought twice.",
    )
    enforce_line_options: bool = setting(
        False,
        ConfigurationTypeField.BOOLEAN,
        "Enforce line options at checkout",
        "Refuse checkoutComplete when a line misses a required option or breaks "
        "its product type's cart_takeover.line_options (a value too long or not "
        "among the choices).",
    )
    require_shopper_consent: bool = setting(
        False,
        ConfigurationTypeField.BOOLEAN,
        "Require shopper consent",
        "A takeover of a registered shopper's cart waits until the shopper, signed "
        "in on the storefront, agrees (takeoverConsentAnswer), even when the rep "
        "found it by its code. Unanswered requests expire after 10 minutes.",
    )

    @property
    def session_timeout(self) -> timedelta:
        return timedelta(minutes=self.session_timeout_minutes)

    @classmethod
    def from_configuration(
        cls, configuration: list[dict[str, Any]]
    ) -> "TakeoverSettings":
        values = {item["name"]: item["value"] for item in configuration}
        defaults = cls()
        parsed: dict[str, Any] = {}
        for setting in fields(cls):
            value = values.get(setting.name)
            default = getattr(defaults, setting.name)
            if setting.type is int:
                parsed[setting.name] = _as_int(value, default)
            elif setting.type is bool:
                parsed[setting.name] = _as_bool(value, default)
            else:
                parsed[setting.name] = value or default
        return cls(**parsed)


def config_structure() -> dict[str, dict[str, Any]]:
    """The Plugins page's form (`BasePlugin.CONFIG_STRUCTURE`)."""
    return {
        setting.name: dict(setting.metadata["form"])
        for setting in fields(TakeoverSettings)
    }


def default_configuration() -> list[dict[str, Any]]:
    """`BasePlugin.DEFAULT_CONFIGURATION`: a STRING field stores its text."""
    return [
        {
            "name": setting.name,
            "value": str(setting.default)
            if setting.metadata["form"]["type"] == ConfigurationTypeField.STRING
            else setting.default,
        }
        for setting in fields(TakeoverSettings)
    ]


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
    errors = {
        setting.name: ValidationError(problem, code=PluginErrorCode.INVALID.value)
        for setting in fields(TakeoverSettings)
        if setting.metadata["problem"]
        and (problem := setting.metadata["problem"](values.get(setting.name)))
    }
    if errors:
        raise ValidationError(errors)
