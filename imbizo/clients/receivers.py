"""How clients answers the hooks of the apps below it: the clock sweep's
breaches (cases), the closed loop's follow-up owner (engagement) and a
citizen's data requests (privacy), for contact persons' personal data."""

from django.db.models import Q
from django.dispatch import receiver

from imbizo.cases.hooks import cases_swept
from imbizo.engagement.hooks import follow_up_assignee_register
from imbizo.privacy.hooks import citizen_erasing, citizen_exporting, retention_sweeping

from .key_clients import follow_up_owner, signals_from_sweep
from .models import ContactPerson

follow_up_assignee_register(follow_up_owner)


@receiver(cases_swept)
def breaches_signalled(*, fired, **kwargs) -> None:
    signals_from_sweep(fired=fired)


def _persons(match):
    """Contact persons with one of the citizen's phone numbers or emails, by key."""
    keys = [k for k in match.keys if k]
    if not keys:
        return ContactPerson.objects.none()
    return ContactPerson.objects.filter(Q(phone_key__in=keys) | Q(email_key__in=keys))


@receiver(citizen_exporting)
def contact_persons_in_export(*, match, document, **kwargs) -> None:
    """Where the person speaks for a key client, with what we hold about them."""
    document["key_client_contact_persons"] = [
        {"key_client": p.key_client.name, "name": p.name, "role": p.role, "phone": p.phone,
         "email": p.email, "survey_consent": p.survey_consent, "active": p.active}
        for p in _persons(match).select_related("key_client").order_by("pk")]


@receiver(citizen_erasing)
def contact_persons_in_erasure(*, match, **kwargs) -> int:
    deleted, _by_model = _persons(match).delete()
    return deleted


@receiver(retention_sweeping)
def contact_persons_retention(*, now, **kwargs) -> dict[str, int]:
    """A contact person who no longer speaks for the client (inactive) has no
    reason to stay on file: removed at the next sweep."""
    deleted, _by_model = ContactPerson.objects.filter(active=False).delete()
    return {"key_client_contact_persons": deleted} if deleted else {}
