"""Staff pages of the client-service survey (interface only): the scorecard,
the sampling rules with "send now", and third-party rounds' export and import."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imbizo.clients import survey, survey_selectors
from imbizo.clients.survey_models import SamplingRule
from imbizo.core.errors import DomainError
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission, staff_allows


@permission_required(Permission.INSIGHTS_VIEW)
def scorecard(request):
    return render(request, "backoffice/client_survey/scorecard.html", {
        "card": survey_selectors.client_scorecard(),
        "can_run": staff_allows(request.staff, Permission.CLIENT_SURVEYS),
    })


@permission_required(Permission.CLIENT_SURVEYS)
def surveys(request):
    return render(request, "backoffice/client_survey/surveys.html", {
        "rules": survey_selectors.rule_list(),
        "rounds": survey_selectors.round_list(), "can_run": True,
    })


def _rule(pk: int) -> SamplingRule:
    rule = SamplingRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404(_("No such sampling rule."))
    return rule


@require_POST
@permission_required(Permission.CLIENT_SURVEYS)
def send_now(request, pk: int):
    rule = _rule(pk)
    try:
        sent = survey.round_send(rule=rule, actor=request.staff)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:client_surveys")
    messages.success(request, _(
        "Round sent: %(invited)d invited, %(quiet)d skipped (asked within the quiet period), "
        "%(none)d left out (no consent or no address).")
        % {"invited": sent.invited, "quiet": sent.skipped_quiet, "none": sent.skipped_no_consent})
    return redirect("backoffice:client_surveys")


@require_POST
@permission_required(Permission.CLIENT_SURVEYS)
def third_party(request, pk: int):
    rule = _rule(pk)
    try:
        drawn = survey.third_party_start(rule=rule, actor=request.staff)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:client_surveys")
    messages.success(request, _("Sample drawn: %(n)d people who agreed to be surveyed. Export it "
                                "for the outside party, then import their results here.")
                     % {"n": drawn.invited})
    return redirect("backoffice:client_survey_round", pk=drawn.pk)


def _round(pk: int):
    found = survey_selectors.round_get(pk=pk)
    if found is None:
        raise Http404(_("No such survey round."))
    return found


@permission_required(Permission.CLIENT_SURVEYS)
def round_detail(request, pk: int):
    survey_round = _round(pk)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("results")
        if upload is None:
            error = _("Choose the results file (CSV) to import.")
        else:
            try:
                result = survey.third_party_import(survey_round=survey_round,
                                                   content=upload.read())
            except DomainError as exc:
                error = exc.message
            else:
                if result.already:
                    messages.info(request, _("This file was imported before: nothing was "
                                             "added."))
                else:
                    messages.success(request, _("%(n)d results imported into the scorecard.")
                                     % {"n": result.imported})
                return redirect("backoffice:client_survey_round", pk=pk)
    return render(request, "backoffice/client_survey/round.html", {
        "round": survey_round, "error": error,
        "columns": survey.import_columns(survey_round=survey_round), "can_run": True,
    }, status=400 if error else 200)


@permission_required(Permission.CLIENT_SURVEYS)
def sample_csv(request, pk: int):
    survey_round = _round(pk)
    try:
        body = survey.third_party_export(survey_round=survey_round, staff=request.staff)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:client_survey_round", pk=pk)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="client-survey-sample-{survey_round.pk}.csv"')
    return response
