"""Links from an object's admin page to its translation editor, one per enabled language."""

from django import template
from django.urls import reverse

from imbizo.core.languages import ENDONYMS
from imbizo.texts.languages import translation_languages

register = template.Library()


@register.simple_tag
def translate_links(obj) -> list[tuple[str, str]]:
    if obj is None or obj.pk is None:
        return []
    return [(ENDONYMS[code], reverse("admin:texts_translate",
                                     args=[obj._meta.label_lower, obj.pk, code]))
            for code in translation_languages()]
