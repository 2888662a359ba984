"""How engagement joins in on case events (cases does not import engagement)."""

from django.dispatch import receiver

from imbizo.cases.hooks import case_resolved

from .models import Invitation
from .services import invitation_create


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
