"""The staff home and the case queues (interface only): parse the filters,
authorise, call the selectors, render; bulk assignment calls the case service
once per case."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.cases.access import can
from imbizo.cases.errors import CaseError
from imbizo.cases.models import Priority
from imbizo.cases.selectors import QueueSort
from imbizo.cases.transitions import Status
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows
from imbizo.org.selectors import institution_tz_name

from .queue_forms import DEFAULT_PAGE_SIZE, BulkAssignForm, QueueFilterForm

QUEUES = {
    "mine": gettext_lazy("My cases"),
    "office": gettext_lazy("My area's open cases"),
    "unacknowledged": gettext_lazy("Not yet acknowledged"),
    "due_soon": gettext_lazy("Due within two days"),
    "overdue": gettext_lazy("Overdue"),
    "escalated": gettext_lazy("Escalated"),
}

# At most this many cases are assigned in one request (the largest page).
BULK_MAX = 100


@permission_required(Permission.STAFF_AREA)
def home(request):
    staff = request.staff
    reads_cases = can(staff, "view")
    now = clock.now()
    counts = case_selectors.case_queue_counts(viewer=staff, now=now) if reads_cases else {}
    by_priority = case_selectors.case_open_priority_counts(viewer=staff) if reads_cases else {}
    return render(request, "backoffice/dashboard.html", {
        "queues": [(key, label, counts.get(key)) for key, label in QUEUES.items()],
        "reads_cases": reads_cases,
        # Urgent and high first: the counts a supervisor acts on.
        "priorities": [(p.value, p.label, by_priority.get(p.value, 0))
                       for p in (Priority.URGENT, Priority.HIGH)] if reads_cases else [],
        "can_intake": can(staff, "intake"),
        "reads_figures": staff_allows(staff, Permission.INSIGHTS_VIEW),
        "reads_ratings": staff_allows(staff, Permission.FEEDBACK_VIEW),
        # The counter's feedback QR code: for whoever may print their own office's.
        "counter_qr_office": staff.office
        if staff_allows(staff, Permission.OFFICE_COUNTER_QR) else None,
    })


@permission_required(Permission.CASE_VIEW)
def queue(request, view: str):
    if view not in QUEUES:
        raise Http404
    staff, now = request.staff, clock.now()
    options = case_selectors.case_queue_options(viewer=staff)
    data = request.GET.copy()  # the order and page size shown are those applied
    data.setdefault("sort", QueueSort.DUE)
    data.setdefault("per_page", str(DEFAULT_PAGE_SIZE))
    form = QueueFilterForm(data, options=options)
    filters = form.case_filter(now=now, time_zone=institution_tz_name())
    try:
        cases = case_selectors.case_queue(viewer=staff, view=view, now=now, filters=filters,
                                          sort=form.order())
    except DomainError as exc:  # a code that went away between the page and the click
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        cases = case_selectors.case_queue(viewer=staff, view=view, now=now,
                                          sort=form.order())
    page = Paginator(cases, form.page_size()).get_page(request.GET.get("page"))
    return render(request, "backoffice/cases/queue.html", {
        "view": view, "title": QUEUES[view], "page": page, "now": now, "form": form,
        "queues": QUEUES.items(), "filtered": _filtered(form, ("q", *MORE_FILTERS)),
        "more_filters": _filtered(form, MORE_FILTERS),
        # The officers the viewer may give cases to: none unless their role may assign.
        "officers": options.officers,
    })


# The filters folded away under "More filters" (the search, order and page size show).
MORE_FILTERS = ("service", "ward", "office", "status", "priority", "due", "escalation")


def _filtered(form, names) -> bool:
    """Whether any of the filters `names` narrows the list."""
    return any(form.data.get(name) for name in names)


def _back_to(request) -> HttpResponseRedirect:
    """Back to the queue page the form was on (a path on this site), or the area's queue."""
    target = request.POST.get("next", "")
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
        target = reverse("backoffice:queue", kwargs={"view": "office"})
    return HttpResponseRedirect(target)


@require_POST
@permission_required(Permission.CASE_ASSIGN)
def queue_assign(request):
    """Assign the selected cases to one officer: each through the case
    service, each in its own transaction; a case that cannot be assigned is
    named with the reason and the others still go."""
    staff = request.staff
    form = BulkAssignForm(request.POST,
                          officers=case_selectors.case_assignable_officers(viewer=staff))
    references = list(dict.fromkeys(request.POST.getlist("case")))
    if len(references) > BULK_MAX:
        messages.error(request, _("Select at most %(n)d cases at a time.") % {"n": BULK_MAX})
        return _back_to(request)
    if not references:
        messages.error(request, _("Select at least one case to assign."))
        return _back_to(request)
    if not form.is_valid():
        messages.error(request, _("Choose the officer to assign the selected cases to."))
        return _back_to(request)
    assignee = form.cleaned_data["assignee"]
    done, refused = [], []
    for reference in references:
        try:
            case = case_selectors.case_get_for(viewer=staff, reference=reference)
            if case.office_id != assignee.office_id:
                raise DomainError(CaseError.INVALID_CHOICE, _(
                    "%(officer)s does not work in the office that handles this case.")
                    % {"officer": assignee})
            case_services.case_status_change(case=case, to=Status.ASSIGNED, actor=staff,
                                              assignee=assignee)
        except DomainError as exc:
            if exc.code == CaseError.FORBIDDEN:
                raise PermissionDenied(exc.message) from exc
            refused.append(f"{reference[:20]}: {exc.message}")
        else:
            done.append(case.reference)
    if done:
        messages.success(request, ngettext(
            "%(n)d case assigned to %(officer)s: %(refs)s.",
            "%(n)d cases assigned to %(officer)s: %(refs)s.", len(done))
            % {"n": len(done), "officer": assignee, "refs": ", ".join(done)})
    for line in refused:
        messages.error(request, _("Not assigned: %(reason)s") % {"reason": line})
    return _back_to(request)
