"""Staff pages of outreach meetings and commitments (interface only): parse,
authorise, call one service or selector of outreach.meetings, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.geo.models import Ward
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows
from imbizo.outreach import meeting_selectors as selectors
from imbizo.outreach import meetings
from imbizo.outreach.meeting_models import (
    SHOWN_STATUS_LABELS,
    CommitmentUpdate,
    MeetingStatus,
)

from . import forms

meeting_staff = permission_required(Permission.MEETING_MANAGE)
staff_required = permission_required(Permission.STAFF_AREA)


def _meeting_or_404(uid):
    try:
        return selectors.meeting_get(uid=uid)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _commitment_or_404(pk: int):
    try:
        return selectors.commitment_get(pk=pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


# --- meetings ----------------------------------------------------------------------------


@meeting_staff
def meeting_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    return render(request, "backoffice/meetings/list.html", {
        "meetings": selectors.meeting_staff_list(now=clock.now(), when=when), "when": when})


@meeting_staff
def meeting_plan(request):
    form = forms.MeetingPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.meeting_plan(
                actor=request.staff, title=data["title"], ward=data["ward"],
                region=data["region"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                place=data["place"], lat=data["lat"], lon=data["lon"], leaders=data["leaders"],
                departments=list(data["departments"]))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Meeting planned. It is on the ward page and in the "
                                        "calendar feeds now."))
            return redirect("backoffice:meeting", uid=meeting.uid)
    return render(request, "backoffice/meetings/plan.html", {"form": form})


def _row_wards(meeting):
    """Wards a row may choose: the region's, for a region's meeting; None for a ward's."""
    if meeting.region_id:
        return Ward.objects.filter(region_id=meeting.region_id).order_by("code")
    return None


def _record_forms(request, meeting, *, data=None, issue_rows=None, commitment_rows=None):
    wards = _row_wards(meeting)
    _departments, staff = selectors.commitment_owner_choices()
    initial = {"attendance_total": meeting.attendance_total,
               "attendance_women": meeting.attendance_women,
               "attendance_youth": meeting.attendance_youth, "summary": meeting.summary}
    issue_kwargs = {"wards": wards}
    commitment_kwargs = {"wards": wards, "staff": staff}
    issues = forms.IssueFormSet(data, prefix="issues", form_kwargs=issue_kwargs)
    commitments = forms.CommitmentFormSet(data, prefix="commitments",
                                          form_kwargs=commitment_kwargs)
    if issue_rows is not None:  # "add rows" without JavaScript: the same rows, more empty ones
        issues = forms.IssueFormSet(_with_more(data, "issues", issue_rows), prefix="issues",
                                    form_kwargs=issue_kwargs)
    if commitment_rows is not None:
        commitments = forms.CommitmentFormSet(_with_more(data, "commitments", commitment_rows),
                                              prefix="commitments", form_kwargs=commitment_kwargs)
    return forms.AttendanceForm(data, initial=initial), issues, commitments


def _with_more(data, prefix: str, rows: int):
    data = data.copy()
    data[f"{prefix}-TOTAL_FORMS"] = str(rows)
    return data


def _rows_wanted(data, prefix: str, limit: int) -> int:
    try:
        current = int(data.get(f"{prefix}-TOTAL_FORMS", "0"))
    except ValueError:
        current = 0
    return min(max(current, 0) + 5, limit)


@meeting_staff
def meeting_detail(request, uid):
    meeting = _meeting_or_404(uid)
    today = meetings.today()
    context = {
        "meeting": meeting, "now": clock.now(),
        "issues": selectors.meeting_issues(meeting=meeting),
        "commitments": selectors.meeting_commitments(meeting=meeting, on=today),
        "agenda": selectors.meeting_agenda(meeting=meeting, on=today),
        "labels": SHOWN_STATUS_LABELS, "cancel_form": forms.CancelForm(),
    }
    recordable = meeting.status != MeetingStatus.CANCELLED and meeting.starts_at <= clock.now()
    if recordable:
        data = request.POST if request.method == "POST" else None
        if data is not None and "more_issues" in data:
            attendance, issues, commitments = _record_forms(
                request, meeting, data=data,
                issue_rows=_rows_wanted(data, "issues", forms.IssueFormSet.max_num))
            return _record_page(request, context, attendance, issues, commitments, bound=False)
        if data is not None and "more_commitments" in data:
            attendance, issues, commitments = _record_forms(
                request, meeting, data=data,
                commitment_rows=_rows_wanted(data, "commitments",
                                             forms.CommitmentFormSet.max_num))
            return _record_page(request, context, attendance, issues, commitments, bound=False)
        attendance, issues, commitments = _record_forms(request, meeting, data=data)
        if data is not None and attendance.is_valid() and issues.is_valid() \
                and commitments.is_valid():
            saved = _record(request, meeting, attendance, issues, commitments)
            if saved:
                return redirect("backoffice:meeting", uid=meeting.uid)
        return _record_page(request, context, attendance, issues, commitments,
                            bound=data is not None)
    elif request.method == "POST":
        messages.error(request, _("This meeting cannot be recorded: it has not started, or it "
                                  "was cancelled."))
    return render(request, "backoffice/meetings/detail.html", context)


def _record_page(request, context, attendance, issues, commitments, *, bound: bool):
    context.update({"attendance": attendance, "issue_forms": issues,
                    "commitment_forms": commitments, "recordable": True})
    return render(request, "backoffice/meetings/detail.html", context,
                  status=422 if bound else 200)


def _record(request, meeting, attendance, issues, commitments) -> bool:
    issue_rows = [(i, form) for i, form in enumerate(issues.forms)
                  if form.cleaned_data and (form.cleaned_data.get("reference")
                                            or form.cleaned_data.get("service"))]
    commitment_rows = [(i, form) for i, form in enumerate(commitments.forms)
                       if form.cleaned_data and not form.is_blank()]
    entries = [meetings.IssueEntry(
        service_code=form.cleaned_data["service"].code if form.cleaned_data.get("service") else "",
        description=form.cleaned_data.get("description", ""),
        address=form.cleaned_data.get("address", ""),
        ward_code=form.cleaned_data["ward"].code if form.cleaned_data.get("ward") else "",
        reference=form.cleaned_data.get("reference", "")) for _i, form in issue_rows]
    promised = [meetings.CommitmentEntry(
        text=form.cleaned_data["text"], due_on=form.cleaned_data.get("due_on"),
        owner_department=form.cleaned_data.get("owner_department"),
        owner_staff=form.cleaned_data.get("owner_staff"),
        made_by=form.cleaned_data.get("made_by", ""),
        wards=tuple(form.cleaned_data.get("wards") or ())) for _i, form in commitment_rows]
    data = attendance.cleaned_data
    try:
        meetings.meeting_record(
            meeting=meeting, actor=request.staff, attendance_total=data["attendance_total"],
            attendance_women=data.get("attendance_women"),
            attendance_youth=data.get("attendance_youth"), summary=data.get("summary", ""),
            issues=entries, commitments=promised)
    except meetings.RowError as exc:
        rows = issue_rows if exc.section == "issues" else commitment_rows
        form = rows[exc.row][1]
        field = {"owner": "owner_department", "location": "address", "ward": "ward"}.get(
            exc.field, exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        messages.error(request, _("Nothing was saved: one row needs correcting (marked below)."))
        return False
    except DomainError as exc:
        attendance.add_error(exc.field if exc.field in attendance.fields else None, exc.message)
        return False
    messages.success(request, _("Meeting recorded. Issues saved: %(issues)d; commitments "
                                "saved: %(commitments)d.")
                     % {"issues": len(entries), "commitments": len(promised)})
    return True


@require_POST
@meeting_staff
def meeting_cancel(request, uid):
    meeting = _meeting_or_404(uid)
    form = forms.CancelForm(request.POST)
    if form.is_valid():
        try:
            meetings.meeting_cancel(meeting=meeting, actor=request.staff,
                                    reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Meeting cancelled; the public pages and calendars "
                                        "say so."))
    else:
        messages.error(request, _("Say why the meeting is cancelled."))
    return redirect("backoffice:meeting", uid=meeting.uid)


# --- commitments ----------------------------------------------------------------------------


@staff_required
def commitment_list(request):
    form = forms.CommitmentFilterForm(request.GET or None,
                                      statuses=list(SHOWN_STATUS_LABELS.items()))
    filters = selectors.CommitmentFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CommitmentFilter(
            ward=data.get("ward"), status=data.get("status") or "",
            department_id=data["department"].pk if data.get("department") else None,
            owner_staff_id=request.staff.pk if data.get("mine") else None,
            text=data.get("q") or "")
    rows = list(selectors.commitment_list(filters=filters)[:200])
    wards = selectors.commitment_wards(commitments=rows)
    for row in rows:
        row.ward_list = wards.get(row.pk, [])
    return render(request, "backoffice/meetings/commitments.html", {
        "form": form, "commitments": rows, "labels": SHOWN_STATUS_LABELS,
        "counts": selectors.commitment_counts()})


@staff_required
def commitment_detail(request, pk: int):
    commitment = _commitment_or_404(pk)
    may_update = (staff_allows(request.staff, Permission.COMMITMENT_UPDATE)
                  and meetings.commitment_may_update(request.staff, commitment))
    return render(request, "backoffice/meetings/commitment.html", _commitment_context(
        commitment, may_update=may_update,
        form=forms.CommitmentUpdateForm(allowed=sorted(meetings.MOVES[commitment.status])),
        due_form=forms.DueChangeForm(initial={"due_on": commitment.due_on})))


def _commitment_context(commitment, *, may_update, form, due_form) -> dict:
    return {"commitment": commitment, "updates": selectors.commitment_updates(
        commitment=commitment), "wards": selectors.commitment_wards(
        commitments=[commitment]).get(commitment.pk, []), "labels": SHOWN_STATUS_LABELS,
        "may_update": may_update, "form": form, "due_form": due_form}


@require_POST
@permission_required(Permission.COMMITMENT_UPDATE)
def commitment_update(request, pk: int):
    commitment = _commitment_or_404(pk)
    if not meetings.commitment_may_update(request.staff, commitment):
        raise PermissionDenied(_("Only the owner of this promise, or their department, may "
                                 "report on it."))
    form = forms.CommitmentUpdateForm(request.POST, request.FILES,
                                      allowed=sorted(meetings.MOVES[commitment.status]))
    if form.is_valid():
        data = form.cleaned_data
        try:
            meetings.commitment_update(
                commitment=commitment, actor=request.staff, status=data["status"],
                note=data["note"], case_reference=data["case_reference"], photo=data["photo"],
                dropped_reason=data["dropped_reason"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Report-back saved; it is on the public pages now."))
            return redirect("backoffice:commitment", pk=commitment.pk)
    return render(request, "backoffice/meetings/commitment.html", _commitment_context(
        commitment, may_update=True, form=form,
        due_form=forms.DueChangeForm(initial={"due_on": commitment.due_on})), status=422)


@require_POST
@permission_required(Permission.COMMITMENT_UPDATE)
def commitment_due(request, pk: int):
    commitment = _commitment_or_404(pk)
    if not meetings.commitment_may_update(request.staff, commitment):
        raise PermissionDenied(_("Only the owner of this promise, or their department, may "
                                 "report on it."))
    form = forms.DueChangeForm(request.POST)
    if form.is_valid():
        try:
            meetings.commitment_due_change(commitment=commitment, actor=request.staff,
                                           due_on=form.cleaned_data["due_on"],
                                           note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Due date moved; the reason is public."))
            return redirect("backoffice:commitment", pk=commitment.pk)
    return render(request, "backoffice/meetings/commitment.html", _commitment_context(
        commitment, may_update=True,
        form=forms.CommitmentUpdateForm(allowed=sorted(meetings.MOVES[commitment.status])),
        due_form=form), status=422)


@staff_required
def commitment_photo(request, pk: int):
    """A report-back's photo, for staff only (it may show people)."""
    update = CommitmentUpdate.objects.filter(pk=pk).exclude(photo="").first()
    if update is None:
        raise Http404
    response = FileResponse(update.photo.open("rb"), content_type=update.photo_content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response

