"""Staff pages (interface only): parse, authorise, call one service or selector, render."""

import uuid
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.cases.access import can, require
from imbizo.cases.errors import CaseError
from imbizo.cases.intake import CaseDraft, phone_normalise
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.engagement import selectors as engagement_selectors
from imbizo.engagement.services import citizen_key, contact_record, intake_contact_record

from . import forms

QUEUES = {
    "mine": gettext_lazy("My cases"),
    "office": gettext_lazy("My area's open cases"),
    "unacknowledged": gettext_lazy("Not yet acknowledged"),
    "due_soon": gettext_lazy("Due within two days"),
    "overdue": gettext_lazy("Overdue"),
    "escalated": gettext_lazy("Escalated"),
}


def staff_required(view):
    """Signed-in staff only; `request.staff` is their Staff record."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        staff = getattr(request.user, "staff", None)
        if staff is None or not staff.active:
            raise PermissionDenied(_("This page is for staff."))
        request.staff = staff
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def home(request):
    now = clock.now()
    counts = {
        key: case_selectors.case_queue(staff=request.staff, view=key, now=now).count()
        for key in QUEUES
    } if can(request.staff, "view") else {}
    return render(request, "backoffice/dashboard.html", {
        "queues": [(key, label, counts.get(key)) for key, label in QUEUES.items()],
        "can_intake": can(request.staff, "intake"),
    })


@staff_required
def queue(request, view: str):
    if view not in QUEUES:
        raise Http404
    try:
        require(request.staff, "view")
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    cases = case_selectors.case_queue(staff=request.staff, view=view, now=clock.now())
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/queue.html", {
        "view": view, "title": QUEUES[view], "page": page, "now": clock.now(),
        "queues": QUEUES.items(),
    })


def _case_or_404(request, reference):
    try:
        return case_selectors.case_get_for(staff=request.staff, reference=reference)
    except DomainError as exc:
        if exc.code == CaseError.FORBIDDEN:
            raise PermissionDenied(exc.message) from exc
        raise Http404(exc.message) from exc


@staff_required
def case_detail(request, reference: str):
    case = _case_or_404(request, reference)
    staff = request.staff
    return render(request, "backoffice/case_detail.html", {
        "case": case,
        "events": case_selectors.case_events(case=case),
        "journey": engagement_selectors.journey(case=case),
        "now": clock.now(),
        "can": {action: can(staff, action) for action in (
            "acknowledge", "start", "wait", "resume", "resolve", "close", "reopen", "assign",
            "assign_self", "merge", "note", "update_citizen")},
        "forms": {
            "note": forms.NoteForm(), "update": forms.UpdateForm(), "wait": forms.WaitForm(),
            "resolve": forms.ResolveForm(), "reopen": forms.ReopenForm(),
            "assign": forms.AssignForm(office=case.office), "merge": forms.MergeForm(),
            "simple": forms.SimpleNoteForm(), "contact": forms.ContactForm(),
        },
    })


def _act_acknowledge(case, staff, data):
    return case_services.case_acknowledge(case=case, actor=staff, note=data.get("note", ""))


def _act_start(case, staff, data):
    return case_services.case_start(case=case, actor=staff, note=data.get("note", ""))


def _act_wait(case, staff, data):
    return case_services.case_wait(case=case, actor=staff, on=data["on"], note=data["note"])


def _act_resume(case, staff, data):
    return case_services.case_resume(case=case, actor=staff, note=data.get("note", ""))


def _act_note(case, staff, data):
    return case_services.case_note(case=case, actor=staff, note=data["note"])


def _act_update(case, staff, data):
    return case_services.case_update_citizen(case=case, actor=staff, message=data["message"])


def _act_resolve(case, staff, data):
    return case_services.case_resolve(case=case, actor=staff, **data)


def _act_close(case, staff, data):
    return case_services.case_close(case=case, actor=staff, note=data.get("note", ""))


def _act_reopen(case, staff, data):
    return case_services.case_reopen(case=case, actor=staff, reason=data["reason"])


def _act_assign(case, staff, data):
    return case_services.case_assign(case=case, actor=staff, assignee=data["assignee"])


def _act_assign_self(case, staff, data):
    return case_services.case_assign(case=case, actor=staff, assignee=staff)


def _act_contact(case, staff, data):
    return contact_record(
        channel=data["channel"], office=staff.office, staff=staff, case=case,
        identifier=case.citizen_phone or case.citizen_email,
        wait_seconds=_seconds(data.get("wait_minutes")),
        handling_seconds=_seconds(data.get("handling_minutes")), outcome=data["outcome"],
    )


def _act_merge(case, staff, data):
    into = case_selectors.case_get_for(staff=staff, reference=data["into"])
    return case_services.case_merge(case=case, into=into, actor=staff)


# action -> (permission, form class, service call)
ACTIONS = {
    "acknowledge": ("acknowledge", forms.SimpleNoteForm, _act_acknowledge),
    "start": ("start", forms.SimpleNoteForm, _act_start),
    "wait": ("wait", forms.WaitForm, _act_wait),
    "resume": ("resume", forms.SimpleNoteForm, _act_resume),
    "note": ("note", forms.NoteForm, _act_note),
    "update": ("update_citizen", forms.UpdateForm, _act_update),
    "resolve": ("resolve", forms.ResolveForm, _act_resolve),
    "close": ("close", forms.SimpleNoteForm, _act_close),
    "reopen": ("reopen", forms.ReopenForm, _act_reopen),
    "assign": ("assign", forms.AssignForm, _act_assign),
    "assign_self": ("assign_self", forms.SimpleNoteForm, _act_assign_self),
    "merge": ("merge", forms.MergeForm, _act_merge),
    "contact": ("note", forms.ContactForm, _act_contact),
}


@require_POST
@staff_required
def case_action(request, reference: str, action: str):
    if action not in ACTIONS:
        raise Http404
    permission, form_class, call = ACTIONS[action]
    case = _case_or_404(request, reference)
    if not can(request.staff, permission):
        raise PermissionDenied(_("Your role does not allow this action."))
    form = (form_class(request.POST, office=case.office) if form_class is forms.AssignForm
            else form_class(request.POST))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect("backoffice:case_detail", reference=case.reference)
    try:
        call(case, request.staff, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("backoffice:case_detail", reference=case.reference)


@staff_required
def intake(request):
    if not can(request.staff, "intake"):
        raise PermissionDenied(_("Your role does not take calls."))
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = CaseDraft(
            service_code=data["service"].code, description=data["description"],
            channel=data["channel"], kind=data["kind"], priority=data["priority"],
            lat=data["lat"], lon=data["lon"], address=data["address"],
            citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
            citizen_email=data["citizen_email"], contact_consent=data["contact_consent"],
            anonymous=data["anonymous"],
        )
        try:
            case = case_services.case_open(
                draft=draft, actor=request.staff,
                idempotency_key=request.POST.get("idempotency_key") or None,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            _contact_for_intake(request.staff, case, data)
            messages.success(request, _("Case %(ref)s opened. Read the reference to the caller.")
                             % {"ref": case.reference})
            return redirect("backoffice:case_detail", reference=case.reference)
    return render(request, "backoffice/intake.html", {
        "form": form,
        # The same key on a resubmitted form returns the case already opened.
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
    })


def _contact_for_intake(staff, case, data) -> None:
    intake_contact_record(staff=staff, case=case, channel=data["channel"],
                          wait_seconds=_seconds(data.get("wait_minutes")),
                          handling_seconds=_seconds(data.get("handling_minutes")))


def _seconds(minutes):
    return None if minutes is None else minutes * 60


@staff_required
def caller_lookup(request):
    """Earlier cases of a caller (htmx fragment or a plain page)."""
    if not can(request.staff, "intake"):
        raise PermissionDenied
    phone = request.GET.get("phone", "").strip()
    reference = request.GET.get("reference", "").strip()
    error = ""
    cases = []
    if phone:
        try:
            phone = phone_normalise(phone)
        except DomainError as exc:
            error = exc.message
    if not error and (phone or reference):
        cases = case_selectors.case_find_for_caller(staff=request.staff, phone=phone,
                                                    reference=reference)
    template = "backoffice/_caller_cases.html" if request.htmx else "backoffice/caller_lookup.html"
    return render(request, template, {"cases": cases, "error": error,
                                      "searched": bool(phone or reference)})


FEEDBACK_BY = {"office": gettext_lazy("Office"), "staff": gettext_lazy("Staff member"),
               "service": gettext_lazy("Service"), "channel": gettext_lazy("Channel")}


@staff_required
def feedback(request):
    """Ratings by office, staff member, service or channel, with the monthly trend."""
    by = request.GET.get("by", "office")
    if by not in FEEDBACK_BY:
        by = "office"
    try:
        months = max(1, min(int(request.GET.get("months", "6")), 24))
    except ValueError:
        months = 6
    until = clock.now()
    since = until - timedelta(days=30 * months)
    scope = engagement_selectors.feedback_scope(request.staff)
    return render(request, "backoffice/feedback.html", {
        "by": by, "by_choices": FEEDBACK_BY.items(), "months": months,
        "drivers": engagement_selectors.SCORED_DRIVERS,
        "rows": engagement_selectors.scores_by(dimension=by, since=since, until=until,
                                               scope=scope),
        "trend": engagement_selectors.monthly_trend(since=since, until=until, scope=scope),
        "comments": engagement_selectors.comments(since=since, scope=scope),
        "my_contacts": engagement_selectors.contacts_of(staff=request.staff, since=since),
    })


@staff_required
def citizen_journey(request, reference: str):
    """Every contact and rating of the citizen behind a case, across their cases."""
    case = _case_or_404(request, reference)
    identifier = case.citizen_phone or case.citizen_email
    key = citizen_key(identifier) if identifier else ""
    return render(request, "backoffice/journey.html", {
        "case": case, "journey": engagement_selectors.journey(citizen_key=key) if key else None,
    })
