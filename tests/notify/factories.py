"""Cases and outbox messages for the notify tests."""

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.notify.models import OutboxMessage
from imbizo.notify.services import message_build
from tests.support import inside


def open_case(world, **contact):
    """Open a water-leak case in the world's ward; `contact`: citizen_email / citizen_phone."""
    return case_open(draft=CaseDraft(
        service_code="water-leak", description="Water running down the street.",
        channel="web", contact_consent=True, **contact, **inside(world.ward)))


def bulk_messages(case, recipients, **changes) -> list[OutboxMessage]:
    """Acknowledgements to `recipients` written the way the clock sweep writes its
    messages: built unsaved, rendered when sent, bulk-inserted (no on-commit hook)."""
    messages = []
    for n, recipient in enumerate(recipients):
        message = message_build(
            channel="email", recipient=recipient, template="case_received",
            deferred_context={}, case=case, dedupe_key=f"test:{case.pk}:{n:03d}")
        for name, value in changes.items():
            setattr(message, name, value)
        messages.append(message)
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    return list(OutboxMessage.objects.filter(dedupe_key__startswith=f"test:{case.pk}:")
                .order_by("dedupe_key"))
