"""`{{ code|channel_name }}`: a channel's name ("USSD menu") from its stored code."""

from django import template

from imbizo.catalogue.models import Channel

register = template.Library()


@register.filter
def channel_name(code) -> str:
    try:
        return Channel(code).label
    except ValueError:
        return ""
