"""How privacy joins in on case events (cases does not import privacy)."""

from django.dispatch import receiver

from imbizo.cases.hooks import case_opening

from .consent import CONTACT
from .services import consent_unsaved, consent_wording


@receiver(case_opening)
def record_consent(*, case, draft, rows, **kwargs) -> None:
    """The citizen's consent to be contacted, with the words they agreed to,
    inserted with the case: it exists exactly when the case does."""
    if not case.contact_consent or not draft.consent_text.strip():
        return
    wording = consent_wording(purpose=CONTACT, text=draft.consent_text)
    rows.append(consent_unsaved(wording=wording, channel=case.channel, at=case.opened_at))
