"""Administration of service interruptions: lead times are edited here; the
interruptions themselves only through the back office (outreach.interruptions),
so the admin shows them read-only."""

from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin

from .interruption_models import Interruption, InterruptionLeadTime


@admin.register(InterruptionLeadTime)
class InterruptionLeadTimeAdmin(admin.ModelAdmin):
    list_display = ["service", "hours"]
    autocomplete_fields = ["service"]


@admin.register(Interruption)
class InterruptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "service", "kind", "status", "starts_at",
                    "expected_restoration_at", "restored_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["service"]
