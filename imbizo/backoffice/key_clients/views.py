"""Staff pages of key clients (interface only): the list (the account manager's
own first), one key client (contact persons, visit plan and log, cases with
their ratings, signals), the visit and corrective action forms, retention."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.clients import key_clients, key_selectors
from imbizo.clients.models import ClientGroup
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.authorisation import permission_required
from imbizo.org.models import Office
from imbizo.org.permissions import Permission, staff_allows

from . import forms

key_staff = permission_required(Permission.KEY_CLIENTS)


def _client_or_404(pk: int):
    client = key_selectors.key_client_get(pk=pk)
    if client is None:
        raise Http404(_("There is no such key client."))
    return client


@key_staff
def key_client_list(request):
    filters = forms.ListFilterForm(request.GET or None)
    group = mine = None
    if filters.is_valid():
        group, mine = filters.cleaned_data["group"], filters.cleaned_data["mine"]
    return render(request, "backoffice/key_clients/list.html", {
        "clients": key_selectors.key_client_list(viewer=request.staff, group=group,
                                                 mine=bool(mine)),
        "signals": key_selectors.signals_open_for(staff=request.staff),
        "filters": filters, "today": timezone.localdate(clock.now()),
    })


def _detail(request, client, *, visit_form=None, action_forms=None, status=200):
    signals = key_selectors.key_client_signals(client=client)
    action_forms = action_forms or {}
    for signal in signals:
        signal.form = action_forms.get(signal.pk) or forms.CorrectiveActionForm(
            prefix=f"signal-{signal.pk}")
    visits = key_selectors.key_client_visits(client=client)
    last = visits[0] if visits else None
    return render(request, "backoffice/key_clients/detail.html", {
        "client": client,
        "show_contact": staff_allows(request.staff, Permission.CASE_PERSONAL_DATA),
        "persons": list(client.contact_persons.filter(active=True)),
        "visits": visits,
        "next_due": key_selectors.next_visit_due(client, last.visited_on if last else None,
                                                 last.next_visit_on if last else None),
        "cases": key_selectors.key_client_cases(client=client),
        "signals": signals,
        "may_act": key_clients.may_act_for(request.staff, client),
        "visit_form": visit_form or forms.VisitForm(
            initial={"visited_on": timezone.localdate(clock.now())}),
        "today": timezone.localdate(clock.now()),
    }, status=status)


@key_staff
def key_client_detail(request, pk: int):
    return _detail(request, _client_or_404(pk))


@key_staff
@require_POST
def visit_add(request, pk: int):
    client = _client_or_404(pk)
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            key_clients.visit_record(
                key_client=client, actor=request.staff, visited_on=data["visited_on"],
                notes=data["notes"], actions_agreed=data["actions_agreed"],
                next_visit_on=data["next_visit_on"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Visit logged."))
            return redirect(f"{client_url(client)}#visits")
    return _detail(request, client, visit_form=form, status=422)


def client_url(client) -> str:
    return reverse("backoffice:key_client", kwargs={"pk": client.pk})


@key_staff
@require_POST
def signal_correct(request, pk: int):
    signal = key_selectors.signal_get(pk=pk)
    if signal is None:
        raise Http404(_("There is no such signal."))
    form = forms.CorrectiveActionForm(request.POST, prefix=f"signal-{signal.pk}")
    if form.is_valid():
        try:
            key_clients.signal_correct(signal=signal, actor=request.staff,
                                       action=form.cleaned_data["corrective_action"])
        except DomainError as exc:
            form.add_error("corrective_action" if exc.field else None, exc.message)
        else:
            messages.success(request, _("Corrective action recorded."))
            return redirect(f"{client_url(signal.key_client)}#signals")
    client = _client_or_404(signal.key_client_id)
    return _detail(request, client, action_forms={signal.pk: form}, status=422)


@key_staff
def retention(request):
    """Retention now, by group and by office, and its trend over eight quarters."""
    today = timezone.localdate(clock.now())
    by_group = key_selectors.retention_by(as_of=today, field="group")
    by_office = key_selectors.retention_by(as_of=today, field="office")
    groups = ClientGroup.objects.filter(pk__in=[k for k in by_group if k]).order_by("order", "name")
    offices = Office.objects.filter(pk__in=[k for k in by_office if k]).order_by("name")
    return render(request, "backoffice/key_clients/retention.html", {
        "today": today,
        "overall": key_selectors.retention(as_of=today),
        "by_group": [(g, by_group[g.pk]) for g in groups],
        "by_office": [(o, by_office[o.pk]) for o in offices]
        + ([(None, by_office[None])] if None in by_office else []),
        "trend": key_selectors.retention_trend(as_of=today),
    })
