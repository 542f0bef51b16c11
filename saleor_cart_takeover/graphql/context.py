"""What every resolver gets as `info.context`."""

from dataclasses import dataclass, field

from django.http import HttpRequest
from saleor.plugins.manager import PluginsManager, get_plugins_manager

from ..access.auth import Caller
from ..config import TakeoverSettings
from ..errors import Unauthenticated


@dataclass
class RequestContext:
    request: HttpRequest
    settings: TakeoverSettings
    caller: Caller | None
    _manager: PluginsManager | None = field(default=None, repr=False)

    @property
    def manager(self) -> PluginsManager:
        """Saleor's plugin manager, built only when a write needs to fire events."""
        if self._manager is None:
            caller = self.caller
            self._manager = get_plugins_manager(
                allow_replica=False,
                requestor_getter=(lambda: caller.user) if caller else None,
            )
        return self._manager

    def require_caller(self) -> Caller:
        if self.caller is None:
            raise Unauthenticated("Authentication required.")
        return self.caller
