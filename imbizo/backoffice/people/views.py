"""The people pages: one's own development ("My development"), a person's
record as their manager sees it, assessing, the development plan, the team
of the people who report to one, the framework, and the institution's
aggregates.

Whose record may be opened is decided by people.access (the person and their
manager only, ADR 0035); every view of someone else's record is logged.
The rules are the services'; these views only turn forms into calls.
"""

import json

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.cases.models import Case
from imbizo.core.errors import DomainError
from imbizo.core.evidence import min_answers_shown
from imbizo.engagement.models import Contact, Response
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission
from imbizo.people import access, assessments, figures, plans
from imbizo.people import export as people_export
from imbizo.people.evidence import EvidenceKind, evidence_candidates
from imbizo.people.framework import competencies_of, current_version
from imbizo.people.framework_models import Activity
from imbizo.people.plan_models import PlanItem

from .forms import AssessmentForm, PlanItemAddForm, PlanItemUpdateForm, PlanStartForm

development_required = permission_required(Permission.PEOPLE_DEVELOPMENT)
figures_required = permission_required(Permission.PEOPLE_FIGURES)

# How many entries of the access log the person's page shows.
RECORD_VIEWS_SHOWN = 10


def _record_context(request, subject) -> dict:
    """What the record page shows of `subject` (own or as their manager)."""
    me = request.staff
    own = subject.pk == me.pk
    history = assessments.assessments_of(subject)
    gap = assessments.gap_of(history)
    plan = plans.open_plan(subject)
    current = {row.code: row.self_rank or max(row.others.values(), default=1) for row in gap}
    activities = plans.activities_for(current)
    if plan is not None:
        chosen = {item.activity_id for item in plan.items.all()}
        activities = [a for a in activities if a.pk not in chosen]
    candidates = evidence_candidates(subject)
    return {
        "subject": subject, "own": own, "is_manager": subject.manager_id == me.pk,
        "assessments": history, "gap": gap, "history": assessments.history_of(history),
        "kinds": assessments.kinds_for(me, subject),
        "plan": plan, "start_form": PlanStartForm(),
        "add_form": PlanItemAddForm(activities=activities,
                                    initial={"due_on": timezone.localdate()}),
        "item_form": PlanItemUpdateForm(candidates=candidates),
        "candidates": candidates, "today": timezone.localdate(),
        "record_views": access.record_views_of(subject, limit=RECORD_VIEWS_SHOWN) if own else (),
        "team_size": access.team_of(me).count() if own else 0,
        "manager": subject.manager if subject.manager_id else None,
    }


@development_required
def home(request):
    """My development: the signed-in person's own record."""
    me = request.staff
    return render(request, "backoffice/people/home.html", _record_context(request, me))


@development_required
def person(request, staff_id: int):
    """A person's record: the person's own, or as their manager sees it (logged)."""
    subject = access.subject_or_403(request, staff_id, what="record")
    if subject.pk == request.staff.pk:
        return redirect("backoffice:people_home")
    return render(request, "backoffice/people/home.html", _record_context(request, subject))


def _record_url(request, subject) -> str:
    if subject.pk == request.staff.pk:
        return reverse("backoffice:people_home")
    return reverse("backoffice:people_person", args=[subject.pk])


@development_required
def assess(request, staff_id: int):
    """Record an assessment: the person of themself; the manager theirs, a
    colleague's or the clients' view."""
    subject = access.subject_or_403(request, staff_id, what="assessment form")
    kinds = assessments.kinds_for(request.staff, subject)
    version = current_version()
    if not kinds or version is None:
        messages.error(request, _("There is nothing you can assess here."))
        return redirect(_record_url(request, subject))
    competencies = competencies_of(version)
    form_args = {"kinds": kinds, "competencies": competencies,
                 "candidates": evidence_candidates(subject)}
    if request.method == "POST":
        form = AssessmentForm(request.POST, **form_args)
        if form.is_valid():
            try:
                assessments.assessment_create(
                    author=request.staff, subject=subject, kind=form.cleaned_data["kind"],
                    levels=form.levels(), evidence=form.cleaned_data["evidence"],
                    note=form.cleaned_data["note"], assessed_on=form.cleaned_data["assessed_on"])
            except DomainError as error:
                target = error.field if error.field in form.fields else None
                form.add_error(target, error.message)
            else:
                messages.success(request, _("Assessment saved."))
                return redirect(_record_url(request, subject))
    else:
        form = AssessmentForm(**form_args)
    return render(request, "backoffice/people/assess.html", {
        "subject": subject, "own": subject.pk == request.staff.pk, "form": form,
        "version": version, "back": _record_url(request, subject)}, status=400 if form.errors else 200)


def _plan_action(request, staff_id, action):
    """Run `action(subject)` for a plan form; report its error as a message."""
    subject = access.subject_or_403(request, staff_id, what="development plan")
    try:
        with transaction.atomic():
            done = action(subject)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if done:
            messages.success(request, done)
    return redirect(_record_url(request, subject) + "#plan")


@require_POST
@development_required
def plan_start(request, staff_id: int):
    form = PlanStartForm(request.POST)

    def act(subject):
        if not form.is_valid():
            raise DomainError("invalid", " ".join(e for errs in form.errors.values() for e in errs))
        plans.plan_start(actor=request.staff, subject=subject, goal=form.cleaned_data["goal"])
        return _("Plan started: add activities from the library.")

    return _plan_action(request, staff_id, act)


@require_POST
@development_required
def plan_add(request, staff_id: int):
    activities = Activity.objects.filter(active=True)
    form = PlanItemAddForm(request.POST, activities=activities)

    def act(subject):
        if not form.is_valid():
            raise DomainError("invalid", " ".join(
                f"{form.fields[name].label}: {e}" for name, errs in form.errors.items() for e in errs))
        plan = plans.plan_start(actor=request.staff, subject=subject)
        item = plans.plan_item_add(actor=request.staff, plan=plan,
                                   activity_id=form.cleaned_data["activity"],
                                   due_on=form.cleaned_data["due_on"])
        return _("“%(title)s” added to the plan.") % {"title": item.activity.title}

    return _plan_action(request, staff_id, act)


@require_POST
@development_required
def plan_agree(request, staff_id: int):
    def act(subject):
        plan = plans.open_plan(subject)
        if plan is None:
            raise DomainError("no_plan", _("There is no plan to agree yet."))
        plans.plan_agree(actor=request.staff, plan=plan)
        return _("Your agreement is recorded.")

    return _plan_action(request, staff_id, act)


@require_POST
@development_required
def plan_close(request, staff_id: int):
    def act(subject):
        plan = plans.open_plan(subject)
        if plan is None:
            raise DomainError("no_plan", _("There is no open plan."))
        plans.plan_close(actor=request.staff, plan=plan)
        return _("Plan closed. Start the next one when you are ready.")

    return _plan_action(request, staff_id, act)


@require_POST
@development_required
def plan_item(request, staff_id: int, item_id: int):
    def act(subject):
        item = (PlanItem.objects.select_related("plan", "activity")
                .filter(pk=item_id, plan__subject=subject).first())
        if item is None:
            raise DomainError("not_found", _("This activity is not in the plan any more."))
        if request.POST.get("remove"):
            plans.plan_item_remove(actor=request.staff, item=item)
            return _("“%(title)s” removed from the plan.") % {"title": item.activity.title}
        form = PlanItemUpdateForm(request.POST, candidates=evidence_candidates(subject))
        if not form.is_valid():
            raise DomainError("invalid", " ".join(
                f"{form.fields[name].label}: {e}" for name, errs in form.errors.items() for e in errs))
        plans.plan_item_update(actor=request.staff, item=item, status=form.cleaned_data["status"],
                               note=form.cleaned_data["note"],
                               evidence=form.cleaned_data["evidence"])
        return _("“%(title)s” updated.") % {"title": item.activity.title}

    return _plan_action(request, staff_id, act)


@development_required
def team(request):
    """The people who report to the signed-in person, with their plans."""
    rows = plans.team_plans(access.team_of(request.staff))
    return render(request, "backoffice/people/team.html", {"rows": rows, "today": timezone.localdate()})


@development_required
def framework_page(request):
    """The framework in use and the activity library, for everyone to read."""
    version = current_version()
    return render(request, "backoffice/people/framework.html", {
        "version": version, "competencies": competencies_of(version) if version else [],
        "activities": Activity.objects.filter(active=True).order_by("competency_code", "level",
                                                                     "order")})


@figures_required
def figures_page(request):
    """The institution's aggregates: no person's record, no small group."""
    return render(request, "backoffice/people/figures.html", {
        "plans": figures.plan_share(), "distributions": figures.level_distributions(),
        "min_shown": min_answers_shown()})


@development_required
def evidence_link(request, kind: str, object_id: int):
    """Open a record linked as evidence on the page that shows it (which
    checks, as always, that the viewer may see it)."""
    if kind == EvidenceKind.CASE:
        case = get_object_or_404(Case, pk=object_id)
        return redirect("backoffice:case_detail", reference=case.reference)
    if kind in (EvidenceKind.CONTACT, EvidenceKind.RATING):
        model = Contact if kind == EvidenceKind.CONTACT else Response
        row = get_object_or_404(model.objects.select_related("case"), pk=object_id)
        if row.case_id:
            return redirect("backoffice:case_detail", reference=row.case.reference)
        return redirect("backoffice:feedback")
    if kind == EvidenceKind.STORY:
        return redirect("backoffice:quality_story", pk=object_id)
    if kind == EvidenceKind.NOMINATION:
        return redirect("backoffice:quality_recognition")
    if kind == EvidenceKind.VISIT:
        return redirect("backoffice:field_home")
    return redirect("backoffice:people_home")


@development_required
def export(request):
    """The person's own record as a JSON download."""
    me = request.staff
    body = json.dumps(people_export.export_for(me), indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-development-{stamp}.json"'
    return response
