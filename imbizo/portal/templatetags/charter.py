"""Promises in plain words: '5 working days', '4 working hours'."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


def duration_words(amount: int, unit: str) -> str:
    """A target as citizens say it, in the active language with the right plural.

    `unit` is one of catalogue.models.TargetUnit; any other raises ValueError
    (a wrong promise on a public page is worse than an error).
    """
    if unit == "working_hours":
        text = ngettext("%(n)s working hour", "%(n)s working hours", amount)
    elif unit == "working_days":
        text = ngettext("%(n)s working day", "%(n)s working days", amount)
    elif unit == "calendar_hours":
        text = ngettext("%(n)s hour", "%(n)s hours", amount)
    elif unit == "calendar_days":
        text = ngettext("%(n)s day", "%(n)s days", amount)
    else:
        raise ValueError(f"Unknown target unit {unit!r}.")
    return text % {"n": amount}


@register.simple_tag
def duration(amount: int, unit: str) -> str:
    """`{% duration standard.resolve_amount standard.resolve_unit as resolve %}`."""
    return duration_words(amount, unit)
