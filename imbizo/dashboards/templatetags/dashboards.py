import datetime

from django import template
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime

register = template.Library()


@register.filter
def percent(value, digits: int = 0):
    """0.873 -> "87%"; empty when there is nothing to measure."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, int(digits))}%"


@register.filter
def decimal(value, digits: int = 1):
    if value is None or value == "":
        return "—"
    return number_format(float(value), int(digits))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def cell(value):
    """A table cell as a person reads it: instants in local time as
    "7 Dec 2026, 16:11", days as "7 Dec 2026", the rest as it is (the
    downloads keep ISO dates)."""
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    return value
