"""The language of a report, stored on the case as it is opened (cases hooks):
used to route to staff who speak it and to answer in it. No database query:
this is the intake hot path."""

from django.dispatch import receiver

from imbizo.cases.hooks import case_opening

from .language import language_of


@receiver(case_opening)
def case_language_set(*, case, **kwargs) -> None:
    """Keep a language the caller gave (a citizen's choice); else detect it."""
    if not case.language and case.description:
        case.language = language_of(case.description)
