from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .delivery import message_retry
from .models import OutboxMessage
from .sms import mask_number


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only view of outgoing messages; recipients are masked."""

    list_display = ["created_at", "channel", "template", "masked_recipient", "status",
                    "attempts", "sent_at", "case"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    fields = ["created_at", "channel", "template", "masked_recipient", "status", "attempts",
              "next_attempt_at", "sent_at", "last_error", "provider_id", "case", "subject"]
    readonly_fields = fields
    actions = ["retry_now"]
    show_full_result_count = False

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj):
        if "@" in obj.recipient:
            name, _at, domain = obj.recipient.partition("@")
            return f"{name[:1]}***@{domain}"
        return mask_number(obj.recipient)

    @admin.action(description=_("Try again now"))
    def retry_now(self, request, queryset):
        for message in queryset:
            message_retry(message=message)
        self.message_user(request, _("The selected messages will be sent again shortly."),
                          messages.INFO)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
