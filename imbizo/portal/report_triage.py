"""The report form's triage panel: "did you mean …?" and "this may already be
reported: follow it instead" (docs/duplicates.md).

The form asks for it by POST as the citizen types (htmx; the words never
travel in a URL), rate-limited per address (RATE_LIMITS["triage_public"]).
Only public cases are offered, by their public reference and public text
(contact details masked): never a report its citizen kept private, never a
name or a number. Without JavaScript the form's "Check for similar reports"
button sends the form back with the same panel and everything typed kept.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from imbizo.core.ratelimit import rate_limited
from imbizo.web.triage import form_triage

PICK = "pick_service"  # a "did you mean" button: the service it names


def panel_context(data) -> dict:
    return {"triage": form_triage(data, public=True)}


@require_POST
@never_cache
@rate_limited("triage_public", methods=("POST",))
def report_similar(request):
    """The panel for the report form's current fields (htmx fragment)."""
    return render(request, "portal/_report_triage.html", panel_context(request.POST))


def picked(data):
    """The form data with the service a "did you mean" button named, sent back
    unchecked; None when no such button was pressed."""
    code = str(data.get(PICK) or "")[:64]
    if not code:
        return None
    data = data.copy()
    data["service"] = code
    data["step"] = "questions"
    return data
