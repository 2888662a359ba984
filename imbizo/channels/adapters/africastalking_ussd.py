"""Africa's Talking's USSD session callback (docs/channels-ussd.md).

Africa's Talking POSTs, form-encoded, at every step of a session:
sessionId, serviceCode, phoneNumber, networkCode and text (every input of the
session so far, joined by "*"; empty at the start). The answer is text/plain
beginning "CON " (show the screen and wait for input) or "END " (show it and
close). Africa's Talking does not sign its callbacks: the secret in the
callback's path (checked by the view) is the check.

The optional end-of-session notification (the same fields without text, with
status, durationInMillis, ...) may be pointed at the same address: it closes
the session and is answered 200.
"""

from django.http import HttpResponse

from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.channels.models import GatewayKind
from imbizo.channels.ussd import Step, session_close, ussd_step
from imbizo.channels.ussd_menu import menu_problems

from . import Adapter, register

FIELD_MAX = 200
TEXT_MAX = 1000  # a session's inputs joined; far above what a USSD screen takes


def _plain(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@register
class AfricasTalkingUssd(Adapter):
    kind = GatewayKind.USSD
    name = "africastalking"

    def settings_check(self, settings: dict) -> list[str]:
        if not isinstance(settings, dict):
            return ["The settings must be an object."]
        problems = [f'"{key}" is not a setting of this adapter; the menu goes under "menu".'
                    for key in sorted(set(settings) - {"menu"})]
        return problems + menu_problems(settings.get("menu"),
                                        service_codes=set(catalogue_snapshot().services))

    def handle(self, request, gateway) -> HttpResponse:
        if request.method != "POST":
            return _plain("END Use POST.\n", status=405)
        form = request.POST
        session_id = (form.get("sessionId") or "").strip()[:FIELD_MAX]
        phone = (form.get("phoneNumber") or "").strip()[:40]
        if not session_id or not phone:
            return _plain("END sessionId and phoneNumber are required.\n", status=400)
        if "text" not in form and form.get("status"):
            session_close(phone=phone, session_id=session_id)
            return _plain("OK")
        text = form.get("text") or ""
        if len(text) > TEXT_MAX:
            return _plain("END The session's input is too long.\n", status=400)
        return _plain(ussd_step(gateway=gateway, step=Step(
            session_id=session_id, phone=phone, text=text,
            service_code=(form.get("serviceCode") or "")[:FIELD_MAX],
            network_code=(form.get("networkCode") or "")[:FIELD_MAX])))
