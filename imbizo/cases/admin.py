from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin

from .models import Case, CaseEvent, EscalationStep, RoutingRule


class CaseEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CaseEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "public", "note"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: cases change through the back office, which keeps the timeline."""

    list_display = ["reference", "service", "status", "kind", "channel", "ward", "office",
                    "opened_at", "resolve_due_at", "escalation_level"]
    list_filter = ["status", "kind", "channel", "priority", "escalation_level"]
    search_fields = ["reference"]
    list_select_related = ["service", "ward", "office"]
    date_hierarchy = "opened_at"
    inlines = [CaseEventInline]
    show_full_result_count = False
    # Contact details are shown on the case page of the back office, where
    # each showing is written to the access log; not here.
    exclude = ["citizen_name", "citizen_phone", "citizen_email"]


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["level", "name", "after_hours", "notify"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "service", "ward", "region", "office"]
    list_filter = ["office", "region"]
    autocomplete_fields = ["service", "ward", "office"]
    list_select_related = ["service", "ward", "region", "office"]
