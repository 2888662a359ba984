"""The survey page citizens reach from a link or a QR code (interface only)."""

import secrets

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from imbizo.core.errors import DomainError
from imbizo.core.locale import case_language_activate
from imbizo.core.ratelimit import RateLimited, client_address, rate_limited, too_many_page
from imbizo.engagement.counter import Visitor
from imbizo.engagement.errors import EngagementError
from imbizo.engagement.selectors import loop_outcome
from imbizo.engagement.services import invitation_get, response_submit
from imbizo.texts.selectors import translated, translations_attach

DEVICE_COOKIE = "imbizo_device"
CLOSED_STATUS = {EngagementError.INVITATION_UNKNOWN: 404, EngagementError.INVITATION_USED: 409,
                 EngagementError.INVITATION_EXPIRED: 410}


@never_cache
@rate_limited("survey", methods=("POST",))
def survey(request, token: str):
    if len(token) > 100:
        return HttpResponseBadRequest()
    try:
        invitation = invitation_get(token)
    except DomainError as exc:
        return render(request, "portal/survey_closed.html", {"message": exc.message},
                      status=CLOSED_STATUS.get(exc.code, 410))
    # Asked in the language of the case or contact it is about, unless the
    # citizen chose another.
    case_language_activate(request, invitation.case.language if invitation.case else "")
    questions = list(invitation.instrument.questions.all())
    translations_attach([invitation.instrument, *questions])  # one query per model
    for question in questions:  # the answer sent stays the English choice
        question.choice_labels = [(choice, translated(question, f"choices.{n}"))
                                  for n, choice in enumerate(question.choices or ())]
    error, answers = None, {}
    if request.method == "POST":
        answers = {q.code: request.POST.get(q.code, "") for q in questions}
        try:
            response = response_submit(invitation=invitation, answers=answers, visitor=Visitor(
                device=request.COOKIES.get(DEVICE_COOKIE, ""), address=client_address(request),
                user_agent=request.headers.get("User-Agent", "")))
        except RateLimited as limited:
            return too_many_page(request, limited.retry_after)
        except DomainError as exc:
            if exc.code in (EngagementError.INVITATION_USED, EngagementError.TOO_MANY):
                return render(request, "portal/survey_closed.html", {"message": exc.message},
                              status=409)
            error = exc
        else:
            return render(request, "portal/survey_thanks.html", {
                "invitation": invitation, "outcome": loop_outcome(response=response)})
    for question in questions:  # shown again after a fault, so nothing is typed twice
        question.given = answers.get(question.code, "")
    page = render(request, "portal/survey.html", {
        "invitation": invitation, "questions": questions, "error": error, "answers": answers,
        "scale5": range(1, 6), "scale11": range(0, 11),
    }, status=400 if error else 200)
    if DEVICE_COOKIE not in request.COOKIES:
        # Counter surveys accept one answer per device per hour.
        page.set_cookie(DEVICE_COOKIE, secrets.token_urlsafe(16), max_age=365 * 86400,
                        httponly=True, samesite="Lax", secure=request.is_secure())
    return page
