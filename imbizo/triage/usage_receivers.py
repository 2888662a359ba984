"""Triage hears of service corrections through cases' hooks."""

from django.dispatch import receiver

from imbizo.cases.hooks import case_moving

from .usage import record_correction


@receiver(case_moving, dispatch_uid="triage.usage.correction")
def _service_corrected(sender, case, office_to, service_to, **kwargs) -> None:
    if service_to is not None and service_to != case.service_id:
        record_correction(case_id=case.pk, service_to=service_to)
