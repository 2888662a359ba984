"""Averages as every page shows them: the number and how many answers it rests
on, or "too few answers" below MIN_ANSWERS_SHOWN (imbizo.core.evidence)."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imbizo.core.evidence import enough_answers, min_answers_shown

register = template.Library()


@register.simple_tag
def average(value, answers, digits: int = 1, low: float | None = None):
    """`value` (an average of `answers` answers) with its count, or "too few
    answers" when there are fewer than MIN_ANSWERS_SHOWN; `low` marks values
    below it in red."""
    answers = int(answers or 0)
    if value is None or answers == 0:
        return mark_safe('<span class="text-body-secondary">–</span>')  # noqa: S308 (constant)
    # The count in brackets is short on screen (the page says what it counts)
    # and whole for screen readers. The hidden words are positioned against
    # their own figure: in a scrolled table they would widen the whole page.
    unit = ngettext(" answer", " answers", answers)
    if not enough_answers(answers):
        return format_html(
            '<span class="text-body-secondary small" data-too-few title="{}">{} '
            '<span class="text-nowrap position-relative">({}<span class="visually-hidden">{}</span>)'
            '</span></span>',
            _("Shown from %(n)d answers") % {"n": min_answers_shown()},
            _("too few answers"), answers, unit)
    css = "text-danger fw-semibold" if low is not None and float(value) < low else ""
    return format_html('<span class="text-nowrap"><span class="{}" data-average>{}</span> '
                       '<span class="small text-body-secondary position-relative">({}'
                       '<span class="visually-hidden">{}</span>)</span></span>',
                       css, number_format(float(value), int(digits)), answers, unit)


@register.simple_tag
def min_answers() -> int:
    return min_answers_shown()
