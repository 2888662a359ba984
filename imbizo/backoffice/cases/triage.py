"""Triage on the staff pages. At the agent intake: the services the caller's words suggest, as
one-click choices, and open cases that may be the same problem, each with
"open and merge into it" (docs/duplicates.md). The panel is a fragment the
intake form asks for as the agent types (htmx, by POST: the caller's words
never travel in a URL); without JavaScript the form's "Check for similar
reports" button sends the form back with the same panel and nothing lost.
On an open case's page: the open cases that may be the same problem, each
with "merge this case into it".
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.core import clock
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows
from imbizo.triage.duplicates import duplicates_find
from imbizo.triage.model_models import ModelVersion
from imbizo.triage.usage import choice_record, usage_by_model, usage_figures
from imbizo.triage.usage_models import Door
from imbizo.web.triage import ShownDuplicate, form_triage, shown_duplicates

MERGE_INTO = "merge_into"  # a duplicate's button: the reference to merge the new case into


def panel_context(request, data) -> dict:
    return {"triage": form_triage(data, viewer=request.staff),
            "may_merge": staff_allows(request.staff, Permission.CASE_MERGE_AT_INTAKE)}


@require_POST
@permission_required(Permission.CASE_INTAKE)
def intake_triage(request):
    """The triage panel for the intake form's current fields (htmx fragment)."""
    return render(request, "backoffice/cases/_intake_triage.html",
                  panel_context(request, request.POST))



def open_case(*, staff, draft, idempotency_key, merge_into: str, then=None):
    """Open the case from the intake, merged into the incident `merge_into`
    when given: both or neither (one transaction). `then(case)`, when given,
    runs in the same transaction (the client link). Returns (case, incident)."""
    if merge_into and not staff_allows(staff, Permission.CASE_MERGE_AT_INTAKE):
        raise PermissionDenied(_("Your role does not allow filing a report as a duplicate."))
    with transaction.atomic():
        case = case_services.case_open(draft=draft, actor=staff, idempotency_key=idempotency_key)
        incident = None
        if merge_into and case.parent_id is None:
            incident = case_selectors.case_get_for(viewer=staff, reference=merge_into[:20])
            case = case_services.case_merge(case=case, into=incident, actor=staff)
            incident = case.parent
        choice_record(case=case, door=Door.INTAKE)
        if then is not None:
            then(case)
    return case, incident


def case_duplicates(*, case, staff) -> list[ShownDuplicate]:
    """Open cases in `staff`'s scope that may be the same problem as the open,
    unmerged `case`; empty for a case that is done or merged."""
    if not case.is_open or case.parent_id is not None:
        return []
    hits = duplicates_find(service=case.service, description=case.description, lat=case.lat,
                           lon=case.lon, ward=case.ward_id, exclude_case_id=case.pk,
                           viewer=staff)
    return shown_duplicates(hits)


@permission_required(Permission.TRIAGE_MODELS)
def triage_in_use(request):
    """Accuracy in use: what triage suggested at the doors against the service
    each case ended with, per period and door, and per model version beside
    that version's evaluation on held-back cases."""
    now = clock.now()
    periods = [(_("Last 30 days"), now - timedelta(days=30)),
               (_("Last 90 days"), now - timedelta(days=90)), (_("Since the start"), None)]
    doors = [("", _("All doors")), (Door.INTAKE, Door.INTAKE.label),
             (Door.REPORT, Door.REPORT.label)]
    by_model = usage_by_model(since=now - timedelta(days=90))
    versions = {v.version: v for v in ModelVersion.objects.filter(version__in=list(by_model))
                .only("version", "trained_at", "accuracy", "top3", "in_use")}
    return render(request, "backoffice/cases/triage_in_use.html", {
        "rows": [(label, [(door_label, usage_figures(since=since, door=door or None))
                          for door, door_label in doors]) for label, since in periods],
        "models": [(version, versions.get(version), figures)
                   for version, figures in sorted(by_model.items(), reverse=True)],
    })
