"""The place fields both forms share (the report form and the agent intake):
the ward select that is the plain fallback of the map, and the names of the
fields the place picker (web/_place_picker.html, js/place-picker.js) renders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.geo.models import Ward

# Fields rendered by web/_place_picker.html, not by a form's own loop.
PLACE_FIELDS = ("address", "lat", "lon", "ward", "place_unknown")


class WardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Ward) -> str:
        return f"{obj.name} ({obj.region.name})" if obj.region_id else obj.name


UNKNOWN_WARD = _("I don't know the ward")


def ward_field(*, help_text="", empty_label=UNKNOWN_WARD) -> WardChoiceField:
    """An optional ward select, by ward code, in code order."""
    return WardChoiceField(
        label=_("Ward"), required=False, help_text=help_text, to_field_name="code",
        queryset=Ward.objects.select_related("region").order_by("code"),
        empty_label=empty_label,
    )
