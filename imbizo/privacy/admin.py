"""Read-only: consent wordings and the access log are evidence, never edited."""

from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin

from .models import ConsentWording, ErasedCase, PersonalDataAccess


@admin.register(ConsentWording)
class ConsentWordingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["purpose", "version", "language", "first_shown_at"]
    list_filter = ["purpose", "language"]
    fields = ["purpose", "version", "language", "text", "first_shown_at"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "username", "purpose", "case", "results"]
    list_filter = ["purpose"]
    search_fields = ["username", "=case__reference"]
    list_select_related = ["case"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ["at", "username", "purpose", "case", "results", "request_id"]


@admin.register(ErasedCase)
class ErasedCaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "erased_at", "reason", "by", "note"]
    list_filter = ["reason"]
    search_fields = ["=case__reference"]
    list_select_related = ["case", "by__user"]
    fields = list_display
