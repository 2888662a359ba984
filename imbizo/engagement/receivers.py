"""How engagement joins in on case events (cases does not import engagement)."""

from django.dispatch import receiver

from imbizo.cases.hooks import case_opened, case_resolved
from imbizo.cases.selectors import case_values
from imbizo.notify.signals import message_sent

from .models import Contact, Invitation
from .services import compliment_route, contact_record, invitation_create

# Messages to citizens about their case are contacts too (system moments of truth).
SYSTEM_CONTACT_TEMPLATES = {"case_received", "case_updated", "case_resolved", "case_overdue"}


@receiver(case_resolved)
def invite_to_rate(*, case, **kwargs) -> dict:
    """Ask the citizen, once, how the case was handled (link in the resolution message)."""
    if not case.contact_consent or not (case.citizen_email or case.citizen_phone):
        return {}
    token = invitation_create(
        instrument_code="post-transaction",
        source=Invitation.Source.EMAIL if case.citizen_email else Invitation.Source.SMS,
        case=case, identifier=case.citizen_email or case.citizen_phone,
    )
    return {"rate_token": token} if token else {}


@receiver(message_sent)
def record_system_contact(*, message, **kwargs) -> None:
    if message.case_id is None or message.template not in SYSTEM_CONTACT_TEMPLATES:
        return
    case = case_values(ids=[message.case_id], fields=["office_id"])[message.case_id]
    contact_record(channel=message.channel, kind=Contact.Kind.SYSTEM, case_id=message.case_id,
                   office_id=case["office_id"], identifier=message.recipient,
                   outcome=message.template.removeprefix("case_"))


@receiver(case_opened)
def route_compliment(*, case, **kwargs) -> None:
    if case.kind == "compliment":
        compliment_route(case=case)
