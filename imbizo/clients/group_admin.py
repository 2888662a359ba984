"""Administration of client groups, their criteria and measures, and the
services x groups matrix (what each service brings each group). Reviews are
run from the staff pages (/staff/clients/reviews/); the admin shows them
read-only."""

from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin

from .group_models import Criterion, Measure, Review, ServiceBenefit
from .models import ClientGroup


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["order", "name", "criterion", "source", "service", "instrument_code",
              "question_code", "target", "better", "tolerance", "active"]
    autocomplete_fields = ["service"]


class ServiceBenefitInline(admin.TabularInline):
    model = ServiceBenefit
    extra = 0
    autocomplete_fields = ["service"]


@admin.register(ClientGroup)
class ClientGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "client_type", "default_for_type", "order", "active"]
    list_filter = ["client_type", "active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [MeasureInline, ServiceBenefitInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]
    filter_horizontal = ["groups"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "source", "target", "better", "active"]
    list_filter = ["source", "group", "active"]
    search_fields = ["name", "instrument_code", "question_code"]
    list_select_related = ["group"]
    autocomplete_fields = ["service"]


@admin.register(ServiceBenefit)
class ServiceBenefitAdmin(admin.ModelAdmin):
    list_display = ["service", "group"]
    list_filter = ["group"]
    list_select_related = ["service", "group"]
    autocomplete_fields = ["service"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["group", "year", "quarter", "status", "held_on"]
    list_filter = ["status", "group"]
    list_select_related = ["group"]
