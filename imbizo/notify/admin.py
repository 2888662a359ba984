from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from imbizo.core.admin import ReadOnlyAdminMixin

from .models import MessageChannel, OutboxMessage
from .services import message_retry
from .sms import mask_number

# How staff type a case reference read out by a citizen: any case, spaces or
# dashes, O for 0, I or L for 1 (cases.reference holds the full rule, check
# symbol included; notify sits below cases and does not import it).
_REFERENCE_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
REFERENCE_LENGTH = 8


def reference_shaped(text: str) -> str | None:
    """`text` in the stored form of a case reference (``4F7K-2M9X``), or None when
    it cannot be one. Only the shape is checked: a mistyped reference of the
    right shape finds no case, as no case carries it."""
    compact = text.strip().upper().translate(_REFERENCE_ALIASES)
    if len(compact) != REFERENCE_LENGTH or not (compact.isascii() and compact.isalnum()):
        return None
    return f"{compact[:4]}-{compact[4:]}"


def mask_recipient(recipient: str) -> str:
    """thandi@example.org -> t***@example.org; +27821234567 -> +27******567."""
    if "@" in recipient:
        name, _at, domain = recipient.rpartition("@")
        return f"{name[:1]}***@{domain}"
    return mask_number(recipient)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of outgoing messages; recipients are masked everywhere.

    The body is shown on a message's own page (staff may need to know what a
    citizen was told) but never in the list.
    """

    list_display = ["created_at", "channel", "template", "masked_recipient", "status",
                    "attempts", "next_attempt_at", "sent_at", "case"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["case__reference"]  # shows the search box; see get_search_results
    search_help_text = _("A case reference, as the citizen would read it out.")
    list_select_related = ["case"]
    fields = ["created_at", "channel", "template", "masked_recipient", "status", "attempts",
              "next_attempt_at", "sent_at", "last_error", "provider_id", "case", "subject",
              "body"]
    readonly_fields = fields
    actions = ["retry_now"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Webhook deliveries have their own page (integrations: webhook deliveries).
        return super().get_queryset(request).exclude(channel=MessageChannel.WEBHOOK)

    def get_search_results(self, request, queryset, search_term):
        # An exact match on the stored form of a reference uses the unique
        # index; anything that cannot be a reference finds nothing.
        if not search_term.strip():
            return queryset, False
        reference = reference_shaped(search_term)
        if reference is None:
            return queryset.none(), False
        return queryset.filter(case__reference=reference), False

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj):
        return mask_recipient(obj.recipient)

    @admin.action(description=_("Try again now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        retried = sum(message_retry(message=message) for message in queryset)
        skipped = len(queryset) - retried
        self.message_user(request, ngettext(
            "%(n)d message will be sent again shortly.",
            "%(n)d messages will be sent again shortly.", retried) % {"n": retried},
            messages.INFO)
        if skipped:
            self.message_user(request, ngettext(
                "%(n)d message was left alone: it is being sent or was sent.",
                "%(n)d messages were left alone: they are being sent or were sent.",
                skipped) % {"n": skipped}, messages.WARNING)

    def has_retry_permission(self, request):
        # Nobody edits messages; those who may change them may ask for a retry.
        return request.user.has_perm("notify.change_outboxmessage")
