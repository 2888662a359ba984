from django.contrib import admin

from imbizo.core.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin

from .models import Answer, Contact, Instrument, Invitation, LoopRule, Question, Response


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "code", "text", "type", "driver", "required", "choices"]
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "purpose", "published"]
    list_filter = ["purpose", "published"]
    search_fields = ["name", "code"]
    inlines = [QuestionInline]


@admin.register(LoopRule)
class LoopRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "instrument_code", "max_score", "detractor", "follow_up_service",
                    "active"]
    list_filter = ["active", "instrument_code"]
    fields = ["name", "instrument_code", "questions", "drivers", "max_score", "detractor",
              "follow_up_service", "promise", "active"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "channel", "office", "staff", "case", "outcome"]
    list_filter = ["kind", "channel", "office"]
    list_select_related = ["office", "staff__user", "case"]
    date_hierarchy = "at"
    search_fields = ["case__reference"]
    readonly_fields = ["citizen_key"]
    show_full_result_count = False


class AnswerInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Answer
    fields = ["question", "driver", "number", "text"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Answers as given: read-only, so scores stay honest."""

    list_display = ["submitted_at", "instrument", "office", "staff", "case", "follow_up"]
    list_filter = ["instrument", "office"]
    list_select_related = ["instrument", "office", "staff__user", "case", "follow_up"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline]
    show_full_result_count = False
    deletable = True


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "source", "instrument", "office", "case", "used_at",
                    "expires_at"]
    list_filter = ["source", "instrument"]
    list_select_related = ["instrument", "office", "case"]
    exclude = ["token_hash", "citizen_key"]
    deletable = True
