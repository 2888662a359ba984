from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .adapters import adapter_for, adapter_names
from .models import Gateway


def _adapter_choices():
    return [(name, name) for name in sorted({name for _kind, name in adapter_names()})]


class GatewayForm(forms.ModelForm):
    adapter = forms.ChoiceField(
        label=_("adapter"), choices=_adapter_choices,
        help_text=_("The format the provider speaks (docs/channels.md)."))
    new_secret = forms.CharField(
        label=_("Secret in the callback address"), required=False, strip=True, min_length=4,
        max_length=120,
        help_text=_("Only its hash is kept. Leave empty to keep the current secret."))

    class Meta:
        model = Gateway
        fields = ["kind", "slug", "adapter", "settings", "active"]

    def clean(self):
        cleaned = super().clean()
        kind, name = cleaned.get("kind"), cleaned.get("adapter")
        if kind and name:
            try:
                adapter = adapter_for(kind, name)
            except LookupError:
                known = ", ".join(n for k, n in adapter_names(kind)) or "-"
                self.add_error("adapter", _("There is no %(kind)s adapter named %(name)s. "
                                            "Known: %(known)s.")
                               % {"kind": kind, "name": name, "known": known})
            else:
                for problem in adapter.settings_check(cleaned.get("settings") or {}):
                    self.add_error("settings", problem)
        if not cleaned.get("new_secret") and not (self.instance and self.instance.secret_hash):
            self.add_error("new_secret", _("A new gateway needs a secret."))
        return cleaned

    def save(self, commit=True):
        gateway = super().save(commit=False)
        if self.cleaned_data.get("new_secret"):
            gateway.secret_set(self.cleaned_data["new_secret"])
        if commit:
            gateway.save()
        return gateway


@admin.register(Gateway)
class GatewayAdmin(admin.ModelAdmin):
    form = GatewayForm
    list_display = ("kind", "slug", "adapter", "callback_address", "active", "created_at")
    list_filter = ("kind", "active")
    readonly_fields = ("callback_address",)

    @admin.display(description=_("callback address"))
    def callback_address(self, gateway: Gateway) -> str:
        """What to give the provider, the secret left out (only its hash is kept)."""
        if not gateway.pk:
            return "-"
        return f"/channels/{gateway.kind}/{gateway.slug}/<{_('secret')}>/"
