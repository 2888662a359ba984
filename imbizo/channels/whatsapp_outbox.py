"""How a WhatsApp reply leaves: the route notify asks for at sending time.

notify (notify/whatsapp.py) sends WhatsApp messages but knows neither the
gateways nor what citizens wrote. For each message it asks the hook
`whatsapp_routing`; this receiver answers with the gateway the citizen last
wrote to (or the first active WhatsApp Cloud gateway), its sending number
and token, and whether Meta's 24-hour customer service window is open: it
is when the citizen's last WhatsApp message was received less than 24 hours
ago. Outside it the gateway's template (Gateway.settings["template"]) is
used. One indexed read per message (InboundMessage by sender).
"""

from datetime import timedelta

from django.conf import settings as django_settings
from django.dispatch import receiver

from imbizo.core import clock
from imbizo.notify.models import OutboxMessage
from imbizo.notify.whatsapp import DEFAULT_API_VERSION, Route, Template, whatsapp_routing

from .models import Gateway, GatewayKind, InboundMessage

ADAPTER = "whatsapp_cloud"
SERVICE_WINDOW = timedelta(hours=24)


def last_message_of(address: str) -> tuple | None:
    """(received_at, gateway id) of the last WhatsApp message from `address`, or None."""
    return (InboundMessage.objects.filter(sender=address, gateway__kind=GatewayKind.WHATSAPP)
            .order_by("-received_at").values_list("received_at", "gateway_id").first())


def window_open(address: str) -> bool:
    """True while Meta lets us write free text to `address` (see the module docstring)."""
    return _open(last_message_of(address))


def _open(last: tuple | None) -> bool:
    return last is not None and clock.now() - last[0] < SERVICE_WINDOW


def template_of(settings: dict) -> Template | None:
    """The gateway's template for writing outside the window, or None."""
    spec = settings.get("template")
    if not isinstance(spec, dict) or not spec.get("name"):
        return None
    return Template(name=str(spec["name"]), language=str(spec.get("language") or "en"),
                    parameters=tuple(str(name) for name in spec.get("parameters", ["text"])))


def route_of(gateway: Gateway, *, window: bool) -> Route:
    settings = gateway.settings or {}
    return Route(
        phone_number_id=str(settings.get("phone_number_id") or ""),
        access_token=str(settings.get("access_token") or ""),
        graph_url=str(settings.get("graph_url") or django_settings.WHATSAPP_GRAPH_URL),
        api_version=str(settings.get("api_version") or DEFAULT_API_VERSION),
        window_open=window, template=template_of(settings))


@receiver(whatsapp_routing, dispatch_uid="channels.whatsapp_route")
def whatsapp_route(sender, message: OutboxMessage, **kwargs) -> Route | None:
    last = last_message_of(message.recipient)
    gateways = Gateway.objects.filter(kind=GatewayKind.WHATSAPP, adapter=ADAPTER, active=True)
    gateway = None
    if last is not None:
        gateway = gateways.filter(pk=last[1]).first()
    gateway = gateway or gateways.order_by("pk").first()
    if gateway is None:
        return None
    return route_of(gateway, window=_open(last))
