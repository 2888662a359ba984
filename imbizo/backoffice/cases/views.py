"""Staff pages (interface only): parse, authorise, call one service or selector, render."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.cases import transitions
from imbizo.cases.access import can
from imbizo.cases.disclosure import case_disclosure, contact_details_masked
from imbizo.cases.errors import CaseError
from imbizo.cases.intake import CaseDraft, phone_normalise
from imbizo.cases.publication import case_public_text_correct
from imbizo.cases.transitions import Status
from imbizo.clients import key_clients, key_selectors
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.languages import Language, default_language
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement import selectors as engagement_selectors
from imbizo.engagement.services import contact_record, intake_contact_record
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows
from imbizo.outreach import meeting_selectors
from imbizo.outreach.interruption_selectors import interruption_for_case
from imbizo.privacy import selectors as privacy_selectors
from imbizo.privacy.consent import CONTACT_WORDING
from imbizo.privacy.models import AccessPurpose
from imbizo.privacy.services import access_record
from imbizo.web.questions import answers_shown, question_field_of
from imbizo.web.triage import picked as triage_picked

from . import forms, triage


def _case_or_404(request, reference):
    try:
        return case_selectors.case_get_for(viewer=request.staff, reference=reference)
    except DomainError as exc:
        if exc.code == CaseError.FORBIDDEN:
            raise PermissionDenied(exc.message) from exc
        raise Http404(exc.message) from exc


def _has_contact(case) -> bool:
    return bool(case.citizen_name or case.citizen_phone or case.citizen_email)


@permission_required(Permission.CASE_VIEW)
def case_detail(request, reference: str):
    case = _case_or_404(request, reference)
    staff = request.staff
    show_contact = staff_allows(staff, Permission.CASE_PERSONAL_DATA)
    if show_contact and _has_contact(case):
        access_record(staff=staff, purpose=AccessPurpose.CASE_PAGE, case=case)
    events = list(case_selectors.case_events(case=case))
    description, public_description = case.description, case.public_description
    if not show_contact:
        # Numbers and addresses typed into the text are contact details too.
        description = contact_details_masked(description)
        public_description = contact_details_masked(public_description)
        for event in events:  # shown, never saved
            event.note = contact_details_masked(event.note)
    return render(request, "backoffice/cases/case_detail.html", {
        "case": case,
        "description": description,
        "public_description": public_description,
        "published": case_disclosure(case).description,
        "answers": answers_shown(case.service.attributes.all(), case.attributes),
        "show_contact": show_contact,
        "consent": privacy_selectors.case_consent(case=case) if show_contact else None,
        "erasure": privacy_selectors.case_erasure(case=case),
        "photos": case.attachments.only("pk", "case_id", "uploaded_at", "content_type"),
        "events": events,
        "interruption": interruption_for_case(case_id=case.pk),
        "client_link": key_selectors.case_client_panel(case=case),
        "possible_duplicates": triage.case_duplicates(case=case, staff=staff),
        "journey": engagement_selectors.journey(case=case),
        "meetings": meeting_selectors.meetings_of_case(case=case),
        "rating": _rating_behind(case, staff, show_contact=show_contact),
        "now": clock.now(),
        "default_language_name": Language(default_language()).label,
        "offer": (offer := _offers(case, staff)),
        "may_act": any(offer.values()),
        "forms": {
            "note": forms.NoteForm(), "update": forms.UpdateForm(), "wait": forms.WaitForm(),
            "resolve": forms.ResolveForm(), "reopen": forms.ReopenForm(),
            "assign": forms.AssignForm(office=case.office), "merge": forms.MergeForm(),
            "simple": forms.SimpleNoteForm(), "contact": forms.ContactForm(),
            "public_text": forms.PublicTextForm(
                initial={"public_description": case.public_description}),
            "priority": forms.PriorityForm(initial={"priority": case.priority}),
            "language": forms.LanguageForm(initial={"language": case.language or default_language()}),
            "service": forms.ServiceForm(initial={"service": case.service.code}),
        },
    })


def _rating_behind(case, staff, *, show_contact: bool) -> dict | None:
    """The rating that opened a follow-up case, for staff who may see ratings:
    its answers, the citizen's comments for those who may read them, and the
    rated case, linked when the viewer may open it."""
    if not staff_allows(staff, Permission.FEEDBACK_VIEW):
        return None
    source = engagement_selectors.follow_up_source(
        case=case, with_comments=staff_allows(staff, Permission.FEEDBACK_COMMENTS))
    if source is None:
        return None
    for answer in source.comments:  # shown, never saved
        if not show_contact:
            answer.text = contact_details_masked(answer.text)
    rated = source.response.case
    return {"source": source, "rated": rated,
            "rated_visible": rated is not None
            and case_selectors.case_visible_to(viewer=staff, case=rated)}


def _offers(case, staff) -> dict[str, bool]:
    """The actions the case page offers: the role allows them and, for a move,
    the transition table lets the case make it from where it is."""
    status = Status(case.status)
    allowed = transitions.ALLOWED[status]
    waiting = status in transitions.WAITING_STATUSES
    fits = {
        # Acknowledging is a person's act, whatever the status, until someone has.
        "acknowledge": case.is_open and (case.acknowledged_at is None
                                         or status == Status.REOPENED),
        "assign_self": Status.ASSIGNED in allowed and case.assignee_id != staff.pk,
        "start": Status.IN_PROGRESS in allowed and not waiting,
        "resume": Status.IN_PROGRESS in allowed and waiting,
        "close": status == Status.RESOLVED,  # closing follows a resolution
        "update_citizen": case.is_open,
        "note": True,
        "wait": Status.WAITING_CITIZEN in allowed and not waiting,
        "resolve": Status.RESOLVED in allowed,
        "assign": Status.ASSIGNED in allowed,
        "merge": Status.RESOLVED in allowed,  # a merged duplicate is resolved
        "reopen": Status.REOPENED in allowed,
        "public_text": True,  # correcting what is published, in any status
        "priority": case.is_open,
        "service": case.is_open,
        "language": True,  # the citizen may still be written to after closing (a survey)
    }
    return {action: fits[action] and can(staff, action) for action in fits}


# The wait form's choice -> the status it moves the case to.
WAIT_STATUS_OF = {"citizen": Status.WAITING_CITIZEN, "third_party": Status.WAITING_THIRD_PARTY}


def _move(case, staff, to, **details):
    """Every action that changes the status goes through the one entry point."""
    return case_services.case_status_change(case=case, to=to, actor=staff, **details)


def _act_acknowledge(case, staff, data):
    return case_services.case_acknowledge(case=case, actor=staff, note=data.get("note", ""))


def _act_priority(case, staff, data):
    return case_services.case_priority_change(case=case, actor=staff, priority=data["priority"],
                                              note=data.get("note", ""))


def _act_language(case, staff, data):
    return case_services.case_language_change(case=case, actor=staff, language=data["language"],
                                              note=data.get("note", ""))


def _act_service(case, staff, data):
    return case_services.case_service_change(case=case, actor=staff, service=data["service"],
                                             note=data.get("note", ""))


def _act_start(case, staff, data):
    return _move(case, staff, Status.IN_PROGRESS, note=data.get("note", ""))


def _act_wait(case, staff, data):
    return _move(case, staff, WAIT_STATUS_OF[data["on"]], note=data["note"])


def _act_resume(case, staff, data):
    return _move(case, staff, Status.IN_PROGRESS, note=data.get("note", ""))


def _act_note(case, staff, data):
    return case_services.case_note(case=case, actor=staff, note=data["note"])


def _act_update(case, staff, data):
    return case_services.case_update_citizen(case=case, actor=staff, message=data["message"])


def _act_resolve(case, staff, data):
    resolution = case_services.Resolution(**{k: v for k, v in data.items() if k != "note"})
    return _move(case, staff, Status.RESOLVED, note=data["note"], resolution=resolution)


def _act_close(case, staff, data):
    return _move(case, staff, Status.CLOSED, note=data.get("note", ""))


def _act_reopen(case, staff, data):
    return _move(case, staff, Status.REOPENED, note=data["reason"])


def _act_assign(case, staff, data):
    return _move(case, staff, Status.ASSIGNED, assignee=data["assignee"])


def _act_assign_self(case, staff, data):
    return _move(case, staff, Status.ASSIGNED, assignee=staff)


def _act_contact(case, staff, data):
    return contact_record(
        channel=data["channel"], office=staff.office, staff=staff, case=case,
        identifier=case.citizen_phone or case.citizen_email,
        wait_seconds=_seconds(data.get("wait_minutes")),
        handling_seconds=_seconds(data.get("handling_minutes")), outcome=data["outcome"],
    )


def _act_public_text(case, staff, data):
    return case_public_text_correct(case=case, actor=staff, text=data["public_description"])


def _act_merge(case, staff, data):
    into = case_selectors.case_get_for(viewer=staff, reference=data["into"])
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
    "public_text": ("public_text", forms.PublicTextForm, _act_public_text),
    "priority": ("priority", forms.PriorityForm, _act_priority),
    "service": ("service", forms.ServiceForm, _act_service),
    "language": ("language", forms.LanguageForm, _act_language),
}


@require_POST
@permission_required(Permission.CASE_VIEW)
def case_action(request, reference: str, action: str):
    if action not in ACTIONS:
        raise Http404
    permission, form_class, call = ACTIONS[action]
    # The role first, then the case: a refused role learns nothing about the case.
    if not can(request.staff, permission):
        raise PermissionDenied(_("Your role does not allow this action."))
    case = _case_or_404(request, reference)
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


@permission_required(Permission.CASE_INTAKE)
def intake(request):
    # A suggested service picked without JavaScript: the form comes back with it.
    data = triage_picked(request.POST) or request.POST or None
    form = forms.IntakeForm(data)
    if request.method == "POST" and not form.questions_step() and form.is_valid():
        data = form.cleaned_data
        draft = CaseDraft(
            service_code=data["service"].code, description=data["description"],
            channel=data["channel"], kind=data["kind"], priority=data["priority"],
            lat=data["lat"], lon=data["lon"], address=data["address"],
            ward_code=data["ward"].code if data.get("ward") else "",
            place_asked=True, place_unknown=data["place_unknown"],
            citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
            citizen_email=data["citizen_email"], contact_consent=data["contact_consent"],
            anonymous=data["anonymous"], consent_text=str(CONTACT_WORDING),
            attributes=data["attributes"], public_description=data["public_summary"],
        )
        try:
            case, incident = triage.open_case(
                staff=request.staff, draft=draft,
                idempotency_key=request.POST.get("idempotency_key") or None,
                merge_into=request.POST.get(triage.MERGE_INTO, ""),
                then=lambda case: key_clients.intake_link(
                    case=case, group=data.get("client_group"), key_client=data.get("key_client"),
                    agreed=data.get("agreed", ""), phone=data["citizen_phone"],
                    email=data["citizen_email"]),
            )
        except DomainError as exc:
            field = INTAKE_FIELD_OF.get(exc.field, question_field_of(exc.field))
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            _contact_for_intake(request.staff, case, data)
            if incident is not None:
                messages.success(request, _(
                    "Case %(ref)s opened and merged into %(into)s, which tracks the same "
                    "problem. Read %(into)s to the caller to follow it.")
                    % {"ref": case.reference, "into": incident.reference})
                return redirect("backoffice:case_detail", reference=incident.reference)
            messages.success(request, _("Case %(ref)s opened. Read the reference to the caller.")
                             % {"ref": case.reference})
            return redirect("backoffice:case_detail", reference=case.reference)
    return render(request, "backoffice/cases/intake.html", {
        "form": form, "questions_url": reverse("backoffice:intake_questions"),
        # The same key on a resubmitted form returns the case already opened.
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        # A form sent back (checked, or a step) shows the triage panel at once.
        **(triage.panel_context(request, form.data) if form.is_bound else {}),
    })


# A service error's field -> the intake form's field.
INTAKE_FIELD_OF = {"service_code": "service", "location": "address",
                   "public_description": "public_summary", "group": "client_group"}


@permission_required(Permission.CASE_INTAKE)
def intake_questions(request):
    """The chosen service's questions, as the intake form shows them (htmx fragment)."""
    form = forms.IntakeForm(initial={"service": request.GET.get("service", "")[:100]})
    return render(request, "web/_questions.html", {
        "form": form, "questions_url": reverse("backoffice:intake_questions"),
    })


def _contact_for_intake(staff, case, data) -> None:
    intake_contact_record(staff=staff, case=case, channel=data["channel"],
                          wait_seconds=_seconds(data.get("wait_minutes")),
                          handling_seconds=_seconds(data.get("handling_minutes")))


def _seconds(minutes):
    return None if minutes is None else minutes * 60


@permission_required(Permission.CALLER_LOOKUP)
def caller_lookup(request):
    """Earlier cases of a caller (htmx fragment or a plain page); each search is logged."""
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
        cases = list(case_selectors.case_find_for_caller(viewer=request.staff, phone=phone,
                                                         reference=reference))
        access_record(staff=request.staff, purpose=AccessPurpose.CALLER_LOOKUP,
                      case=cases[0] if len(cases) == 1 else None, identifier=phone,
                      results=len(cases))
    template = ("backoffice/cases/_caller_cases.html" if request.htmx
                else "backoffice/cases/caller_lookup.html")
    return render(request, template, {"cases": cases, "error": error,
                                      "searched": bool(phone or reference)})


FEEDBACK_BY = {"office": gettext_lazy("Office"), "staff": gettext_lazy("Staff member"),
               "service": gettext_lazy("Service"), "channel": gettext_lazy("Channel")}


@permission_required(Permission.FEEDBACK_VIEW)
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
    return render(request, "backoffice/cases/feedback.html", {
        "by": by, "by_choices": FEEDBACK_BY.items(), "months": months,
        "drivers": engagement_selectors.SCORED_DRIVERS,
        "rows": engagement_selectors.scores_by(dimension=by, since=since, until=until,
                                               scope=scope),
        "trend": engagement_selectors.monthly_trend(since=since, until=until, scope=scope),
        # Citizens' own words may name people: not for every role.
        "comments": (engagement_selectors.comments(since=since, scope=scope)
                     if staff_allows(request.staff, Permission.FEEDBACK_COMMENTS) else {}),
        "my_contacts": engagement_selectors.contacts_of(staff=request.staff, since=since),
        "held": engagement_selectors.follow_ups_held(since=since, scope=scope),
    })


@permission_required(Permission.CITIZEN_JOURNEY)
def citizen_journey(request, reference: str):
    """Every contact and rating of the citizen behind a case, across their cases."""
    case = _case_or_404(request, reference)
    identifier = case.citizen_phone or case.citizen_email
    key = citizen_key(identifier) if identifier else ""
    if key:
        access_record(staff=request.staff, purpose=AccessPurpose.CITIZEN_JOURNEY, case=case)
    return render(request, "backoffice/cases/journey.html", {
        "case": case, "journey": engagement_selectors.journey(citizen_key=key) if key else None,
    })


# A photo is served only to staff who may see its case, never from a public
# URL, and so that a browser can only ever show it as an image.
PHOTO_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@permission_required(Permission.CASE_VIEW)
def case_photo(request, reference: str, photo_id: int):
    case = _case_or_404(request, reference)
    photo = get_object_or_404(case.attachments, pk=photo_id)
    access_record(staff=request.staff, purpose=AccessPurpose.PHOTO, case=case)
    extension = photo.file.name.rsplit(".", 1)[-1]
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{case.reference}-{photo.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PHOTO_POLICY
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
