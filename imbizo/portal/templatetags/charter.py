"""Promises in plain words: '5 working days', '2 working hours'."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def duration(amount: int, unit: str) -> str:
    """A target as citizens say it, with the right plural, marked for translation."""
    if unit == "working_hours":
        text = ngettext("%(n)s working hour", "%(n)s working hours", amount)
    elif unit == "working_days":
        text = ngettext("%(n)s working day", "%(n)s working days", amount)
    elif unit == "calendar_hours":
        text = ngettext("%(n)s hour", "%(n)s hours", amount)
    else:
        text = ngettext("%(n)s day", "%(n)s days", amount)
    return text % {"n": amount}
