"""Staff pages of the service quality programme (interface only): parse,
authorise, call one quality service or selector, render."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.cases.selectors import case_get_for
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.limits import LINE_MAX
from imbizo.org.authorisation import permission_required
from imbizo.org.models import Office
from imbizo.org.permissions import Permission
from imbizo.quality import access, services
from imbizo.quality import selectors as quality
from imbizo.quality.cycle import plan_open, steps_allowed
from imbizo.quality.errors import QualityError
from imbizo.quality.figures import PERCENT_METRICS
from imbizo.quality.models import ActionSource, StoryOutcome, VisitCycle

from . import forms

# Any signed-in staff member (see imbizo.org.authorisation for the gate).
staff_required = permission_required(Permission.STAFF_AREA)


def _read(call, **kwargs):
    """A selector's answer, or 403/404 for a DomainError."""
    try:
        return call(**kwargs)
    except DomainError as exc:
        if exc.code == QualityError.FORBIDDEN:
            raise PermissionDenied(exc.message) from exc
        raise Http404(exc.message) from exc


def _require(request, permission: str) -> None:
    if not access.can(request.staff, permission):
        raise PermissionDenied(_("Your role does not allow this in the quality programme."))


def _run(request, call, success: str, form=None) -> bool:
    """Call a service; report its DomainError on the form (by field) or as a message."""
    try:
        call()
    except DomainError as exc:
        if form is not None and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@staff_required
def home(request):
    staff = request.staff
    return render(request, "backoffice/quality/home.html", {
        "can": {p: access.can(staff, p) for p in ("view", "run_visits", "plan", "focus_groups",
                                                  "candidates", "write_stories")},
        "cycles": quality.cycle_list(staff=staff, open_only=True)[:10],
        "my_actions": quality.action_list(staff=staff, mine=True)[:10],
        "my_visits": quality.my_visits(staff=staff),
    })


# --- cycles and visits -------------------------------------------------------------------------


@staff_required
def cycles(request):
    _require(request, "view")
    staff = request.staff
    return render(request, "backoffice/quality/cycles.html", {
        "cycles": quality.cycle_list(staff=staff)[:100],
        "offices": quality.offices_visited(staff=staff),
        "form": forms.CycleStartForm(offices=quality.offices_managed(staff=staff))
        if access.can(staff, "run_visits") else None,
    })


@require_POST
@staff_required
def cycle_start(request):
    form = forms.CycleStartForm(request.POST, offices=quality.offices_managed(staff=request.staff))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("backoffice:quality_cycles")
    started = {}

    def call():
        started["cycle"] = services.cycle_start(office=form.cleaned_data["office"],
                                                actor=request.staff,
                                                checklist=form.cleaned_data["checklist"])

    if _run(request, call, _("Visit cycle started: record the baseline visit.")):
        return redirect("backoffice:quality_cycle", pk=started["cycle"].pk)
    return redirect("backoffice:quality_cycles")


@staff_required
def cycle_detail(request, pk: int):
    cycle = _read(quality.cycle_get_for, staff=request.staff, pk=pk)
    manages = access.manages_office(request.staff, cycle.office)
    return render(request, "backoffice/quality/cycle.html", {
        "cycle": cycle, "manages": manages,
        "next_steps": {step.value for step in steps_allowed(cycle.stage)},
        "plan_open": plan_open(cycle.stage),
        "steps": cycle.steps.select_related("actor__user"),
        "visits": cycle.visits.select_related("visitor__user"),
        "actions": cycle.actions.select_related("owner__user"),
        "comparison": quality.cycle_comparison(cycle=cycle),
        "feedback_form": forms.FeedbackForm(initial={"held_on": clock.now().date()}),
        "plan_form": forms.PlanForm(), "cancel_form": forms.ReasonForm(),
    })


def _cycle_visit(request, cycle: VisitCycle, data):
    visit = services.visit_begin(actor=request.staff, cycle_row=cycle)
    return redirect("backoffice:quality_visit", pk=visit.pk)


CYCLE_STEPS = {
    "feedback": (forms.FeedbackForm, lambda request, cycle, data: services.cycle_feedback_hold(
        cycle_row=cycle, actor=request.staff, held_on=data["held_on"], notes=data["notes"])),
    "plan": (forms.PlanForm, lambda request, cycle, data: services.cycle_plan_agree(
        cycle_row=cycle, actor=request.staff, revisit_after=data["revisit_after"],
        note=data["note"])),
    "cancel": (forms.ReasonForm, lambda request, cycle, data: services.cycle_cancel(
        cycle_row=cycle, actor=request.staff, reason=data["reason"])),
}


@require_POST
@staff_required
def cycle_step(request, pk: int, step: str):
    cycle = _read(quality.cycle_get_for, staff=request.staff, pk=pk)
    if step == "visit":
        try:
            return _cycle_visit(request, cycle, request.POST)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:quality_cycle", pk=pk)
    if step not in CYCLE_STEPS:
        raise Http404
    form_class, call = CYCLE_STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        _run(request, lambda: call(request, cycle, form.cleaned_data), _("Done."))
    else:
        _form_errors(request, form)
    return redirect("backoffice:quality_cycle", pk=pk)


@staff_required
def visit_as_citizen(request):
    form = forms.CitizenVisitForm(request.POST or None, staff=request.staff,
                                  initial={"visited_at": clock.now()})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_begin(actor=request.staff, office=form.cleaned_data["office"],
                                         visited_at=form.cleaned_data["visited_at"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("backoffice:quality_visit", pk=visit.pk)
    return render(request, "backoffice/quality/visit_as_citizen.html", {"form": form})


@staff_required
def visit_detail(request, pk: int):
    visit = _read(quality.visit_get_for, staff=request.staff, pk=pk)
    sheet = quality.visit_sheet(visit=visit)
    editable = not visit.submitted and visit.visitor_id == request.staff.pk
    items = [entry.item for _area, entries in sheet for entry in entries]
    initial = {"visited_at": visit.visited_at, "summary": visit.summary}
    for _area, entries in sheet:
        for entry in entries:
            initial[f"score_{entry.item.pk}"] = entry.score.score
            initial[f"evidence_{entry.item.pk}"] = entry.score.evidence
    form = forms.VisitSheetForm(request.POST or None, request.FILES or None, items=items,
                                initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("This visit can no longer be changed."))
        if form.is_valid():
            submit = "submit" in request.POST

            def call():
                services.visit_record(visit=visit, actor=request.staff, entries=form.entries(),
                                      summary=form.cleaned_data["summary"],
                                      visited_at=form.cleaned_data["visited_at"],
                                      photos=form.photos())
                if submit:
                    services.visit_submit(visit=visit, actor=request.staff)

            if _run(request, call, _("Visit submitted: its scores are final.") if submit
                    else _("Saved. You can come back to it before submitting.")):
                if submit and visit.cycle_id:
                    return redirect("backoffice:quality_cycle", pk=visit.cycle_id)
                return redirect("backoffice:quality_visit", pk=visit.pk)
    card = quality.visit_card(visit, scores=[entry.score for _area, entries in sheet
                                             for entry in entries]) if visit.submitted else None
    # After a refused save, show what the visitor entered, not what is stored.
    entered = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return render(request, "backoffice/quality/visit.html", {
        "visit": visit, "form": form, "editable": editable, "card": card,
        "sheet": [(area, [(entry, entered.get(f"score_{entry.item.pk}", entry.score.score),
                           entered.get(f"evidence_{entry.item.pk}", entry.score.evidence))
                          for entry in entries], card.areas.get(area) if card else None)
                  for area, entries in sheet],
    })


@staff_required
def visit_photo(request, pk: int):
    """A visit's evidence photo, for staff who may read the visit (never public)."""
    photo = _read(quality.photo_get_for, staff=request.staff, pk=pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@staff_required
def scorecard(request, code: str):
    _require(request, "view")
    office = Office.objects.filter(access.office_scope(request.staff, path=""), code=code).first()
    if office is None:
        raise Http404
    return render(request, "backoffice/quality/scorecard.html", {
        "card": quality.office_scorecard(staff=request.staff, office=office)})


# --- actions -----------------------------------------------------------------------------------


@staff_required
def actions(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    mine = request.GET.get("mine") == "1"
    return render(request, "backoffice/quality/actions.html", {
        "actions": quality.action_list(staff=request.staff, status=status, mine=mine)[:200],
        "status": status, "mine": mine, "can_plan": access.can(request.staff, "plan"),
        "percent_metrics": PERCENT_METRICS,
    })


def _action_initial(request) -> dict:
    """Prefill from the page the action comes from (a cycle, case or focus group)."""
    initial = {"owner": request.staff.pk, "window_days": 60,
               "due_on": (clock.now() + timedelta(days=30)).date()}
    for key in ("cycle", "focus_group", "case", "source", "principle", "metric"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if request.GET.get("cycle", "").isdigit():
        initial.setdefault("source", ActionSource.VISIT)
        cycle = _read(quality.cycle_get_for, staff=request.staff, pk=int(request.GET["cycle"]))
        initial["office"] = cycle.office.code
    if request.GET.get("focus_group", "").isdigit():
        initial.setdefault("source", ActionSource.FOCUS_GROUP)
        group = _read(quality.focus_group_get_for, staff=request.staff,
                      pk=int(request.GET["focus_group"]))
        initial["office"] = group.office.code if group.office_id else None
        initial["service"] = group.service.code if group.service_id else None
    if request.GET.get("case"):
        try:
            case = case_get_for(viewer=request.staff, reference=request.GET["case"])
        except DomainError:
            case = None
        if case is not None:
            initial["office"] = case.office.code if case.office_id else None
            initial["service"] = case.service.code
            initial["title"] = case.root_cause[:LINE_MAX]
            if case.principles:
                initial.setdefault("principle", case.principles[0])
    if request.GET.get("office"):
        initial["office"] = request.GET["office"]
    return initial


def _action_draft(request, data) -> services.ActionDraft:
    """The draft from a valid form, resolving the source it names (in scope)."""
    cycle = focus_group = case = None
    if data.get("cycle"):
        cycle = _read(quality.cycle_get_for, staff=request.staff, pk=data["cycle"])
    if data.get("focus_group"):
        focus_group = _read(quality.focus_group_get_for, staff=request.staff,
                            pk=data["focus_group"])
    if data.get("case"):
        case = case_get_for(viewer=request.staff, reference=data["case"])
    return services.ActionDraft(
        title=data["title"], detail=data["detail"], owner=data["owner"], due_on=data["due_on"],
        principle=data["principle"], metric=data["metric"], source=data["source"],
        office=data["office"], service=data["service"], ward=data["ward"],
        target=data["target"], window_days=data["window_days"], cycle=cycle,
        focus_group=focus_group, case=case)


@staff_required
def action_new(request):
    _require(request, "plan")
    offices = quality.offices_managed(staff=request.staff)
    form = forms.ActionForm(request.POST or None, staff=request.staff, offices=offices,
                            initial=_action_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(draft=_action_draft(request, form.cleaned_data),
                                            actor=request.staff)
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error("case" if exc.field == "reference" else field, exc.message)
        else:
            messages.success(request, _("Action agreed. Its figure before is already known."))
            if action.cycle_id:
                return redirect("backoffice:quality_cycle", pk=action.cycle_id)
            return redirect("backoffice:quality_action", pk=action.pk)
    return render(request, "backoffice/quality/action_new.html", {"form": form})


@staff_required
def action_detail(request, pk: int):
    action = _read(quality.action_get_for, staff=request.staff, pk=pk)
    return render(request, "backoffice/quality/action.html", {
        "action": action, "evidence": quality.action_evidence(action=action),
        "percent": action.metric in PERCENT_METRICS,
        "may_close": action.is_open and access.may_close_action(request.staff, action),
        "close_form": forms.CloseForm(), "cancel_form": forms.ReasonForm(),
    })


@require_POST
@staff_required
def action_close(request, pk: int, how: str):
    action = _read(quality.action_get_for, staff=request.staff, pk=pk)
    if how == "close":
        form = forms.CloseForm(request.POST)

        def call():
            services.action_close(action=action, actor=request.staff,
                                  note=form.cleaned_data["note"])

        done = _("Closed on the evidence.")
    elif how == "cancel":
        form = forms.ReasonForm(request.POST)

        def call():
            services.action_cancel(action=action, actor=request.staff,
                                   reason=form.cleaned_data["reason"])

        done = _("Action cancelled.")
    else:
        raise Http404
    if form.is_valid():
        _run(request, call, done)
    else:
        _form_errors(request, form)
    return redirect("backoffice:quality_action", pk=pk)


@staff_required
def action_sources(request):
    _require(request, "plan")
    return render(request, "backoffice/quality/action_sources.html", {
        "sources": quality.action_sources(staff=request.staff,
                                          since=clock.now() - timedelta(days=90))})


# --- focus groups ------------------------------------------------------------------------------


@staff_required
def focus_groups(request):
    _require(request, "view")
    offices = quality.offices_managed(staff=request.staff)
    form = forms.FocusGroupForm(request.POST or None, offices=offices)
    if request.method == "POST":
        _require(request, "focus_groups")
        if form.is_valid():
            data, made = form.cleaned_data, {}

            def call():
                made["group"] = services.focus_group_create(
                    actor=request.staff, topic=data["topic"], held_on=data["held_on"],
                    participants=data["participants"], office=data["office"],
                    service=data["service"], notes=data["notes"])

            if _run(request, call, _("Session recorded: capture what the group said."), form):
                return redirect("backoffice:quality_focus_group", pk=made["group"].pk)
    return render(request, "backoffice/quality/focus_groups.html", {
        "groups": quality.focus_group_list(staff=request.staff)[:100], "form": form,
        "can_hold": access.can(request.staff, "focus_groups")})


@staff_required
def focus_group_detail(request, pk: int):
    group = _read(quality.focus_group_get_for, staff=request.staff, pk=pk)
    questions = list(group.questions.all())
    form = forms.FocusAnswersForm(request.POST or None, questions=questions,
                                  initial={"notes": group.notes})
    if request.method == "POST" and form.is_valid():
        def call():
            services.focus_group_record(group=group, actor=request.staff, answers=form.answers(),
                                        notes=form.cleaned_data["notes"],
                                        new_question=form.cleaned_data["new_question"])

        if _run(request, call, _("Saved.")):
            return redirect("backoffice:quality_focus_group", pk=pk)
    return render(request, "backoffice/quality/focus_group.html", {
        "group": group, "form": form, "actions": group.actions.all(),
        "can_plan": access.can(request.staff, "plan")})


# --- recognition -------------------------------------------------------------------------------


def _candidates_window():
    until = clock.now()
    return until - timedelta(days=90), until


@staff_required
def recognition(request):
    _require(request, "wall")
    staff = request.staff
    offices = Office.objects.filter(access.office_scope(staff, path="")).order_by("name")
    initial = {key: request.GET[key] for key in ("staff", "office") if request.GET.get(key)}
    form = forms.NominationForm(request.POST or None, staff=staff, offices=offices,
                                initial=initial)
    if request.method == "POST":
        _require(request, "nominate")
        if form.is_valid():
            data = form.cleaned_data
            if _run(request, lambda: services.nomination_create(
                    actor=staff, staff=data["staff"], office=data["office"],
                    reason=data["reason"]), _("Nominated. They are told, and decide whether it "
                                              "appears on the public site."), form):
                return redirect("backoffice:quality_recognition")
    since, until = _candidates_window()
    return render(request, "backoffice/quality/recognition.html", {
        "wall": quality.wall(),
        "candidates": quality.candidates(staff=staff, since=since, until=until)
        if access.can(staff, "candidates") else None,
        "form": form if access.can(staff, "nominate") else None,
    })


@staff_required
def my_recognition(request):
    return render(request, "backoffice/quality/my_recognition.html", {
        "nominations": quality.my_nominations(staff=request.staff)})


@require_POST
@staff_required
def nomination_act(request, pk: int, how: str):
    nomination = _read(quality.nomination_get_for, staff=request.staff, pk=pk)
    if how in ("consent", "decline"):
        _run(request, lambda: services.nomination_consent(
            nomination=nomination, actor=request.staff, consent=how == "consent"),
            _("Thank you: your choice is saved."))
        return redirect("backoffice:quality_my_recognition")
    if how == "withdraw":
        _run(request, lambda: services.nomination_withdraw(nomination=nomination,
                                                           actor=request.staff),
             _("Nomination withdrawn."))
        return redirect("backoffice:quality_recognition")
    raise Http404


# --- learning ----------------------------------------------------------------------------------


@staff_required
def learning(request):
    return render(request, "backoffice/quality/learning.html", {
        "record": quality.my_learning(staff=request.staff),
        "written": quality.stories_written(staff=request.staff)[:50],
        "can_write": access.can(request.staff, "write_stories"),
    })


@staff_required
def story_new(request):
    _require(request, "write_stories")
    reference = (request.POST.get("reference") or request.GET.get("reference", "")).strip()
    case = None
    if reference:
        try:
            case = quality.story_case_for(staff=request.staff, reference=reference)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:quality_learning")
    initial = {}
    if case is not None:
        title, text = quality.story_draft(case=case)
        initial = {"reference": case.reference, "title": title, "text": text, "publish": True,
                   "key_principle": (case.principles or [""])[0]}
    form = forms.StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and case is not None and form.is_valid():
        data, made = form.cleaned_data, {}

        def call():
            made["story"] = services.story_create(
                actor=request.staff, case=case, title=data["title"], text=data["text"],
                key_outcome=data["key_outcome"], key_principle=data["key_principle"],
                key_strategy=data["key_strategy"], explanation=data["explanation"],
                publish=data["publish"])

        if _run(request, call, _("Story saved."), form):
            return redirect("backoffice:quality_story", pk=made["story"].pk)
    return render(request, "backoffice/quality/story_new.html", {"form": form, "case": case})


@staff_required
def story_detail(request, pk: int):
    story = _read(quality.story_get_for, staff=request.staff, pk=pk)
    answer = quality.answer_for(staff=request.staff, story=story)
    form = forms.StoryAnswerForm(request.POST or None)
    if request.method == "POST" and answer is None and form.is_valid():
        data = form.cleaned_data
        if _run(request, lambda: services.story_answer(
                story=story, actor=request.staff, outcome=data["outcome"],
                principle=data["principle"], strategy=data["strategy"]),
                _("Answer kept in your learning record."), form):
            return redirect("backoffice:quality_story", pk=pk)
    return render(request, "backoffice/quality/story.html", {
        "story": story, "answer": answer, "form": form, "failure": StoryOutcome.FAILURE,
        "is_author": story.created_by_id == request.staff.pk,
        "publish_url": reverse("backoffice:quality_story_publish", args=[story.pk]),
    })


@require_POST
@staff_required
def story_publish(request, pk: int):
    story = _read(quality.story_get_for, staff=request.staff, pk=pk)
    _run(request, lambda: services.story_publish(story=story, actor=request.staff),
         _("Published: staff can now answer it."))
    return redirect("backoffice:quality_story", pk=pk)
