"""Template helpers of the quality programme's staff pages."""

from django import template

from imbizo.quality import access

register = template.Library()


@register.filter
def quality_can(staff, permission: str) -> bool:
    """`{% if request.staff|quality_can:"view" %}`: the rule of quality.access."""
    return staff is not None and access.can(staff, permission)
