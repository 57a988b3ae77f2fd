"""Named slots for a function that a higher layer provides to a lower one.

The layering contract (pyproject.toml, `[tool.importlinter]`, checked by `make lint`) lets
an area import only the areas below it. Where a lower area needs something that lives
above it — the clocks write to the case log, a case page lists the flow's open tasks —
it declares a `Hook` in its own `hooks.py`, calls it, and the higher area fills it in
its `AppConfig.ready()`. No signals: one implementation per hook, called directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One function, given at start-up by the area that owns it."""

    def __init__(self, name: str, provider: str) -> None:
        self.name, self.provider = name, provider
        self._impl: Callable[..., Any] | None = None

    def register(self, impl: Callable[..., Any]) -> Callable[..., Any]:
        self._impl = impl
        return impl

    @property
    def registered(self) -> bool:
        return self._impl is not None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._impl is None:
            raise ImproperlyConfigured(
                f"{self.name}: not registered; {self.provider} must be installed"
            )
        return self._impl(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name} from {self.provider}>"
