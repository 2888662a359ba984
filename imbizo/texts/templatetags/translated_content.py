"""Translated content in templates.

    {% load translated_content %}
    {% translated service "name" %}     the text, or the English marked
                                        lang="en" with a "shown in English" note
    {{ service|translated:"name" }}     the text alone (titles, option labels)

Attach a list's translations first (texts.selectors.translations_attach) so
that a page makes one query per model, not one per row.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from imbizo.texts.selectors import translated as _translated

register = template.Library()


@register.filter(name="translated")
def translated_filter(obj, key: str) -> str:
    if obj is None:
        return ""
    return _translated(obj, key).text


@register.simple_tag(name="translated")
def translated_tag(obj, key: str, note: bool = True):
    if obj is None:
        return ""
    shown = _translated(obj, key)
    if not shown.fallback:
        return shown.text
    if not note:
        return format_html('<span lang="en">{}</span>', shown.text)
    return format_html('<span lang="en">{}</span> <small class="shown-in-english">({})</small>',
                       shown.text, _("shown in English"))
