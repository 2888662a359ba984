"""Reads for moments of truth: a journey and its perception score."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q

from imbizo.core import clock

from .models import Answer, Contact, QuestionType, Response
from .perception import RatedContact, perception_score


@dataclass(frozen=True)
class JourneyStep:
    at: datetime
    kind: str  # "contact" or "rating"
    contact: Contact | None = None
    response: Response | None = None
    scale_answers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Journey:
    steps: list[JourneyStep]
    score: float | None


def journey(*, case=None, citizen_key: str = "") -> Journey:
    """The chain of contacts and ratings of a case, or of a (pseudonymous) citizen."""
    if case is None and not citizen_key:
        return Journey(steps=[], score=None)
    where = Q(case=case) if case is not None else Q(citizen_key=citizen_key)
    contacts = list(Contact.objects.filter(where).select_related("staff__user", "office"))
    responses = list(
        Response.objects.filter(where).select_related("instrument").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question"))))
    steps = [JourneyStep(at=c.at, kind="contact", contact=c) for c in contacts]
    for response in responses:
        scale = tuple(a.number for a in response.answers.all()
                      if a.number is not None and a.question.type == QuestionType.SCALE_5)
        steps.append(JourneyStep(at=response.submitted_at, kind="rating", response=response,
                                 scale_answers=scale))
    steps.sort(key=lambda step: step.at)
    rated = [RatedContact(at=s.at, answers=s.scale_answers) for s in steps if s.scale_answers]
    return Journey(steps=steps, score=perception_score(rated, now=clock.now()))
