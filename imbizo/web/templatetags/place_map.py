"""`{% place_picker form %}` and `{% case_map case %}`: the place widget of the
report and intake forms, and the map on the staff case page. Both read
MAP_TILES_URL, as every map does."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("web/_place_picker.html")
def place_picker(form, *, staff: bool = False):
    return {"form": form, "staff": staff, "map_tiles_url": settings.MAP_TILES_URL}


@register.inclusion_tag("web/_case_map.html")
def case_map(case, *, show_address: bool = False):
    """The case's pin and ward for the crew; the address only to staff who
    may see personal data (it can be a home)."""
    return {"case": case, "show_address": show_address, "map_tiles_url": settings.MAP_TILES_URL}
