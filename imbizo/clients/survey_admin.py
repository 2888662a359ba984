"""Admin of the client-service survey's sampling rules and rounds (registered
from ClientsConfig.ready, beside whatever clients/admin.py registers)."""

from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin

from .survey_models import SamplingRule, SurveyRound


@admin.register(SamplingRule)
class SamplingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "instrument_code", "key_clients", "citizens", "frequency", "active",
                    "last_sent_at"]
    list_filter = ["active", "frequency"]
    fields = ["name", "instrument_code", "key_clients", "citizens", "citizen_days",
              "citizen_size", "citizen_share", "office", "group", "frequency", "active"]


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rule", "started_at", "third_party", "invited", "skipped_quiet",
                    "skipped_no_consent", "imported"]
    list_filter = ["third_party"]
    exclude = ["imported_digests"]
