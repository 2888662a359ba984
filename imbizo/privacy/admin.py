"""Read-only: consent wordings and the access log are evidence, never edited."""

from django.contrib import admin

from .models import ConsentWording, ErasedCase, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentWording)
class ConsentWordingAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "version", "language", "first_shown_at"]
    list_filter = ["purpose", "language"]
    fields = ["purpose", "version", "language", "text", "first_shown_at"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "purpose", "case", "results"]
    list_filter = ["purpose"]
    search_fields = ["username", "=case__reference"]
    list_select_related = ["case"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ["at", "username", "purpose", "case", "results", "request_id"]


@admin.register(ErasedCase)
class ErasedCaseAdmin(ReadOnlyAdmin):
    list_display = ["case", "erased_at", "reason", "by", "note"]
    list_filter = ["reason"]
    search_fields = ["=case__reference"]
    list_select_related = ["case", "by__user"]
    fields = list_display
