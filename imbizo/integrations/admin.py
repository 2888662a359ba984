from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from imbizo.core.errors import DomainError

from .models import ApiKey, Scope
from .services import apikey_create, apikey_revoke, scopes_parse


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
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created here or with `imbizo apikey create`; the key is shown
    once, on the page that follows creation, and never stored."""

    form = ApiKeyForm
    list_display = ["name", "prefix", "scope_list", "department", "created_at", "last_used_at",
                    "revoked_at"]
    list_filter = ["department", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scopes", "department"]
        return ["name", "scopes", "department", *self.readonly_fields]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def save_form(self, request, form, change):
        if change:
            return form.save(commit=False)
        # The form has checked the name (unique) and the scopes already.
        key, raw_key = apikey_create(
            name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
            department=form.cleaned_data["department"], created_by=request.user,
        )
        request._imbizo_raw_key = raw_key  # for response_add, this request only
        return key

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        # The key is rendered into this one response instead of being carried
        # to the next page in the session (which would store it).
        return TemplateResponse(request, "integrations/apikey_created.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "key": obj, "raw_key": request._imbizo_raw_key,
            "title": _("API key created"),
        })

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
