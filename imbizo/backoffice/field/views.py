"""Field supervision pages (interface only): assign wards, see progress and
devices, settle conflicts, check records outside every ward."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from imbizo.core.errors import DomainError
from imbizo.field import selectors, services
from imbizo.field.models import (
    FieldAssignment,
    FieldConflict,
    FieldDevice,
    FieldRecord,
    Resolution,
)
from imbizo.geo.models import Ward
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission
from imbizo.web.styling import BootstrapForm

supervisor_required = permission_required(Permission.FIELD_SUPERVISE)
MAX_WARDS_AT_ONCE = 50


def _workers():
    return (get_user_model().objects.filter(is_active=True, staff__active=True)
            .order_by("first_name", "last_name", "username"))


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class AssignForm(BootstrapForm):
    worker = WorkerChoice(label=gettext_lazy("Field worker"), queryset=_workers())
    wards = forms.CharField(
        label=gettext_lazy("Wards"), max_length=2000,
        help_text=gettext_lazy("Ward numbers separated by commas, e.g. W001, W002."))
    street = forms.CharField(label=gettext_lazy("Street (optional)"), required=False,
                             max_length=200,
                             help_text=gettext_lazy("Leave empty to assign the whole ward."))
    target_households = forms.IntegerField(
        label=gettext_lazy("Target households per ward"), min_value=0,
        max_value=services.MAX_TARGET, initial=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _workers()

    def clean_wards(self):
        codes = list(dict.fromkeys(
            c.strip() for c in self.cleaned_data["wards"].replace(";", ",").split(",") if c.strip()))
        if not codes:
            raise forms.ValidationError(_("Give at least one ward number."))
        if len(codes) > MAX_WARDS_AT_ONCE:
            raise forms.ValidationError(_("Assign at most %(n)d wards at once.")
                                        % {"n": MAX_WARDS_AT_ONCE})
        match = Q()
        for code in codes:
            match |= Q(code__iexact=code)
        wards = {w.code.casefold(): w for w in Ward.objects.filter(match)}
        unknown = [c for c in codes if c.casefold() not in wards]
        if unknown:
            raise forms.ValidationError(
                _("There is no ward %(codes)s.") % {"codes": ", ".join(unknown)})
        return [wards[c.casefold()] for c in codes]


class PlaceForm(forms.Form):
    ward = forms.CharField(max_length=32)


def _page_context(form=None):
    return {
        "progress": selectors.ward_progress(),
        "assignments": selectors.assignments_list(),
        "devices": selectors.devices_list(),
        "waiting": selectors.counts_waiting(),
        "form": form or AssignForm(),
    }


@supervisor_required
def supervision(request):
    """Progress per ward against target, assignments, devices, and what waits."""
    return render(request, "backoffice/field/home.html", _page_context())


@supervisor_required
@require_POST
def assign(request):
    form = AssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.assignments_save(worker=data["worker"], wards=data["wards"],
                                              street=data["street"],
                                              target_households=data["target_households"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Assigned %(wards)s to %(worker)s.") % {
                "wards": ", ".join(a.ward.code for a in saved),
                "worker": data["worker"].get_full_name() or data["worker"].username})
            return redirect("backoffice:field_home")
    return render(request, "backoffice/field/home.html", _page_context(form), status=400)


@supervisor_required
@require_POST
def assignment_remove(request, pk: int):
    assignment = FieldAssignment.objects.select_related("ward").filter(pk=pk).first()
    if assignment is None:  # removed already (a second click, or another supervisor)
        messages.info(request, _("That assignment was already removed."))
        return redirect("backoffice:field_home")
    services.assignment_remove(assignment=assignment)
    messages.success(request, _("Ward %(ward)s taken off the list.") % {
        "ward": assignment.ward.code})
    return redirect("backoffice:field_home")


@supervisor_required
@require_POST
def device_withdraw(request, pk: int):
    """A lost or stolen phone: its key stops working at once. What it still
    holds unsent stays on it; the worker sends it again from a new phone."""
    device = FieldDevice.objects.select_related("worker").filter(pk=pk).first()
    if device is None or device.revoked_at is not None:  # a second click, or another supervisor
        messages.info(request, _("That phone's key was already withdrawn."))
        return redirect("backoffice:field_home")
    services.device_revoke(device=device)
    messages.success(request, _("The key of %(phone)s is withdrawn: it can no longer send.") % {
        "phone": device.label or device.worker.username})
    return redirect("backoffice:field_home")


def _answer_rows(conflict: FieldConflict):
    """(question label, current answer, submitted answer, differs) for each question."""
    definition = conflict.record.form.definition
    rows = []
    for question in definition.get("questions", []):
        name = question["name"]
        if question.get("personal"):
            continue  # a phone number is not needed to settle a conflict
        label = question.get("label", {}).get("en", name)
        current, submitted = conflict.record.answers.get(name), conflict.answers.get(name)
        if current is None and submitted is None:
            continue
        rows.append((label, _shown(current), _shown(submitted), current != submitted))
    return rows


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(value) or "–"
    return str(value)


@supervisor_required
def conflicts(request):
    """Edits based on a stale version of a record, side by side with the record."""
    page = Paginator(selectors.conflicts_open(), 20).get_page(request.GET.get("page"))
    items = [(conflict, _answer_rows(conflict)) for conflict in page]
    return render(request, "backoffice/field/conflicts.html", {
        "page": page, "items": items, "resolutions": Resolution.choices,
        "waiting": selectors.counts_waiting()})


@supervisor_required
@require_POST
def conflict_resolve(request, pk: int):
    conflict = FieldConflict.objects.select_related("record").filter(pk=pk).first()
    if conflict is None:
        messages.error(request, _("There is no such conflict."))
        return redirect("backoffice:field_conflicts")
    try:
        services.conflict_resolve(conflict=conflict, resolution=request.POST.get("resolution", ""),
                                  actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Conflict on record %(id)s resolved.") % {
            "id": conflict.record.instance_id})
    return redirect("backoffice:field_conflicts")


@supervisor_required
def outside(request):
    """Records whose point is in no ward: accepted, waiting for a supervisor to look."""
    page = Paginator(selectors.records_outside_wards(), 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/field/outside.html", {
        "page": page, "waiting": selectors.counts_waiting()})


@supervisor_required
@require_POST
def record_place(request, pk: int):
    """Put a record from outside every ward into the ward the supervisor names."""
    record = FieldRecord.objects.filter(pk=pk, outside_wards=True).first()
    form = PlaceForm(request.POST)  # refuses what no ward code holds (a NUL byte, say)
    code = form.cleaned_data["ward"] if form.is_valid() else ""
    ward = Ward.objects.filter(code__iexact=code).first() if code else None
    if record is None:
        messages.info(request, _("That record is no longer outside every ward."))
    elif ward is None:
        messages.error(request, _("There is no ward %(code)s.") % {"code": code or "–"})
    else:
        services.record_place(record=record, ward=ward, actor=request.user)
        messages.success(request, _("Record %(id)s placed in ward %(ward)s.") % {
            "id": record.instance_id, "ward": ward.code})
    return redirect("backoffice:field_outside")
