"""Demo moments of truth: contacts and survey answers across the demo history.

Offices differ (some clearly better), and the office with the bad patch in
the case history is rated worse in those months, so the ratings pages and the
closed loop have something real to show.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction

from imbizo.cases.selectors import INSTITUTION, case_filtered
from imbizo.core import clock
from imbizo.core.bulk import bulk_insert, sequence_reset
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Answer, Contact, Instrument, Response
from imbizo.org.models import Office

COMMENTS = {
    "start": ("Phone back when you say you will.", "Send an SMS when the team is coming.",
              "Open the centre on Saturday mornings.", "Give a name I can ask for."),
    "stop": ("Stop sending me from one window to another.", "Stop closing reports that are not fixed.",
             "Stop the long queues at month end."),
    "keep": ("Keep the friendly staff at the counter.", "Keep the quick SMS updates.",
             "Keep fixing things this fast."),
    "other": ("The team left the trench open for a week.", "Thank you to the lady at window 3.",
              "Nobody told me the water would be off all day."),
}


def feedback_build(*, seed: int, share: float = 0.3, until: datetime | None = None) -> int:
    """Rate `share` of the demo's resolved cases whose citizens agreed to be contacted.

    Nothing is dated after `until` (the end of the history) or now, whichever
    is earlier: a citizen who would answer a day after a case resolved this
    morning has simply not answered yet."""
    rng = random.Random(f"{seed}:feedback")
    now = clock.now()
    until = min(until, now) if until is not None else now
    instrument = Instrument.objects.filter(code="after-contact").order_by("-version").first()
    if instrument is None:
        return 0
    questions = list(instrument.questions.all())
    offices = list(Office.objects.order_by("pk").values_list("pk", flat=True))
    quality = {pk: rng.choice((4.4, 4.1, 3.8, 3.5, 3.1)) for pk in offices}
    slow_office = offices[0] if offices else None
    cases = list(
        case_filtered(viewer=INSTITUTION).filter(resolved_at__isnull=False, contact_consent=True)
        .order_by("pk").values_list("pk", "office_id", "assignee_id", "resolved_at", "channel",
                                    "citizen_phone", "resolve_breached_at")
    )
    contacts, responses, answers = [], [], []
    first_response = (Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for case_id, office_id, assignee_id, resolved_at, channel, phone, breached in cases:
        if rng.random() > share:
            continue
        key = citizen_key(phone)
        mean = quality.get(office_id, 3.8) - (0.9 if breached else 0)
        if office_id == slow_office and resolved_at.month in (5, 6, 7):
            mean -= 1.2
        contacts.append({"at": resolved_at - timedelta(hours=rng.uniform(1, 48)),
                         "kind": "person", "channel": channel, "office_id": office_id,
                         "staff_id": assignee_id, "case_id": case_id, "citizen_key": key,
                         "wait_seconds": rng.randrange(0, 3600),
                         "handling_seconds": rng.randrange(60, 1200), "outcome": "Resolved"})
        submitted = resolved_at + timedelta(hours=rng.uniform(2, 96))
        if submitted > until:
            continue
        response_id = first_response + len(responses)
        responses.append({"id": response_id, "instrument_id": instrument.pk, "case_id": case_id,
                          "office_id": office_id, "staff_id": assignee_id, "channel": channel,
                          "citizen_key": key, "submitted_at": submitted})
        for question in questions:
            if question.type == "scale5":
                number = max(1, min(5, round(rng.gauss(mean, 0.8))))
                answers.append({"response_id": response_id, "question_id": question.pk,
                                "driver": question.driver, "number": number})
            elif rng.random() < 0.15:
                answers.append({"response_id": response_id, "question_id": question.pk,
                                "driver": question.driver,
                                "text": rng.choice(COMMENTS.get(question.driver, ("",)))})
    with transaction.atomic():
        bulk_insert(Contact, contacts)
        bulk_insert(Response, responses, with_pk=True)
        bulk_insert(Answer, answers)
        sequence_reset(Response)
    return len(responses)
