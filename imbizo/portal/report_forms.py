from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import Kind
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.limits import ADDRESS_MAX, NAME_MAX, TEXT_MAX
from imbizo.privacy.consent import CONTACT_WORDING as CONSENT_WORDING
from imbizo.texts.selectors import words_in
from imbizo.web.places import ward_field
from imbizo.web.questions import QuestionsMixin
from imbizo.web.styling import BootstrapForm
from imbizo.web.templatetags.babel_format import local_number


def service_choices() -> list[tuple[str, str]]:
    """Active services, grouped, from the in-process catalogue snapshot, named
    in the page's language where they are translated."""
    services = sorted(catalogue_snapshot().services.values(), key=lambda s: (s.group, s.name))
    words = words_in(services)
    choices = []
    for s in services:
        own = words.get((s._meta.label_lower, s.pk), {})
        name, group = own.get("name", s.name), own.get("group", s.group)
        choices.append((s.code, f"{group}: {name}" if group else name))
    return [("", _("Choose a service")), *choices]



class ServiceChoiceField(forms.ChoiceField):
    """A service by its code, among the active ones (the catalogue snapshot).

    The choices (names in the page's language, sorted) are for showing the
    select; a sent form is checked against the snapshot's codes, so that
    checking does not build them (outside English, one query for their
    names) on every report."""

    def valid_value(self, value) -> bool:
        return str(value) in catalogue_snapshot().services


# "4,000" in English, "4 000" in Afrikaans or Sesotho: the page's language.
_text_max_shown = lazy(lambda: local_number(TEXT_MAX, "0g"), str)()

class ReportForm(QuestionsMixin, BootstrapForm):
    kind = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=[
            (Kind.REQUEST, _("Report a problem or ask for a service")),
            (Kind.COMPLAINT, _("Complain about our service")),
            (Kind.COMPLIMENT, _("Pay a compliment")),
            (Kind.ENQUIRY, _("Ask a question")),
            (Kind.SUGGESTION, _("Make a suggestion")),
        ],
        initial=Kind.REQUEST,
    )
    service = ServiceChoiceField(label=_("Which service is it about?"), choices=service_choices)
    description = forms.CharField(
        label=_("Tell us what happened"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(_("What, where exactly, and since when. Up to {limit} characters."),
                              limit=_text_max_shown),
    )
    dangerous = forms.BooleanField(
        label=_("This is dangerous (for example a burst pipe flooding a road, a live wire, "
                "open sewage): someone could get hurt"),
        required=False,
        help_text=_("We treat it as an emergency. For a threat to life, also phone the "
                    "emergency number."),
    )
    # The place (web/_place_picker.html): the map fills lat/lon; the ward
    # select is the plain fallback without JavaScript.
    address = forms.CharField(label=_("Address or place"), required=False, max_length=ADDRESS_MAX)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    ward = ward_field(help_text=_("If you know it. A pin on the map sets it for you."))
    photo = forms.FileField(
        label=_("Photo (optional)"), required=False,
        help_text=_("A JPEG, PNG or WebP image up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    anonymous = forms.BooleanField(
        label=_("Stay anonymous (we cannot contact you or tell you about progress)"),
        required=False,
    )
    citizen_name = forms.CharField(label=_("Your name"), required=False, max_length=NAME_MAX)
    citizen_phone = forms.CharField(
        label=_("Mobile number"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    citizen_email = forms.EmailField(
        label=_("Email address"), required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_consent = forms.BooleanField(label=CONSENT_WORDING, required=False)
    kept_private = forms.BooleanField(
        label=_("Keep my whole report private: only the municipality's staff see it"),
        required=False,
        help_text=_("Then the public sees only the service, the ward and the progress, "
                    "not your words, the exact place or photos."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions_setup()

    def clean(self):
        cleaned = super().clean()
        cleaned["attributes"] = self.questions_clean()
        if cleaned.get("kind") in (Kind.REQUEST, Kind.COMPLAINT) and not (
            cleaned.get("address") or cleaned.get("lat") is not None or cleaned.get("ward")
        ):
            self.add_error("address", _("Tell us where: give an address, put a pin on the map "
                                        "or choose the ward."))
        return cleaned


class TrackForm(BootstrapForm):
    reference = forms.CharField(
        label=_("Your reference"), max_length=20,
        help_text=_("As in our message to you, for example 4F7K-2M9X."),
    )


class ReopenForm(BootstrapForm):
    reason = forms.CharField(
        label=_("What is still wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Not required here: without it the service's refusal says what to do.
    secret = forms.CharField(
        label=_("Reopen code"), max_length=64, required=False,
        help_text=_("On the page you saw after reporting, and in our last message to you. "
                    "The link in that message fills it in."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
