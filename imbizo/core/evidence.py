"""How many answers a figure must rest on before it is shown.

One setting, MIN_ANSWERS_SHOWN (5 by default), for every average of
citizens' answers on every page: below it the page says "too few answers"
instead of a number one angry or delighted citizen could make.
"""

from django.conf import settings

DEFAULT_MIN_ANSWERS_SHOWN = 5


def min_answers_shown() -> int:
    """The fewest answers an average may rest on and still be shown."""
    return int(getattr(settings, "MIN_ANSWERS_SHOWN", DEFAULT_MIN_ANSWERS_SHOWN))


def enough_answers(answers: int | None) -> bool:
    """Whether an average of `answers` answers may be shown."""
    return (answers or 0) >= min_answers_shown()
