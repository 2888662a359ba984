from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin

from .models import (
    Action,
    Checklist,
    ChecklistItem,
    CycleStep,
    FocusGroup,
    FocusQuestion,
    Nomination,
    Story,
    Strategy,
    Visit,
    VisitCycle,
    VisitScore,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["order", "area", "text", "principle", "active"]
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    """The checklists are data: add items, retire them (inactive); scored items stay."""

    list_display = ["code", "name", "active"]
    inlines = [ChecklistItemInline]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "active"]
    list_display_links = ["code"]


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Changed through the back office, which keeps the rules and the history;
    an administrator may still delete a row."""

    deletable = True


class CycleStepInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CycleStep
    fields = ["at", "step", "actor", "note"]


@admin.register(VisitCycle)
class VisitCycleAdmin(ReadOnlyAdmin):
    list_display = ["office", "stage", "started_at", "closed_at"]
    list_filter = ["stage"]
    list_select_related = ["office"]
    inlines = [CycleStepInline]


class VisitScoreInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = VisitScore
    fields = ["item", "score", "evidence"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["office", "kind", "visited_at", "visitor", "submitted_at"]
    list_filter = ["kind"]
    list_select_related = ["office", "visitor__user"]
    inlines = [VisitScoreInline]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "due_on", "metric", "status"]
    list_filter = ["status", "metric", "principle", "source"]
    list_select_related = ["owner__user"]
    search_fields = ["title"]


class FocusQuestionInline(admin.TabularInline):
    model = FocusQuestion
    fields = ["order", "text", "answer"]
    extra = 0


@admin.register(FocusGroup)
class FocusGroupAdmin(ReadOnlyAdmin):
    list_display = ["topic", "held_on", "office", "service", "participants"]
    list_select_related = ["office", "service"]
    inlines = [FocusQuestionInline]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "nominated_at", "public_consent", "withdrawn_at"]
    list_filter = ["public_consent"]
    list_select_related = ["staff__user", "office"]


@admin.register(Story)
class StoryAdmin(ReadOnlyAdmin):
    list_display = ["title", "key_outcome", "key_principle", "published_at"]
    list_filter = ["key_outcome", "key_principle"]
