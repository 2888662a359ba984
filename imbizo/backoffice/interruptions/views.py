"""Staff pages for service interruptions (interface only): parse, authorise,
call one outreach service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows
from imbizo.outreach import interruption_selectors as selectors
from imbizo.outreach import interruptions as services
from imbizo.outreach.interruption_models import InterruptionStatus

from . import forms

staff_required = permission_required(Permission.STAFF_AREA)
manager_required = permission_required(Permission.INTERRUPTION_MANAGE)


def _get(pk: int):
    interruption = selectors.interruption_get(pk=pk)
    if interruption is None:
        raise Http404(_("There is no such interruption."))
    return interruption


def _on_form(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@staff_required
def interruption_list(request):
    status = request.GET.get("status", "")
    if status not in InterruptionStatus.values:
        status = ""
    rows = list(selectors.interruption_list_staff(status=status)[:200])
    return render(request, "backoffice/interruptions/list.html", {
        "interruptions": rows, "status": status, "statuses": InterruptionStatus.choices,
        "may_manage": staff_allows(request.staff, Permission.INTERRUPTION_MANAGE),
    })


@manager_required
def interruption_new(request):
    form = forms.InterruptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ward_ids = [w.pk for w in data["wards"]]
            if data["area"] is not None:
                ward_ids = sorted({*ward_ids, *services.ward_ids_for_area(data["area"])})
            draft = services.InterruptionDraft(
                service=data["service"], ward_ids=ward_ids, kind=data["kind"],
                title=data["title"], public_text=data["public_text"],
                starts_at=data["starts_at"],
                expected_restoration_at=data["expected_restoration_at"],
                priority=data["priority"], area=data["area"])
            problems = services.draft_problems(draft)
            for problem in problems:
                _on_form(form, problem)
            if not problems:
                interruption = services.interruption_create(draft=draft, actor=request.staff)
                messages.success(request, _("Interruption recorded: %(title)s.")
                                 % {"title": interruption.title})
                return redirect("backoffice:interruption", pk=interruption.pk)
        except DomainError as exc:
            _on_form(form, exc)
    return render(request, "backoffice/interruptions/new.html", {
        "form": form, "map_tiles_url": settings.MAP_TILES_URL})


@staff_required
def interruption_detail(request, pk: int):
    interruption = _get(pk)
    return render(request, "backoffice/interruptions/detail.html", {
        "interruption": interruption,
        "updates": selectors.interruption_updates(interruption),
        "links": list(selectors.interruption_linked_cases(interruption)[:500]),
        "target": services.restoration_target(interruption),
        "started": interruption.starts_at <= clock.now(),
        "may_manage": staff_allows(request.staff, Permission.INTERRUPTION_MANAGE),
        "update_form": forms.UpdateForm(), "restore_form": forms.RestoreForm(),
        "cancel_form": forms.CancelForm(),
    })


def _act(request, pk: int, form_class, call, success: str):
    interruption = _get(pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(interruption, form.cleaned_data)
        except DomainError as exc:
            _on_form(form, exc)
        else:
            messages.success(request, success)
            return redirect("backoffice:interruption", pk=pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("backoffice:interruption", pk=pk)


@require_POST
@manager_required
def interruption_update(request, pk: int):
    return _act(request, pk, forms.UpdateForm, lambda i, d: services.interruption_update(
        interruption=i, actor=request.staff, text=d["text"],
        expected_restoration_at=d["expected_restoration_at"]), _("Update published."))


@require_POST
@manager_required
def interruption_restore(request, pk: int):
    return _act(request, pk, forms.RestoreForm, lambda i, d: services.interruption_restore(
        interruption=i, actor=request.staff, restored_at=d["restored_at"], text=d["text"]),
        _("Restored. Linked reports are resolved."))


@require_POST
@manager_required
def interruption_cancel(request, pk: int):
    return _act(request, pk, forms.CancelForm, lambda i, d: services.interruption_cancel(
        interruption=i, actor=request.staff, text=d["text"]), _("Interruption called off."))
