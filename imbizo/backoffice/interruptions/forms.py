"""Forms of the service interruption pages. They parse input only; the rules
live in outreach.interruptions (whose errors land on the fields they name)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.catalogue.models import Priority, Service
from imbizo.core.limits import LINE_MAX, MESSAGE_MAX
from imbizo.geo.models import Ward
from imbizo.outreach.interruption_models import InterruptionKind
from imbizo.web import styling

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# The area field carries GeoJSON written by the map; a drawing is far smaller.
AREA_MAX = 200_000


class InterruptionForm(styling.BootstrapForm):
    service = forms.ModelChoiceField(label=_("Service interrupted"),
                                     queryset=Service.objects.filter(active=True),
                                     to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind"), choices=InterruptionKind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=LINE_MAX,
                            help_text=_("Short, for lists: “Burst main on Vilakazi Street”."))
    public_text = forms.CharField(
        label=_("What citizens are told"), max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain words: what is off, where, why, until when, and where to get "
                    "water or help meanwhile. Published on the ward pages and sent to "
                    "reporters."))
    wards = forms.ModelMultipleChoiceField(
        label=_("Wards affected"), queryset=Ward.objects.order_by("code"), required=False,
        to_field_name="code", widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose the wards (hold Ctrl, or Cmd on a Mac, to choose several), or "
                    "draw the area on the map: the wards it touches are added."))
    area = forms.CharField(required=False, widget=forms.HiddenInput, max_length=AREA_MAX)
    starts_at = forms.DateTimeField(label=_("Starts (or started) at"), widget=DATETIME)
    expected_restoration_at = forms.DateTimeField(label=_("Expected restoration"),
                                                  widget=DATETIME)
    priority = forms.ChoiceField(
        label=_("Restoration target"), choices=Priority.choices, initial=Priority.URGENT,
        help_text=_("Which of the service standard's targets applies to putting it back."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios are check inputs, not the text box class styling gives other widgets.
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean_area(self):
        text = self.cleaned_data.get("area") or ""
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("The area drawn could not be read; draw it again."),
                                        code="invalid") from exc


class UpdateForm(styling.BootstrapForm):
    text = forms.CharField(label=_("Update for citizens"), max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What is happening now. Sent with the alerts and shown "
                                       "on the public page."))
    expected_restoration_at = forms.DateTimeField(
        label=_("New expected restoration"), widget=DATETIME, required=False,
        help_text=_("Leave empty if it has not changed. Linked reports follow it."))


class RestoreForm(styling.BootstrapForm):
    restored_at = forms.DateTimeField(label=_("Restored at"), widget=DATETIME, required=False,
                                      help_text=_("Leave empty for now."))
    text = forms.CharField(label=_("What citizens are told"), max_length=MESSAGE_MAX,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("For example: “Water is back. It may be cloudy for an "
                                       "hour; let the tap run.”"))


class CancelForm(styling.BootstrapForm):
    text = forms.CharField(label=_("Why it is called off"), max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
