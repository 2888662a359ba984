"""Writes for client groups' measures and the matrix (imports, the demo and tests
use these; the admin goes through Measure.clean, which runs the same check)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ClientError, ClientErrorCode
from .group_models import Better, Criterion, Measure, ServiceBenefit
from .measure_rules import measure_check
from .models import ClientGroup


@transaction.atomic
def measure_create(*, group: ClientGroup, name: str, source: str, target: float,
                   criterion: Criterion | None = None, service=None, instrument_code: str = "",
                   question_code: str = "", better: str = Better.HIGHER, tolerance: int = 10,
                   order: int = 0) -> Measure:
    """Add a measure to `group`, tied to a figure that exists (else ClientError naming it)."""
    if better not in Better.values:
        raise ClientError(ClientErrorCode.INVALID_MEASURE,
                          _("Say whether higher or lower is better."), field="better")
    measure = Measure(group=group, name=(name or "").strip(), source=source, target=target,
                      criterion=criterion, service=service,
                      instrument_code=(instrument_code or "").strip(),
                      question_code=(question_code or "").strip(), better=better,
                      tolerance=tolerance, order=order)
    measure_check(measure)
    measure.save()
    return measure


@transaction.atomic
def benefit_set(*, service, group: ClientGroup, benefit: str) -> ServiceBenefit:
    """Say what `service` brings `group` (one matrix cell), replacing what was said."""
    benefit = (benefit or "").strip()
    if not benefit:
        raise ClientError(ClientErrorCode.INVALID_BENEFIT,
                          _("Say what the service brings the group."), field="benefit")
    row, _created = ServiceBenefit.objects.update_or_create(
        service=service, group=group, defaults={"benefit": benefit})
    return row
