"""Africa's Talking incoming SMS callback (their "incoming messages" webhook).

Africa's Talking POSTs form fields `from`, `to`, `text`, `date`, `id`,
`linkId` (and `networkCode`) to the callback URL set on the shortcode; it
does not sign the request, so the secret in the path is the check. Any 2xx
answer acknowledges it; replies leave through our outbox (the SMS backend).
"""

from django.http import HttpResponse

from imbizo.channels.models import GatewayKind
from imbizo.channels.sms import sms_receive

from . import Adapter, Inbound, register
from .generic_sms import when


@register
class AfricasTalkingSms(Adapter):
    kind = GatewayKind.SMS
    name = "africastalking"

    def handle(self, request, gateway) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse("Send the message as a POST.\n", status=405,
                                content_type="text/plain")
        data = request.POST
        sender = (data.get("from") or "").strip()
        if not sender or not (data.get("id") or "").strip():
            return HttpResponse("The fields 'from' and 'id' are required.\n", status=400,
                                content_type="text/plain")
        inbound = Inbound(
            provider_id=data["id"].strip(), sender=sender, text=data.get("text") or "",
            received_at=when(data.get("date")),
            extra={"to": data.get("to", ""), "link_id": data.get("linkId", "")})
        sms_receive(gateway=gateway, inbound=inbound)
        return HttpResponse("OK\n", content_type="text/plain")
