"""The language switcher's choices: each enabled language by its own name,
and whether its translation is still a draft."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation

from imbizo.core.catalogues import review_state_cached
from imbizo.core.languages import ENDONYMS

register = template.Library()


@dataclass(frozen=True)
class Choice:
    code: str
    name: str  # the language's name for itself
    draft: bool
    current: bool


@register.simple_tag
def language_choices() -> list[Choice]:
    current = translation.get_language() or settings.LANGUAGE_CODE
    return [Choice(code=code, name=ENDONYMS.get(code, name),
                   draft=review_state_cached(code) == "draft", current=code == current)
            for code, name in settings.LANGUAGES]
