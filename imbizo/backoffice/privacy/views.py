"""Back-office pages for personal data: the access log (auditors) and a
citizen's requests to see or erase their data (administrators)."""

import json
from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from imbizo.core.errors import DomainError
from imbizo.core.limits import LINE_MAX
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission
from imbizo.privacy import selectors, services
from imbizo.privacy.models import AccessPurpose
from imbizo.web.styling import BootstrapForm


class AccessFilterForm(BootstrapForm):
    username = forms.CharField(label=gettext_lazy("Staff username"), required=False,
                               max_length=150)
    reference = forms.CharField(label=gettext_lazy("Case reference"), required=False,
                                max_length=20)
    purpose = forms.ChoiceField(label=gettext_lazy("Why"), required=False,
                                choices=[("", gettext_lazy("Any"))] + AccessPurpose.choices)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Until (not included)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


@permission_required(Permission.AUDIT_ACCESS_LOG)
def access_log(request):
    """Who was shown which citizen's personal data, when and why."""
    form = AccessFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.access_log(
        username=filters.get("username", ""), reference=filters.get("reference", ""),
        purpose=filters.get("purpose", ""), since=_day_start(filters.get("since")),
        until=_day_start(filters.get("until")))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "backoffice/privacy/access_log.html", {
        "form": form, "page": page, "query": query.urlencode()})


class CitizenSearchForm(BootstrapForm):
    phone = forms.CharField(label=gettext_lazy("Phone number"), required=False, max_length=30)
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)
    reference = forms.CharField(label=gettext_lazy("Case reference"), required=False,
                                max_length=20)


class ErasureForm(BootstrapForm):
    note = forms.CharField(
        label=gettext_lazy("The request"), max_length=LINE_MAX,
        help_text=gettext_lazy("How the citizen asked, e.g. the reference of their letter."))
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked who is asking; remove their personal data from "
                           "these cases for good."))


def _match(form):
    """The citizen the search form names, or None with the error on the form."""
    if not form.is_valid():
        return None
    try:
        return selectors.citizen_find(**form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


@permission_required(Permission.PRIVACY_REQUESTS)
def privacy_request(request):
    """Find a citizen's cases by phone, email or reference, then export or erase."""
    form = CitizenSearchForm(request.GET or None)
    match = _match(form) if request.GET else None
    cases = []
    if match is not None:
        cases = list(selectors.citizen_cases(match=match))
        services.access_record(staff=request.staff, purpose=AccessPurpose.PRIVACY_SEARCH,
                               identifier=next(iter(sorted(match.identifiers)), ""),
                               results=len(cases))
    return render(request, "backoffice/privacy/privacy_request.html", {
        "form": form, "match": match, "cases": cases, "erasure_form": ErasureForm(),
        "query": request.GET.urlencode()})


@require_POST
@permission_required(Permission.PRIVACY_REQUESTS)
def privacy_export(request):
    """The citizen's data as a JSON file for them."""
    match = _match(CitizenSearchForm(request.POST))
    # A phone number or address may be held without a case (alert subscriptions).
    if match is None or not (match.case_ids or match.identifiers):
        messages.error(request, _("Nothing to export: search for the citizen again."))
        return redirect("backoffice:privacy_request")
    document = services.citizen_export(staff=request.staff, match=match)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required(Permission.PRIVACY_REQUESTS)
def privacy_erase(request):
    """Remove the citizen's personal data from all their cases (the history stays)."""
    search = CitizenSearchForm(request.POST)
    match = _match(search)
    erasure = ErasureForm(request.POST)
    if match is None or not (match.case_ids or match.identifiers) or not erasure.is_valid():
        messages.error(request, _("Nothing was erased: give the request and tick the "
                                  "confirmation."))
        return redirect("backoffice:privacy_request")
    erased = services.citizen_erase(staff=request.staff, match=match,
                                    note=erasure.cleaned_data["note"])
    messages.success(request, ngettext("Personal data removed from %(n)d case.",
                                       "Personal data removed from %(n)d cases.", erased)
                     % {"n": erased})
    return redirect("backoffice:privacy_request")
