"""Reports and messages that meet a running interruption (cases hooks).

A report of an interrupted service from one of its wards is linked to the
interruption as it is opened: the link row goes in with the case, and the
case's resolution deadline becomes the interruption's expected restoration.
Its acknowledgement then says "we know; here is what is happening".
"""

from django.dispatch import receiver

from imbizo.cases.hooks import case_message_building, case_opening
from imbizo.cases.models import Kind
from imbizo.cases.services import case_resolve_due_move
from imbizo.core.statements import cursor_prepared

from .interruption_models import Interruption, InterruptionCase, InterruptionStatus
from .interruptions import interruption_link

# A compliment or a suggestion is not a report of the outage.
LINKED_KINDS = frozenset({Kind.REQUEST, Kind.COMPLAINT, Kind.ENQUIRY})


def running_interruption(*, service_id: int, ward_id: int) -> Interruption | None:
    """The interruption of the service in progress in the ward (the one expected
    back first when two overlap), or None.

    Every report asks, and almost always the answer is none: one indexed read
    of the id, sent as a prepared statement (ADR 0051), and the row itself
    only when there is one.
    """
    with cursor_prepared() as cursor:
        cursor.execute(_RUNNING_SQL, [InterruptionStatus.IN_PROGRESS.value, service_id, ward_id])
        found = cursor.fetchone()
    return Interruption.objects.get(pk=found[0]) if found else None


_interruption = Interruption._meta.db_table
_wards = Interruption.wards.through._meta.db_table
# The ORM's own query for this, but written once: the ORM would compile it per report.
_RUNNING_SQL = (
    f'SELECT i.id FROM "{_interruption}" i JOIN "{_wards}" w ON w.interruption_id = i.id '  # noqa: S608
    "WHERE i.status = %s AND i.service_id = %s AND w.ward_id = %s "
    "ORDER BY i.expected_restoration_at, i.id LIMIT 1")


@receiver(case_opening)
def link_to_running_interruption(*, case, rows, **kwargs) -> None:
    if case.ward_id is None or case.kind not in LINKED_KINDS:
        return
    interruption = running_interruption(service_id=case.service_id, ward_id=case.ward_id)
    if interruption is None:
        return
    rows.append(InterruptionCase(interruption=interruption, case=case,
                                 linked_at=case.opened_at))
    case_resolve_due_move(case, due_at=interruption.expected_restoration_at)
    # For the confirmation page of the same request (not stored).
    case.interruption = interruption


@receiver(case_message_building)
def interruption_in_message(*, case, context, **kwargs) -> None:
    # Always set, None when the case is not linked: a variable the templates
    # look up and do not find makes Django log the whole context (the reopen
    # code with it) at debug level.
    link = (InterruptionCase.objects.filter(case_id=case.pk)
            .select_related("interruption").first())
    context["interruption"] = link.interruption if link else None
    context["interruption_url"] = interruption_link(link.interruption) if link else ""
