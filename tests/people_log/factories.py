"""Helpers building what the people log reads: contacts, case events, ratings."""

import datetime

from imbizo.cases.models import CaseEvent
from imbizo.engagement.models import Answer, Contact, Instrument, Response


def contact(staff, at: datetime.datetime, *, handling_minutes: int | None = 10,
            channel: str = "walk_in") -> Contact:
    return Contact.objects.create(
        at=at, channel=channel, staff=staff, office=staff.office,
        handling_seconds=None if handling_minutes is None else handling_minutes * 60)


def rated_contact(staff, at: datetime.datetime, *, overall: int = 4, friendliness: int = 5,
                  comment: dict[str, str] | None = None) -> Contact:
    """A contact of `staff` with a survey answered about it."""
    made = contact(staff, at)
    instrument = Instrument.objects.filter(code="after-contact").order_by("-version").first()
    response = Response.objects.create(instrument=instrument, contact=made, office=staff.office,
                                       submitted_at=at + datetime.timedelta(hours=2))
    questions = {q.driver: q for q in instrument.questions.all()}
    for driver, number in (("overall", overall), ("friendliness", friendliness)):
        Answer.objects.create(response=response, question=questions[driver], driver=driver,
                              number=number)
    for driver, text in (comment or {}).items():
        Answer.objects.create(response=response, question=questions[driver], driver=driver,
                              text=text)
    return made


def case_events(case, actor, at: datetime.datetime, kinds: list[str]) -> None:
    CaseEvent.objects.bulk_create(CaseEvent(case=case, kind=kind, at=at, actor=actor)
                                  for kind in kinds)
