"""Context for case messages, built when the outbox sends them.

Case services queue messages with a small deferred context (ids and short
texts); rendering happens in the worker, outside the request.
"""

from imbizo.notify.texts import context_builder
from imbizo.org.selectors import institution_get

from .hooks import case_message_building
from .links import survey_link, track_link
from .models import Case

CASE_TEMPLATES = (
    "case_received", "case_updated", "case_resolved", "case_merged", "case_overdue",
)


def case_message_context(message) -> dict:
    deferred = message.context
    case = Case.objects.select_related("service", "standard").get(pk=message.case_id)
    context = {
        "case": case,
        "institution": institution_get(),
        "standard": case.standard,
        "track_url": track_link(case.reference),
        # The citizen's own link that may reopen the case (a received or
        # resolved message only; see cases.reopen_secret).
        "reopen_url": track_link(case.reference, secret=deferred.get("reopen_secret", "")),
        "reopen_secret": deferred.get("reopen_secret", ""),
        "message": deferred.get("message", ""),
        "note": deferred.get("note", ""),
        # The case's language now (staff may have corrected it since the
        # message was queued), else the one it was queued in.
        "language": case.language or deferred.get("language") or None,
    }
    if deferred.get("rate_token"):
        context["rate_url"] = survey_link(deferred["rate_token"])
    if "into_id" in deferred:
        context["into"] = Case.objects.get(pk=deferred["into_id"])
    case_message_building.send(sender=Case, case=case, message=message, context=context)
    return context


for _template in CASE_TEMPLATES:
    context_builder(_template)(case_message_context)
