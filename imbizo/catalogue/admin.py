"""Catalogue administration.

Standards are append-only: saving the form of an existing standard stores a
new version (catalogue.services.standard_revise) and leaves the old one as it
was, so the admin shows history instead of overwriting it.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from imbizo.core.admin import ReadOnlyInlineMixin
from imbizo.core.errors import DomainError

from .models import (
    Closure,
    PriorityTarget,
    Service,
    ServiceAttribute,
    ServiceStandard,
    WorkingHours,
)
from .services import PRIORITY_TARGET_FIELDS, STANDARD_FIELDS, standard_revise


class ServiceAttributeInline(admin.TabularInline):
    model = ServiceAttribute
    fields = ["order", "code", "description", "datatype", "required", "variable", "values"]
    extra = 0


class ServiceStandardHistoryInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ServiceStandard
    verbose_name_plural = _("standard history (newest first; open one to revise it)")
    fields = ["version", "published", "effective_from", "pledge", "resolve_amount", "resolve_unit"]
    ordering = ["-version"]
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "department", "offering", "needs_place", "active"]
    list_filter = ["group", "department", "offering", "active", "open311_type"]
    search_fields = ["code", "name", "keywords", "description"]
    list_select_related = ["department"]
    inlines = [ServiceAttributeInline, ServiceStandardHistoryInline]


class PriorityTargetInline(admin.TabularInline):
    """Targets for one priority in place of the standard's (an urgent burst pipe:
    hours round the clock). Saved with the new version, like the rest."""

    model = PriorityTarget
    fields = list(PRIORITY_TARGET_FIELDS)
    extra = 0


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    list_display = ["service", "version", "published", "effective_from", "compliance_target"]
    list_filter = ["published", "service__group"]
    search_fields = ["service__name", "service__code", "pledge"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]
    readonly_fields = ["version", "created_at", "created_by"]
    inlines = [PriorityTargetInline]
    fieldsets = [
        (None, {"fields": ["service", "version", "published", "effective_from"]}),
        (_("The promise"), {"fields": ["description", "pledge", "redress"]}),
        (
            _("Targets"),
            {
                "fields": [
                    ("ack_amount", "ack_unit"),
                    ("update_amount", "update_unit"),
                    ("resolve_amount", "resolve_unit"),
                    "warn_before_hours",
                    "compliance_target",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "created_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "service"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in STANDARD_FIELDS if name in form.cleaned_data}
        service = obj.service
        try:
            saved = standard_revise(
                service=service, created_by=getattr(request.user, "staff", None),
                priority_targets=self._priority_targets_posted(request, obj), **fields
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        # The admin redirects using form.instance; point it at the new version.
        obj.pk, obj.version = saved.pk, saved.version
        if change:
            self.message_user(
                request,
                _("Saved as version %(version)s; the earlier version is unchanged.")
                % {"version": saved.version},
                messages.INFO,
            )

    def _priority_targets_posted(self, request, obj) -> list[dict]:
        """The targets by priority as the inline posted them (already validated)."""
        inline = PriorityTargetInline(self.model, self.admin_site)
        formset = inline.get_formset(request, obj)(request.POST, instance=obj,
                                                   prefix="priority_targets")
        if not formset.is_valid():
            return []
        return [{name: form.cleaned_data[name] for name in PRIORITY_TARGET_FIELDS}
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]

    def save_formset(self, request, form, formset, change):
        # The new version got its targets from standard_revise; saving the inline
        # rows as well would move the earlier version's rows to the new one.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_delete_permission(self, request, obj=None):
        # Cases refer to the version they were opened under.
        return False


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["weekday", "start", "end"]
    list_filter = ["weekday"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"
    search_fields = ["reason"]
