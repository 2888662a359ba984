"""Surveys answered by reply to a text message: how a numeric question is asked.

The invitation SMS asks the first question this way, and imbizo.channels asks
the next ones, so the citizen reads the same words all along.
"""

from django.utils.translation import gettext as _

from .models import Instrument, QuestionType
from .scores import RANGES


def numeric_questions(instrument: Instrument) -> list:
    """The questions a number answers, in order (free text is left to the web form)."""
    return [q for q in instrument.questions.all() if q.type in RANGES]


def question_prompt(question) -> str:
    """The question with the numbers that answer it, e.g. "... Reply 1 (poor) to 5 (excellent)."."""
    low, high = RANGES[question.type]
    if question.type == QuestionType.YES_NO:
        hint = _("Reply 1 for yes, 0 for no.")
    else:
        hint = _("Reply %(low)d (poor) to %(high)d (excellent).") % {"low": low, "high": high}
    return f"{question.text} {hint}"


def first_prompt(instrument: Instrument) -> str:
    questions = numeric_questions(instrument)
    return question_prompt(questions[0]) if questions else ""
