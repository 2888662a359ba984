import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from imbizo.core.errors import DomainError

from .models import Place, Region, Ward
from .services import boundary_check, places_locate


class WardForm(forms.ModelForm):
    class Meta:
        model = Ward
        fields = ["code", "name", "region", "population", "boundary"]

    def clean_boundary(self):
        boundary = self.cleaned_data["boundary"]
        if isinstance(boundary, str):
            try:
                boundary = json.loads(boundary)
            except ValueError as exc:
                raise ValidationError(_("The boundary is not valid JSON.")) from exc
        try:
            self._centroid = boundary_check(boundary)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc
        return boundary


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    form = WardForm
    list_display = ["code", "name", "region", "population"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]
    readonly_fields = ["centroid_lat", "centroid_lon", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.centroid_lat, obj.centroid_lon = form._centroid
        super().save_model(request, obj, form, change)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "ward", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "area", "alt_names", "code"]
    list_select_related = ["ward", "region"]
    fields = ["code", "name", "kind", "area", "alt_names", "lat", "lon", "ward", "region"]
    readonly_fields = ["ward", "region"]

    def save_model(self, request, obj, form, change):
        # The ward, region and search text follow the name and the point.
        places_locate([obj])
        super().save_model(request, obj, form, change)
