"""The small interface every gateway adapter has (docs/channels.md).

An adapter reads one provider's callback format. It is registered under
(kind, name) with `@register`; a Gateway row names it in `adapter`. The view
checks the path secret, then calls `authenticate` (a signature, where the
provider signs) and `handle`, which turns the request into `Inbound` records
for the channel services and answers the provider.

Each adapter lives in its own module here and is imported once by
ChannelsConfig.ready (imbizo/channels/apps.py).
"""

from django.http import HttpRequest, HttpResponse

from ..inbound import Inbound, Media

__all__ = ["Adapter", "Inbound", "Media", "Unauthorized", "adapter_for", "adapter_names",
           "register"]


class Unauthorized(Exception):  # noqa: N818 - reads as what happened
    """The request is not from the gateway (bad or missing signature). The text
    says why, without the body or the sender: it is logged."""


class Adapter:
    """Base class of adapters; subclasses set `kind` and `name`."""

    kind: str = ""
    name: str = ""

    def settings_check(self, settings: dict) -> list[str]:
        """Problems with a gateway's settings for this adapter (empty when usable)."""
        return []

    def authenticate(self, request: HttpRequest, gateway) -> None:
        """Raise Unauthorized unless the request is the gateway's own (the path
        secret is already checked). Providers that do not sign need nothing."""

    def handle(self, request: HttpRequest, gateway) -> HttpResponse:
        raise NotImplementedError


_adapters: dict[tuple[str, str], Adapter] = {}


def register(cls: type[Adapter]) -> type[Adapter]:
    """Class decorator: make `cls` the adapter for (cls.kind, cls.name)."""
    if not cls.kind or not cls.name:
        raise ValueError(f"{cls.__name__} needs a kind and a name")
    _adapters[(cls.kind, cls.name)] = cls()
    return cls


def adapter_for(kind: str, name: str) -> Adapter:
    """The adapter registered for (kind, name); LookupError when there is none."""
    try:
        return _adapters[(kind, name)]
    except KeyError:
        raise LookupError(f"No {kind} adapter named {name!r}.") from None


def adapter_names(kind: str | None = None) -> list[tuple[str, str]]:
    """(kind, name) of the registered adapters, sorted (the admin's choices)."""
    return sorted(key for key in _adapters if kind is None or key[0] == kind)
