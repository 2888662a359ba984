"""Staff pages of client groups: quarterly reviews (measures x quarters,
suggestions turned into quality actions) and the services x groups matrix.
Interface only: parse, authorise, call one service or selector of
imbizo.clients, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.clients import group_selectors as selectors
from imbizo.clients import reviews
from imbizo.clients.group_models import MeasureSource, Suggestion
from imbizo.clients.measures import Quarter
from imbizo.core.errors import DomainError
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows
from imbizo.quality.selectors import offices_managed
from imbizo.quality.services import local_today

from . import forms

review_view = permission_required(Permission.CLIENT_REVIEW_VIEW)
review_run = permission_required(Permission.CLIENT_REVIEW_RUN)


def _fail(request, error: DomainError) -> None:
    messages.error(request, error.message)


@review_view
def review_home(request):
    return render(request, "backoffice/client_groups/home.html", {
        "groups": selectors.group_list_for_reviews()})


def _open_form(data=None):
    today = Quarter.of(local_today()).previous
    return forms.ReviewOpenForm(data, initial={"year": today.year, "quarter": today.quarter})


@review_view
def group_board(request, code):
    group = selectors.group_get(code=code)
    board = selectors.review_board(group, **selectors.board_span(group))
    return render(request, "backoffice/client_groups/group.html", {
        "group": group, "board": board,
        "reviews": sorted(board.reviews.values(), key=lambda r: (r.year, r.quarter),
                          reverse=True),
        "open_form": _open_form() if staff_allows(request.staff, Permission.CLIENT_REVIEW_RUN)
        else None,
        "criteria": group.criteria.all(),
    })


@require_POST
@review_run
def review_open(request, code):
    group = selectors.group_get(code=code)
    form = _open_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year and a quarter."))
        return redirect("backoffice:client_group", code=code)
    try:
        review = reviews.review_open(group=group, year=form.cleaned_data["year"],
                                     quarter=form.cleaned_data["quarter"], actor=request.staff)
    except DomainError as error:
        _fail(request, error)
        return redirect("backoffice:client_group", code=code)
    return redirect("backoffice:client_review", pk=review.pk)


def _review_context(request, review, **extra):
    staff = request.staff
    may_run = staff_allows(staff, Permission.CLIENT_REVIEW_RUN)
    quarter = Quarter(review.year, review.quarter)
    board = selectors.review_board(review.group, upto=quarter,
                                   live=None if review.is_held else quarter)
    suggestions = list(selectors.review_suggestions(review))
    manual = [row.measure for row in board.rows
              if row.measure.source == MeasureSource.MANUAL and row.measure.active]
    context = {
        "review": review, "board": board, "suggestions": suggestions, "may_run": may_run,
        "chosen_count": sum(1 for s in suggestions if s.chosen),
        "suggestion_form": forms.SuggestionForm(
            key_clients=selectors.key_clients_of(review.group)) if may_run else None,
        "hold_form": forms.HoldForm(manual_measures=manual, initial={"held_on": local_today()})
        if may_run and not review.is_held else None,
        "action_forms": {},
    }
    if may_run:
        offices = offices_managed(staff=staff)
        for suggestion in suggestions:
            if suggestion.chosen and not suggestion.action_id:
                context["action_forms"][suggestion.pk] = forms.SuggestionActionForm(
                    staff=staff, offices=offices, prefix=f"s{suggestion.pk}",
                    initial={"title": suggestion.text[:200],
                             "office": staff.office.code if staff.office_id else None})
    for suggestion in suggestions:
        suggestion.action_form = context["action_forms"].get(suggestion.pk)
    context.update(extra)
    return context


@review_view
def review_detail(request, pk):
    review = selectors.review_get(pk=pk)
    return render(request, "backoffice/client_groups/review.html",
                  _review_context(request, review))


@require_POST
@review_run
def suggestion_add(request, pk):
    review = selectors.review_get(pk=pk)
    form = forms.SuggestionForm(request.POST, key_clients=selectors.key_clients_of(review.group))
    if form.is_valid():
        try:
            reviews.suggestion_record(review=review, actor=request.staff,
                                      text=form.cleaned_data["text"],
                                      key_client=form.cleaned_data["key_client"])
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Suggestion recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("backoffice:client_review", pk=review.pk)


@require_POST
@review_run
def suggestions_choose(request, pk):
    review = selectors.review_get(pk=pk)
    try:
        ids = [int(v) for v in request.POST.getlist("chosen")]
        reviews.suggestions_choose(review=review, actor=request.staff, chosen_ids=ids)
    except ValueError as error:
        if isinstance(error, DomainError):
            _fail(request, error)
        else:
            messages.error(request, _("Choose among this review's suggestions."))
    else:
        messages.success(request, _("The suggestions to share with the team are chosen."))
    return redirect("backoffice:client_review", pk=review.pk)


@require_POST
@review_run
def suggestion_action(request, pk):
    suggestion = Suggestion.objects.select_related("review__group").filter(pk=pk).first()
    if suggestion is None:
        raise Http404(pk)
    review = selectors.review_get(pk=suggestion.review_id)
    offices = offices_managed(staff=request.staff)
    form = forms.SuggestionActionForm(request.POST, staff=request.staff, offices=offices,
                                      prefix=f"s{suggestion.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = reviews.suggestion_to_action(
                suggestion=suggestion, actor=request.staff, owner=data["owner"],
                due_on=data["due_on"], principle=data["principle"], metric=data["metric"],
                title=data["title"], office=data["office"], service=data["service"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Action agreed: “%(title)s”, owned by %(owner)s.")
                             % {"title": action.title, "owner": action.owner})
            return redirect("backoffice:client_review", pk=review.pk)
    context = _review_context(request, review)
    suggestion_row = next(s for s in context["suggestions"] if s.pk == suggestion.pk)
    suggestion_row.action_form = form
    return render(request, "backoffice/client_groups/review.html", context, status=400)


@require_POST
@review_run
def review_hold(request, pk):
    review = selectors.review_get(pk=pk)
    context = _review_context(request, review)
    manual = context["hold_form"].manual_measures if context["hold_form"] else []
    form = forms.HoldForm(request.POST, manual_measures=manual)
    if form.is_valid():
        try:
            reviews.review_hold(review=review, actor=request.staff,
                                held_on=form.cleaned_data["held_on"],
                                manual=form.manual_values(), notes=form.cleaned_data["notes"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Review held: its figures are frozen."))
            return redirect("backoffice:client_review", pk=review.pk)
    context["hold_form"] = form
    return render(request, "backoffice/client_groups/review.html", context, status=400)


@review_view
def matrix(request):
    return render(request, "backoffice/client_groups/matrix.html", {
        "matrix": selectors.matrix(external_only=False)})
