"""The time log, feedback and learning-from-contacts pages (interface only).

Whose record a page shows is people.access's rule: the person's own, or
that of someone who reports to the viewer (logged); anyone else gets 403.
Only the person writes to their own record."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.org.authorisation import permission_required
from imbizo.org.models import Staff
from imbizo.org.permissions import Permission
from imbizo.people import feedback, reflection, timelog
from imbizo.people.access import subject_or_403, team_of
from imbizo.people.feedback_models import FeedbackRequest
from imbizo.people.reflection_models import Pick

from .forms import AnswerForm, AskForm, ExtraForm, ReflectionForm, TimeLogForm, cell_name

people_required = permission_required(Permission.PEOPLE_DEVELOPMENT)
RATINGS_DAYS = 180
PATTERN_MONTHS = 6


def _week(request, *, ended: bool = False) -> datetime.date:
    """The Monday of the week asked for (?week=YYYY-MM-DD); by default this week,
    or with `ended` the last week that is over (what a manager reviews). A
    week to come is shown as this one."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return timelog.this_week() - datetime.timedelta(days=7 if ended else 0)
    return min(timelog.week_of(day), timelog.this_week())


def _base(request, subject, section: str) -> dict:
    own = subject.pk == request.staff.pk
    return {"subject": subject, "own": own, "section": section,
            "has_team": team_of(request.staff).exists()}


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- time log --------------------------------------------------------------------------


def _log_context(request, subject, week_start, form=None) -> dict:
    view = timelog.timelog_week(staff=subject, week_start=week_start)
    if form is None and subject.pk == request.staff.pk:
        initial = {"week": week_start,
                   "goal_share": view.saved.goal_share if view.saved else None,
                   "goal_note": view.saved.goal_note if view.saved else ""}
        for row in view.rows:
            for day, hours in enumerate(row.hours):
                initial[cell_name(day, row.kind)] = hours.normalize() if hours else ""
        form = TimeLogForm(initial=initial)
    rows = []
    for row in view.rows:
        cells = [{"hours": row.hours[d], "suggested": row.suggested[d], "day": view.days[d],
                  "field": form[cell_name(d, row.kind)] if form is not None else None}
                 for d in range(timelog.DAYS)]
        rows.append({"row": row, "cells": cells})
    trend = timelog.timelog_trend(staff=subject, weeks=12)
    this = timelog.this_week()
    return {**_base(request, subject, "log"), "view": view, "rows": rows, "form": form,
            "trend": trend, "previous": week_start - datetime.timedelta(days=7),
            "next": week_start + datetime.timedelta(days=7) if week_start < this else None,
            "minutes_per_event": timelog.minutes_per_case_event()}


@people_required
def log_week(request, staff_id: int | None = None):
    """A week of the time log: the person's own (a form) or, for their manager, read only."""
    subject = subject_or_403(request, staff_id, what="time log")
    return render(request, "backoffice/people_log/log.html",
                  _log_context(request, subject, _week(request)))


@people_required
@require_POST
def log_save(request):
    form = TimeLogForm(request.POST)
    subject = request.staff
    if form.is_valid():
        week_start = form.cleaned_data["week"]
        try:
            timelog.timelog_save(staff=subject, week_start=week_start, hours=form.hours(),
                                 goal_share=form.cleaned_data["goal_share"],
                                 goal_note=form.cleaned_data["goal_note"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your week is saved."))
            return redirect(reverse("backoffice:people_log_week")
                            + f"?week={week_start.isoformat()}")
    try:
        week_start = timelog.week_of(datetime.date.fromisoformat(request.POST.get("week", "")))
    except ValueError:
        week_start = timelog.this_week()
    week_start = min(week_start, timelog.this_week())
    return render(request, "backoffice/people_log/log.html",
                  _log_context(request, subject, week_start, form), status=400)


@people_required
def log_team(request):
    """The manager's view: how each person who reports to them spent the week."""
    members = list(team_of(request.staff))
    week_start = _week(request, ended=True)
    return render(request, "backoffice/people_log/team.html", {
        **_base(request, request.staff, "team"), "week_start": week_start,
        "rows": timelog.timelog_team(members=members, week_start=week_start),
        "previous": week_start - datetime.timedelta(days=7),
        "next": (week_start + datetime.timedelta(days=7)
                 if week_start < timelog.this_week() else None)})


# --- feedback --------------------------------------------------------------------------


def _feedback_context(request, subject, form=None) -> dict:
    own = subject.pk == request.staff.pk
    since = clock.now() - datetime.timedelta(days=RATINGS_DAYS)
    context = {**_base(request, subject, "feedback"),
               "asked": feedback.feedback_asked_by(asker=subject),
               "ratings": feedback.client_ratings(staff=subject, since=since),
               "ratings_days": RATINGS_DAYS}
    if own:
        context["waiting"] = feedback.feedback_waiting_for(giver=subject)
        context["form"] = form or AskForm(givers=feedback.feedback_givers(asker=subject),
                                          initial={"relation": "colleague"})
    return context


@people_required
def feedback_home(request, staff_id: int | None = None):
    """What the person asked and was told, what waits on them, and their clients' ratings."""
    subject = subject_or_403(request, staff_id, what="feedback")
    return render(request, "backoffice/people_log/feedback.html",
                  _feedback_context(request, subject))


@people_required
@require_POST
def feedback_ask(request):
    subject = request.staff
    form = AskForm(request.POST, givers=feedback.feedback_givers(asker=subject))
    if form.is_valid():
        try:
            made = feedback.feedback_ask(asker=subject, giver=form.cleaned_data["giver"],
                                         relation=form.cleaned_data["relation"],
                                         question=form.cleaned_data["question"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Asked %(name)s. Their answer will show here.")
                             % {"name": made.giver})
            return redirect("backoffice:people_feedback_home")
    elif "giver" in form.errors and request.POST.get("giver"):
        # Not in the list: oneself, or someone who has left; say which.
        form.errors.pop("giver")
        _explain_giver(form, subject, request.POST.get("giver"))
    return render(request, "backoffice/people_log/feedback.html",
                  _feedback_context(request, subject, form), status=400)


def _explain_giver(form, subject, giver_id: str) -> None:
    giver = (Staff.objects.select_related("user").filter(pk=giver_id).first()
             if giver_id.isdigit() else None)
    try:
        if giver is not None:
            feedback.feedback_giver_check(asker=subject, giver=giver)
    except DomainError as exc:
        form.add_error("giver", exc.message)
    else:
        form.add_error("giver", _("Choose someone from the list."))


@people_required
def feedback_answer(request, pk: int):
    """The giver answers a request made of them (nobody else sees the form)."""
    asked = (FeedbackRequest.objects.select_related("asker__user")
             .filter(pk=pk, giver=request.staff).first())
    if asked is None:
        raise Http404(_("No such request was made of you."))
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and asked.answered_at is None:
        if form.is_valid():
            try:
                feedback.feedback_answer(request_id=asked.pk, giver=request.staff,
                                         **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Thank you: %(name)s can read your answer now.")
                                 % {"name": asked.asker})
                return redirect("backoffice:people_feedback_home")
        status = 400
    return render(request, "backoffice/people_log/answer.html", {
        **_base(request, request.staff, "feedback"), "asked": asked, "form": form},
        status=status)


@people_required
def feedback_patterns(request, staff_id: int | None = None):
    """Themes in what colleagues and clients wrote, month by month."""
    subject = subject_or_403(request, staff_id, what="feedback patterns")
    now = clock.now()
    local = timezone.localtime(now)
    months_back = local.year * 12 + local.month - 1 - (PATTERN_MONTHS - 1)
    since = local.replace(year=months_back // 12, month=months_back % 12 + 1, day=1, hour=0,
                          minute=0, second=0, microsecond=0)
    return render(request, "backoffice/people_log/patterns.html", {
        **_base(request, subject, "feedback"),
        "patterns": feedback.feedback_patterns(staff=subject, since=since, until=now),
        "themes": [(str(label), words) for label, words in feedback.THEMES.values()]})


# --- learning from contacts ------------------------------------------------------------


def _reflect_context(request, subject, week_start, forms=None) -> dict:
    own = subject.pk == request.staff.pk
    picked = {r.pick: r for r in reflection.reflections_in_week(staff=subject,
                                                                  week_start=week_start)}
    context = {**_base(request, subject, "contacts"), "week_start": week_start,
               "picked": picked, "recent": reflection.reflections_of(staff=subject, weeks=4),
               "extras": reflection.extra_steps_of(staff=subject),
               "previous": week_start - datetime.timedelta(days=7),
               "next": (week_start + datetime.timedelta(days=7)
                        if week_start < timelog.this_week() else None)}
    if own:
        contacts = reflection.contacts_to_pick(staff=subject, week_start=week_start)
        forms = forms or {}
        pick_forms = []
        for pick in Pick:
            done = picked.get(pick.value)
            form = forms.get(pick.value) or ReflectionForm(
                contacts=contacts, prefix=pick.value,
                initial={"week": week_start, "pick": pick.value,
                         "contact": done.contact_id if done else None,
                         "what_i_did": done.what_i_did if done else "",
                         "do_differently": done.do_differently if done else "",
                         "shared": done.shared if done else False})
            pick_forms.append((pick, form))
        context["pick_forms"] = pick_forms
        context["contacts"] = contacts
        context["extra_form"] = forms.get("extra") or ExtraForm(
            initial={"done_on": timezone.localdate(clock.now())})
        if subject.manager_id:
            colleagues = [m for m in team_of(subject.manager) if m.pk != subject.pk]
            context["team_shared"] = reflection.team_shared(
                members=colleagues, since=timelog.this_week() - datetime.timedelta(weeks=2),
                limit=12)
    return context


@people_required
def reflect_home(request, staff_id: int | None = None):
    subject = subject_or_403(request, staff_id, what="contacts to learn from")
    return render(request, "backoffice/people_log/contacts.html",
                  _reflect_context(request, subject, _week(request)))


@people_required
@require_POST
def reflect_save(request):
    subject = request.staff
    pick = request.POST.get("pick_name", "")
    if pick not in Pick.values:
        return redirect("backoffice:people_reflect_home")
    try:
        week_start = timelog.week_of(datetime.date.fromisoformat(request.POST.get(f"{pick}-week", "")))
    except ValueError:
        week_start = timelog.this_week()
    week_start = min(week_start, timelog.this_week())
    contacts = reflection.contacts_to_pick(staff=subject, week_start=week_start)
    form = ReflectionForm(request.POST, contacts=contacts, prefix=pick)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reflection.reflection_save(
                staff=subject, week_start=data["week"], pick=pick, contact_id=data["contact"],
                what_i_did=data["what_i_did"], do_differently=data["do_differently"],
                shared=data["shared"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved: %(which)s of the week.")
                             % {"which": Pick(pick).label.lower()})
            return redirect(reverse("backoffice:people_reflect_home")
                            + f"?week={data['week'].isoformat()}")
    return render(request, "backoffice/people_log/contacts.html",
                  _reflect_context(request, subject, week_start, {pick: form}), status=400)


@people_required
@require_POST
def reflect_extra(request):
    subject = request.staff
    form = ExtraForm(request.POST)
    if form.is_valid():
        try:
            reflection.extra_step_add(staff=subject, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Noted. Thank you for going the extra step."))
            return redirect("backoffice:people_reflect_home")
    return render(request, "backoffice/people_log/contacts.html",
                  _reflect_context(request, subject, timelog.this_week(), {"extra": form}),
                  status=400)


@people_required
def reflect_review(request):
    """The manager's weekly review: who logged, who picked, what the team shared."""
    members = list(team_of(request.staff))
    week_start = _week(request, ended=True)
    return render(request, "backoffice/people_log/review.html", {
        **_base(request, request.staff, "review"),
        "review": reflection.weekly_review(members=members, week_start=week_start),
        "previous": week_start - datetime.timedelta(days=7),
        "next": (week_start + datetime.timedelta(days=7)
                 if week_start < timelog.this_week() else None)})
