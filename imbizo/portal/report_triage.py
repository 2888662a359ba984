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


def panel_context(data) -> dict:
    return {"triage": form_triage(data, public=True)}


@require_POST
@never_cache
@rate_limited("triage_public", methods=("POST",))
def report_similar(request):
    """The panel for the report form's current fields (htmx fragment)."""
    return render(request, "portal/_report_triage.html", panel_context(request.POST))

