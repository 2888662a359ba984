from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from imbizo.core.admin import ReadOnlyAdminMixin, SecretShownOnceAdminMixin
from imbizo.core.errors import DomainError
from imbizo.notify.models import MessageChannel
from imbizo.notify.services import message_retry

from .models import ApiKey, Scope, WebhookDelivery, WebhookSubscription
from .services import (
    apikey_create,
    apikey_revoke,
    scopes_parse,
    webhook_replay,
    webhook_subscribe,
    webhook_url_check,
)
from .webhooks import EVENT_NAMES


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "department"]

    def clean_scopes(self):
        try:
            return scopes_parse(self.cleaned_data["scopes"])
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


@admin.register(ApiKey)
class ApiKeyAdmin(SecretShownOnceAdminMixin, admin.ModelAdmin):
    """Keys are created here or with `imbizo apikey create`; the key is shown
    once, on the page that follows creation, and never stored."""

    form = ApiKeyForm
    list_display = ["name", "prefix", "scope_list", "department", "created_at", "last_used_at",
                    "revoked_at"]
    list_filter = ["department", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]
    created_template = "integrations/apikey_created.html"
    created_title = _("API key created")
    context_object_name, context_shown_once_name = "key", "raw_key"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scopes", "department"]
        return ["name", "scopes", "department", *self.readonly_fields]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def create_with_secret(self, request, form):
        # The form has checked the name (unique) and the scopes already.
        return apikey_create(
            name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
            department=form.cleaned_data["department"], created_by=request.user,
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            apikey_revoke(key=key)
            count += 1
        self.message_user(request, ngettext(
            "%(n)d key revoked.", "%(n)d keys revoked.", count) % {"n": count}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the webhook delivery log and access records refer to keys.
        return False


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=254, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, name) for name in EVENT_NAMES],
        help_text=_("None ticked: every event."))

    class Meta:
        model = WebhookSubscription
        fields = ["key", "url", "events", "active"]

    def clean_url(self):
        try:
            return webhook_url_check(self.cleaned_data["url"])
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(SecretShownOnceAdminMixin, admin.ModelAdmin):
    """The signing secret is shown once, on the page after the subscription is created."""

    form = WebhookSubscriptionForm
    list_display = ["key", "url", "event_list", "active", "created_at"]
    list_filter = ["active"]
    list_select_related = ["key"]
    readonly_fields = ["created_at"]
    created_template = "integrations/webhook_created.html"
    created_title = _("Webhook subscription created")
    context_object_name = "subscription"

    @admin.display(description=_("events"))
    def event_list(self, obj):
        return ", ".join(obj.events) or _("all")

    def create_with_secret(self, request, form):
        try:
            subscription, secret = webhook_subscribe(
                key=form.cleaned_data["key"], url=form.cleaned_data["url"],
                events=form.cleaned_data["events"])
        except DomainError as exc:
            raise ValidationError(exc.message) from exc
        if not form.cleaned_data.get("active", True):
            WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False)
        return subscription, secret

    def has_delete_permission(self, request, obj=None):
        # Pause instead (untick active): deliveries refer to subscriptions.
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The delivery log: one row per delivery (a replay is a new row), with the
    consumer's answer to the last attempt."""

    list_display = ["created_at", "template", "recipient", "case", "status", "attempts",
                    "response_status", "response_ms", "attempted_at", "sent_at"]
    list_filter = ["status", "template"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]
    fields = ["created_at", "template", "recipient", "case", "status", "attempts",
              "response_status", "response_ms", "attempted_at", "next_attempt_at", "sent_at",
              "last_error", "context", "body"]
    readonly_fields = fields
    actions = ["replay", "retry_now"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(channel=MessageChannel.WEBHOOK)

    @admin.action(description=_("Send again (replay)"), permissions=["replay"])
    def replay(self, request, queryset):
        count = 0
        for delivery in queryset:
            webhook_replay(delivery=delivery)
            count += 1
        self.message_user(request, ngettext(
            "%(n)d delivery will be sent again.", "%(n)d deliveries will be sent again.",
            count) % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Try a waiting or failed delivery now"), permissions=["replay"])
    def retry_now(self, request, queryset):
        retried = sum(message_retry(message=d) for d in queryset)
        self.message_user(request, ngettext(
            "%(n)d delivery will be tried again shortly.",
            "%(n)d deliveries will be tried again shortly.", retried) % {"n": retried},
            messages.INFO)

    def has_replay_permission(self, request):
        return request.user.has_perm("notify.change_outboxmessage")
