from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin

from .models import (
    FieldAssignment,
    FieldConflict,
    FieldDevice,
    FieldForm,
    FieldRecord,
    FieldRecordRevision,
    NeedCategory,
)


@admin.register(FieldForm)
class FieldFormAdmin(admin.ModelAdmin):
    """Forms are data; a published version is retired (inactive), not edited: add a new version."""

    list_display = ["code", "version", "title", "published_at", "active"]
    list_filter = ["active", "code"]


@admin.register(NeedCategory)
class NeedCategoryAdmin(admin.ModelAdmin):
    """Which catalogue service group each need belongs to, for the needs map."""

    list_display = ["position", "code", "label", "service_group"]
    list_display_links = ["code"]


class RevisionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = FieldRecordRevision
    fields = ["revision", "base_revision", "received_at", "captured_at", "worker"]


@admin.register(FieldRecord)
class FieldRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records change only through record_receive and conflict resolution (history kept)."""

    list_display = ["instance_id", "form", "ward", "worker", "received_at", "revision",
                    "outside_wards", "complete"]
    list_filter = ["outside_wards", "complete", "form"]
    list_select_related = ["form", "ward", "worker"]
    search_fields = ["instance_id"]
    raw_id_fields = ["ward", "worker", "device"]
    inlines = [RevisionInline]


@admin.register(FieldConflict)
class FieldConflictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Resolved in the back office (Field supervision), which records who decided."""

    list_display = ["record", "base_revision", "current_revision", "received_at", "resolved_at",
                    "resolution"]
    list_select_related = ["record"]


@admin.register(FieldDevice)
class FieldDeviceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "worker", "created_at", "last_seen_at", "unsynced_reported",
                    "revoked_at"]
    list_select_related = ["worker"]
    exclude = ["token_hash"]


@admin.register(FieldAssignment)
class FieldAssignmentAdmin(admin.ModelAdmin):
    list_display = ["worker", "ward", "street", "target_households"]
    list_select_related = ["worker", "ward"]
    raw_id_fields = ["worker", "ward"]
