"""The framework and the activity library in the admin: nothing else.

A person's assessments, plans, logs and notes are theirs and their manager's
(people.access, ADR 0035): they are not registered here, on purpose, so that
no administrator can read them through the admin.

A published framework version is shown read-only; to change the framework,
start a new version from it (an action), edit the draft, then publish it.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imbizo.core.errors import DomainError

from . import framework
from .framework_models import Activity, Competency, FrameworkVersion, Indicator, Level, Meaning


class _DraftOnly:
    """Editable only while the version it belongs to is a draft."""

    def _version(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._version(obj).is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._version(obj).is_published:
            return False
        return super().has_delete_permission(request, obj)


class _DraftInline(admin.TabularInline):
    extra = 0

    def _draft(self, obj) -> bool:
        return obj is None or not obj_version(obj).is_published

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


def obj_version(obj) -> FrameworkVersion:
    if isinstance(obj, FrameworkVersion):
        return obj
    if isinstance(obj, Competency):
        return obj.version
    if isinstance(obj, Level):
        return obj.competency.version
    raise TypeError(obj)


class CompetencyInline(_DraftInline):
    model = Competency
    fields = ["order", "code", "name"]
    show_change_link = True


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ["__str__", "published_at", "note"]
    fields = ["number", "note", "published_at"]
    readonly_fields = ["published_at"]
    inlines = [CompetencyInline]
    actions = ["start_new_version", "publish"]

    def _version(self, obj):
        return obj

    @admin.action(description=gettext_lazy("Start a new draft version from the selected one"))
    def start_new_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version to start from."),
                              messages.ERROR)
            return
        draft = framework.version_start_from(queryset.get(),
                                             note=_("Draft started in the admin"))
        self.message_user(request, _("Draft version %(n)s started: edit it, then publish it.")
                          % {"n": draft.number})

    @admin.action(description=gettext_lazy("Publish the selected draft"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                framework.version_publish(version)
            except DomainError as error:
                self.message_user(request, f"{version}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(v)s published.") % {"v": version})


class LevelInline(_DraftInline):
    model = Level
    fields = ["rank", "name", "summary"]
    show_change_link = True


class MeaningInline(_DraftInline):
    model = Meaning
    fields = ["order", "means", "does_not_mean"]


@admin.register(Competency)
class CompetencyAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ["name", "code", "version", "order"]
    list_filter = ["version"]
    list_select_related = ["version"]
    inlines = [LevelInline, MeaningInline]

    def _version(self, obj):
        return obj.version

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.filter(published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorInline(_DraftInline):
    model = Indicator
    fields = ["order", "text"]


@admin.register(Level)
class LevelAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ["__str__", "competency", "version"]
    list_filter = ["competency__version", "competency__code"]
    list_select_related = ["competency__version"]
    inlines = [IndicatorInline]

    def _version(self, obj):
        return obj.competency.version

    @admin.display(description=gettext_lazy("version"))
    def version(self, obj):
        return obj.competency.version

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competency":
            kwargs["queryset"] = Competency.objects.filter(version__published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["code", "title", "description", "competency_code", "level", "suggested_days",
                  "active", "order"]

    def clean(self):
        data = super().clean()
        code, rank = data.get("competency_code"), data.get("level")
        version = framework.current_version()
        if version is None or not code:
            return data
        competency = version.competencies.filter(code=code).first()
        if competency is None:
            codes = ", ".join(version.competencies.values_list("code", flat=True))
            self.add_error("competency_code", _("No competency has this code in the framework "
                                                "in use; the codes are: %(codes)s.")
                           % {"codes": codes})
        elif rank is not None and not competency.levels.filter(rank=rank).exists():
            self.add_error("level", _("%(name)s has no level %(rank)s.")
                           % {"name": competency.name, "rank": rank})
        return data


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityForm
    list_display = ["title", "competency_code", "level", "suggested_days", "active"]
    list_filter = ["active", "competency_code", "level"]
    search_fields = ["title", "description"]
