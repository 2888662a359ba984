from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import Kind, Outcome, Priority
from imbizo.catalogue.models import Channel, Offering, Service
from imbizo.clients.models import ClientGroup, KeyClient
from imbizo.core.languages import Language
from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, MESSAGE_MAX, NAME_MAX, TEXT_MAX
from imbizo.org.models import Role, Staff
from imbizo.privacy.consent import CONTACT_WORDING
from imbizo.web.places import PLACE_FIELDS, ward_field
from imbizo.web.questions import QuestionsMixin
from imbizo.web.styling import BootstrapForm


class IntakeForm(QuestionsMixin, BootstrapForm):
    """A call or visit logged by an agent: everything on one screen.

    The agent's words are a private note; the public reads only the optional
    public summary (docs/adr/0017)."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.HOTLINE, Channel.HOTLINE.label), (Channel.WALK_IN, Channel.WALK_IN.label),
                 (Channel.EMAIL, Channel.EMAIL.label), (Channel.FIELD, Channel.FIELD.label),
                 (Channel.OUTREACH, Channel.OUTREACH.label)],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.REQUEST)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(active=True).order_by("group", "name"),
        to_field_name="code",
    )
    description = forms.CharField(
        label=_("What the caller says (private note: staff only)"),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX,
        help_text=_("Names, phone numbers and addresses may go here: the public never sees "
                    "this note."),
    )
    public_summary = forms.CharField(
        label=_("Public summary (optional: anyone can read it)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX,
        help_text=_("Shown on the tracking page and the open data feed, for example "
                    "“Pothole in the left lane”. No names or contact details. Leave it "
                    "empty to publish no text."),
    )
    # The place (web/_place_picker.html, rendered apart from the other fields).
    place_fields = PLACE_FIELDS
    address = forms.CharField(label=_("Address or place"), required=False, max_length=ADDRESS_MAX)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180,
                           widget=forms.HiddenInput)
    ward = ward_field(help_text=_("Set by the pin; choose it yourself for a walk-in who "
                                  "can name the area but not the street."),
                      empty_label=_("Not chosen"))
    place_unknown = forms.BooleanField(
        label=_("The caller cannot say where it is"), required=False,
        help_text=_("Only then may a case about a pothole, a leak or the like have no ward."),
    )
    citizen_name = forms.CharField(label=_("Caller's name"), required=False, max_length=NAME_MAX)
    citizen_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=30)
    citizen_email = forms.EmailField(label=_("Caller's email"), required=False)
    contact_consent = forms.BooleanField(
        label=_("The caller agrees to be contacted about this case"), required=False,
        help_text=format_lazy(_("Read this to the caller first: “{wording}”"),
                              wording=CONTACT_WORDING),
    )
    anonymous = forms.BooleanField(label=_("The caller wants to stay anonymous"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.NORMAL,
                                 help_text=_("Urgent is an emergency (a burst pipe, a live wire): "
                                             "its clock may run in hours, day and night."))
    wait_minutes = forms.IntegerField(label=_("How long the caller waited (minutes)"),
                                      required=False, min_value=0, max_value=24 * 60)
    handling_minutes = forms.IntegerField(label=_("How long the contact took (minutes)"),
                                          required=False, min_value=0, max_value=24 * 60)

    # Who the client is (issue 21): a group, a key client, and for a customised
    # service what was agreed (clients.key_clients.intake_link).
    client_group = forms.ModelChoiceField(
        label=_("Client group"), required=False, to_field_name="code",
        queryset=ClientGroup.objects.filter(active=True),
        empty_label=_("From the key client, or the usual group"),
        help_text=_("Leave it for a member of the public: the case joins the usual group."))
    key_client = forms.ModelChoiceField(
        label=_("Key client"), required=False,
        queryset=KeyClient.objects.filter(active=True).select_related("group"),
        empty_label=_("None (or found by the caller's phone or email)"),
        help_text=_("A caller who is one of a key client's contact persons is linked to it "
                    "by their phone or email."))
    agreed = forms.CharField(
        label=_("What was agreed with the client"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a service shaped to the client: what you agreed to deliver, and by "
                    "when."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions_setup()

    def clean(self):
        cleaned = super().clean()
        cleaned["attributes"] = self.questions_clean()
        service, key_client = cleaned.get("service"), cleaned.get("key_client")
        if (cleaned.get("agreed", "").strip() and service is not None
                and service.offering != Offering.CUSTOMISED):
            self.add_error("agreed", _("“%(service)s” is a standard service: there is nothing "
                                       "to agree. Leave this empty or choose the customised "
                                       "service.") % {"service": service.name})
        group = cleaned.get("client_group")
        if key_client is not None and group is not None and group != key_client.group:
            self.add_error("client_group", _("%(client)s is in the group “%(group)s”: choose "
                                             "that group or leave it empty.")
                           % {"client": key_client.name, "group": key_client.group.name})
        return cleaned


class NoteForm(BootstrapForm):
    note = forms.CharField(label=_("Internal note (staff only)"), widget=forms.Textarea(
        attrs={"rows": 2}), max_length=TEXT_MAX)


class UpdateForm(BootstrapForm):
    message = forms.CharField(label=_("Update to the citizen (the citizen and the public see "
                                      "this)"), widget=forms.Textarea(
        attrs={"rows": 2}), max_length=MESSAGE_MAX)


class WaitForm(BootstrapForm):
    on = forms.ChoiceField(label=_("Waiting on"), choices=[
        ("citizen", _("the citizen")), ("third_party", _("a third party"))])
    note = forms.CharField(label=_("What we are waiting for (the citizen and the public see "
                                   "this)"), max_length=500)


class ResolveForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("What was done (the citizen and the public see this)"),
                           required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=MESSAGE_MAX)
    reason = forms.CharField(label=_("Why not fixed (the citizen sees this)"), required=False,
                             max_length=1000)
    referred_to = forms.CharField(label=_("Referred to (staff only)"), required=False,
                                  max_length=LINE_MAX)
    root_cause = forms.CharField(label=_("Root cause (staff only)"), required=False,
                                 max_length=1000)
    redress = forms.CharField(label=_("Redress offered (staff only)"), required=False,
                              max_length=1000)


class ReopenForm(BootstrapForm):
    reason = forms.CharField(label=_("Why reopen (the citizen and the public see this)"),
                             max_length=1000)


class AssignForm(BootstrapForm):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=Staff.objects.none())

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        officers = Staff.objects.filter(active=True, role__in=[Role.OFFICER, Role.SUPERVISOR])
        if office is not None:
            officers = officers.filter(office=office)
        self.fields["assignee"].queryset = officers.select_related("user")


class MergeForm(BootstrapForm):
    into = forms.CharField(label=_("Reference of the incident to merge into"), max_length=20)


class PriorityForm(BootstrapForm):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 help_text=_("Urgent is an emergency: the clock may run in hours, "
                                             "day and night."))
    note = forms.CharField(label=_("Why (staff only)"), required=False, max_length=1000)


class LanguageForm(BootstrapForm):
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices,
        help_text=_("Every message to the citizen about this case is written in it."))
    note = forms.CharField(label=_("Why (staff only)"), required=False, max_length=1000)


class ServiceForm(BootstrapForm):
    service = forms.ModelChoiceField(
        label=_("Correct service"),
        queryset=Service.objects.filter(active=True).order_by("group", "name"),
        to_field_name="code",
        help_text=_("The case's promise follows the new service's standard."),
    )
    note = forms.CharField(label=_("Why (staff only)"), required=False, max_length=1000)


class SimpleNoteForm(BootstrapForm):
    note = forms.CharField(label=_("Note (the citizen and the public see this)"), required=False,
                           max_length=1000)


class ContactForm(BootstrapForm):
    """A moment of truth recorded on the case page (prefixed: its fields share
    names with the resolve form on the same page)."""

    prefix = "contact"

    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    wait_minutes = forms.IntegerField(label=_("Waiting time (minutes)"), required=False,
                                      min_value=0, max_value=24 * 60)
    handling_minutes = forms.IntegerField(label=_("Handling time (minutes)"), required=False,
                                          min_value=0, max_value=24 * 60)
    outcome = forms.CharField(label=_("What came of it (staff only)"), max_length=LINE_MAX,
                              required=False)


class PublicTextForm(BootstrapForm):
    """The case's public description, as staff correct it (prefixed: its field
    shares no name with the page's other forms, but stays apart all the same)."""

    prefix = "public"

    public_description = forms.CharField(
        label=_("Public description (anyone can read this)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX,
        help_text=_("Shown on the tracking page and the open data feed. No names or contact "
                    "details. Empty: no text is published. The text it replaces stays in the "
                    "history, for staff."),
    )
