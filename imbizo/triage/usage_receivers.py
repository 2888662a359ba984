"""Triage hears of cases being opened and of service corrections through
cases' hooks."""

from django.dispatch import receiver

from imbizo.cases.hooks import case_moving, case_opening

from .usage import choice_unsaved, record_correction


@receiver(case_opening, dispatch_uid="triage.usage.choice")
def _choice_recorded_with_the_case(sender, case, draft, rows, **kwargs) -> None:
    """What the form offered goes in with the case: one statement, and a
    resubmitted form (the same idempotency key) inserts neither again."""
    if draft.triage_door:
        rows.append(choice_unsaved(case=case, door=draft.triage_door))


@receiver(case_moving, dispatch_uid="triage.usage.correction")
def _service_corrected(sender, case, office_to, service_to, **kwargs) -> None:
    if service_to is not None and service_to != case.service_id:
        record_correction(case_id=case.pk, service_to=service_to)
