from django.contrib import admin

from .duplicates_models import DuplicateWindow
from .usage_models import SuggestionRecord


@admin.register(DuplicateWindow)
class DuplicateWindowAdmin(admin.ModelAdmin):
    list_display = ("service", "scope", "distance_m", "window_hours")
    list_filter = ("scope", "service__group")
    list_editable = ("scope", "distance_m", "window_hours")
    list_select_related = ("service",)
    search_fields = ("service__name", "service__code")
    autocomplete_fields = ("service",)


@admin.register(SuggestionRecord)
class SuggestionRecordAdmin(admin.ModelAdmin):
    list_display = ("case", "door", "at", "model", "chosen", "chosen_rank", "corrected_to")
    list_filter = ("door", "model")
    list_select_related = ("case", "chosen", "corrected_to")
    date_hierarchy = "at"
    raw_id_fields = ("case",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
