from django import template
from django.utils.formats import number_format

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
