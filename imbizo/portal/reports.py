"""Citizen pages for cases: report, track, reopen (interface only).

No personal data is ever rendered here: the tracking page shows what anyone
holding the reference may see.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.cases.disclosure import public_text
from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Priority
from imbizo.cases.timeline import citizen_timeline
from imbizo.cases.transitions import DONE_STATUSES
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.locale import case_language_activate, citizen_language
from imbizo.core.ratelimit import failures_limited, rate_limited
from imbizo.geo.selectors import wards_geojson
from imbizo.outreach.interruption_selectors import interruption_for_case
from imbizo.triage.usage_models import Door
from imbizo.web.questions import question_field_of
from imbizo.web.triage import picked as triage_picked

from . import report_triage
from .report_forms import CONSENT_WORDING, ReopenForm, ReportForm, TrackForm

FORM_FIELD_OF = {"service_code": "service", "location": "address", "photo": "photo",
                 "ward": "ward"}


@rate_limited("report", methods=("POST",))
def report(request):
    # A "did you mean" service picked without JavaScript: the form comes back with it.
    form = ReportForm(triage_picked(request.POST) or request.POST or None,
                      request.FILES or None,
                      initial={"idempotency_key": uuid.uuid4().hex,
                               "service": request.GET.get("service", "")})
    if request.method == "POST" and not form.questions_step() and form.is_valid():
        data = form.cleaned_data
        draft = CaseDraft(
            service_code=data["service"], description=data["description"], channel="web",
            kind=data["kind"], lat=data["lat"], lon=data["lon"], address=data["address"],
            ward_code=data["ward"].code if data.get("ward") else "",
            citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
            citizen_email=data["citizen_email"], contact_consent=data["contact_consent"],
            anonymous=data["anonymous"], consent_text=str(CONSENT_WORDING),
            attributes=data["attributes"], kept_private=data["kept_private"],
            priority=Priority.URGENT if data["dangerous"] else Priority.NORMAL,
            language=citizen_language(request), triage_door=Door.REPORT,
        )
        photos = [data["photo"]] if data.get("photo") else []
        # The form's own namespace: a key typed by hand must not reach a case
        # opened through another channel (and so learn its reference).
        key = f"portal:{data['idempotency_key']}" if data["idempotency_key"] else None
        try:
            case = case_services.case_open(draft=draft, photos=photos, idempotency_key=key)
        except DomainError as exc:
            field = FORM_FIELD_OF.get(exc.field, question_field_of(exc.field))
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            # A query flag, not a flash message: no cookie to sign on the hot path.
            # The reopen code is shown once, here; a repeated submission (the
            # same idempotency key) returns the first case without one.
            query = {"new": "1", "secret": getattr(case, "reopen_secret", "")}
            return redirect(reverse("portal:case_track", args=[case.reference]) + "?"
                            + urlencode({k: v for k, v in query.items() if v}))
    return render(request, "portal/report.html", {
        "form": form,
        "questions_url": reverse("portal:report_questions"),
        # A browser never sends a chosen file twice: say so when the form comes back.
        "photo_dropped": bool(request.FILES.get("photo")),
        # A form sent back (checked, or a step) shows the triage panel at once.
        **(report_triage.panel_context(form.data) if form.is_bound else {}),
    })


def report_questions(request):
    """The chosen service's questions, as the report form shows them (htmx fragment)."""
    form = ReportForm(initial={"service": request.GET.get("service", "")[:100]})
    return render(request, "web/_questions.html", {
        "form": form, "questions_url": reverse("portal:report_questions"),
    })


@rate_limited("track", methods=("GET",))
def track_lookup(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        try:
            case = case_selectors.case_get_public(reference=form.cleaned_data["reference"])
        except DomainError as exc:
            form.add_error("reference", exc.message)
        else:
            return redirect("portal:case_track", reference=case.reference)
    return render(request, "portal/track_lookup.html", {"form": form})


@rate_limited("track", methods=("GET",))
def track(request, reference: str):
    try:
        case = case_selectors.case_get_public(reference=reference)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if case.reference != reference:
        return redirect("portal:case_track", reference=case.reference)
    case_language_activate(request, case.language)
    secret = request.GET.get("secret", "")[:64]
    return _track_page(request, case, reopen_form=ReopenForm(initial={"secret": secret}),
                       just_reported=request.GET.get("new") == "1", secret=secret)


def _track_page(request, case, *, reopen_form, just_reported=False, secret="", status=200):
    now = clock.now()
    return render(request, "portal/track.html", {
        "case": case,
        "public_text": public_text(case),
        "just_reported": just_reported,
        # Shown once, to the reporter who has just sent the report.
        "reopen_secret": secret if just_reported else "",
        "events": citizen_timeline(case_selectors.case_public_events(case=case)),
        "overdue": case.is_open and case.resolve_due_at is not None and case.resolve_due_at < now,
        "can_reopen": case.status in DONE_STATUSES and case.parent_id is None,
        "reopen_form": reopen_form,
        "interruption": interruption_for_case(case_id=case.pk),
    }, status=status)


@require_POST
@failures_limited("reopen")
def track_reopen(request, reference: str):
    """Reopen with the case's secret. A refusal shows the page again (and
    counts against the address's failures); only a reopening redirects."""
    try:
        case = case_selectors.case_get_public(reference=reference)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    case_language_activate(request, case.language)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            case_services.case_reopen_by_citizen(
                case=case, secret=form.cleaned_data["secret"], reason=form.cleaned_data["reason"],
                channel="web")
        except DomainError as exc:
            form.add_error("secret" if exc.field == "secret" else None, exc.message)
        else:
            messages.success(request, _("Your report is open again. We will be in touch."))
            return redirect("portal:case_track", reference=case.reference)
    return _track_page(request, case, reopen_form=form, status=400)


@cache_control(public=True, max_age=300)
def wards(request):
    """Ward boundaries as GeoJSON for the maps (public data)."""
    data = cache.get("portal:wards.geojson")
    if data is None:
        data = wards_geojson()
        cache.set("portal:wards.geojson", data, 300)
    return JsonResponse(data)
