"""Forms of the meeting and commitment pages. They parse input only; the
rules (a meeting in the future, a commitment with an owner and a due date)
live in outreach.meetings and come back as DomainErrors on the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.catalogue.models import Service
from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, TEXT_MAX
from imbizo.geo.models import Region, Ward
from imbizo.org.models import Department, Staff
from imbizo.outreach.meeting_models import CommitmentStatus
from imbizo.web import styling

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _Styled(styling.BootstrapForm):
    """Bootstrap classes on fields whose querysets or widgets are set per instance too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = styling._css_class(field.widget)
            if css and css not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


class MeetingPlanForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=LINE_MAX,
                            help_text=_("As the public will read it, e.g. 'Ward 12 imbizo'."))
    ward = forms.ModelChoiceField(label=_("Ward"), queryset=Ward.objects.order_by("code"),
                                  to_field_name="code", required=False,
                                  help_text=_("Choose a ward, or a region for a meeting of "
                                              "several wards."))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("name"),
                                    to_field_name="code", required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=ADDRESS_MAX,
                            help_text=_("Where people should come: a hall, a school, a field."))
    lat = forms.FloatField(label=_("Latitude (optional)"), required=False,
                           min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude (optional)"), required=False,
                           min_value=-180, max_value=180)
    leaders = forms.CharField(
        label=_("Leaders attending"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, by public office: 'Executive Mayor', 'Ward 12 councillor'."))
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments called"), required=False, queryset=Department.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].widget.attrs["class"] = "form-check-input"


class CancelForm(_Styled):
    reason = forms.CharField(label=_("Why it is cancelled (shown to the public)"),
                             max_length=LINE_MAX)


class AttendanceForm(_Styled):
    attendance_total = forms.IntegerField(label=_("People attending"), min_value=0,
                                          max_value=1_000_000)
    attendance_women = forms.IntegerField(label=_("Of them women"), min_value=0,
                                          max_value=1_000_000, required=False)
    attendance_youth = forms.IntegerField(label=_("Of them young people (under 35)"),
                                          min_value=0, max_value=1_000_000, required=False)
    summary = forms.CharField(label=_("Public summary"), required=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(_Styled):
    """One row of the issues table: a new issue (service, what was said, where)
    or an existing case's reference. A blank row is ignored."""

    service = forms.ModelChoiceField(label=_("Service"), required=False, to_field_name="code",
                                     queryset=Service.objects.filter(active=True)
                                     .order_by("group", "name"))
    description = forms.CharField(label=_("What was raised"), required=False, max_length=TEXT_MAX,
                                  widget=forms.TextInput(attrs={"style": "min-width: 16rem"}))
    address = forms.CharField(label=_("Street or place"), required=False, max_length=ADDRESS_MAX)
    ward = forms.ModelChoiceField(label=_("Ward"), required=False, to_field_name="code",
                                  queryset=Ward.objects.none())
    reference = forms.CharField(label=_("Or an existing case"), required=False, max_length=20)

    def __init__(self, *args, wards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if wards is not None:
            self.fields["ward"].queryset = wards
        else:
            del self.fields["ward"]

    def clean(self):
        data = super().clean()
        if data.get("reference") and (data.get("service") or data.get("description")):
            self.add_error("reference", _("Give either an existing case's reference or a new "
                                          "issue, not both."))
        elif not data.get("reference") and (data.get("service") or data.get("description")
                                            or data.get("address")):
            if not data.get("service"):
                self.add_error("service", _("Choose the service this issue is about."))
            if not data.get("description"):
                self.add_error("description", _("Write down what was raised."))
        return data


class CommitmentForm(_Styled):
    """One row of the commitments table. A blank row is ignored; the owner and
    the due date are checked by outreach.meetings (a clear error on the row)."""

    text = forms.CharField(label=_("What was promised"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={"style": "min-width: 16rem"}))
    made_by = forms.CharField(label=_("Promised by"), required=False, max_length=LINE_MAX)
    owner_department = forms.ModelChoiceField(label=_("Owner department"), required=False,
                                              to_field_name="code",
                                              queryset=Department.objects.order_by("name"))
    owner_staff = forms.ModelChoiceField(label=_("Or owner (staff)"), required=False,
                                         queryset=Staff.objects.none())
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    wards = forms.ModelMultipleChoiceField(label=_("Wards served"), required=False,
                                           to_field_name="code", queryset=Ward.objects.none())

    def __init__(self, *args, wards=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_staff"].queryset = staff if staff is not None else Staff.objects.none()
        if wards is not None:
            self.fields["wards"].queryset = wards
        else:
            del self.fields["wards"]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("text", "made_by", "owner_department",
                                                   "owner_staff", "due_on", "wards"))


IssueFormSet = forms.formset_factory(IssueForm, extra=5, max_num=100, absolute_max=200)
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=3, max_num=50, absolute_max=100)


class CommitmentUpdateForm(_Styled):
    status = forms.ChoiceField(label=_("New status"), required=False)
    note = forms.CharField(label=_("Report-back (public)"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))
    dropped_reason = forms.CharField(label=_("If you drop it: why (public)"), required=False,
                                     max_length=500)
    case_reference = forms.CharField(label=_("Resolved case delivering it (reference)"),
                                     required=False, max_length=20)
    photo = forms.FileField(label=_("Photo of the work done (staff only)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Unchanged"))] + [
            (status, CommitmentStatus(status).label) for status in allowed]


class DueChangeForm(_Styled):
    due_on = forms.DateField(label=_("New due date"), widget=DATE)
    note = forms.CharField(label=_("Why (public)"), max_length=TEXT_MAX)


class CommitmentFilterForm(_Styled):
    ward = forms.ModelChoiceField(label=_("Ward"), required=False, to_field_name="code",
                                  queryset=Ward.objects.order_by("code"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    department = forms.ModelChoiceField(label=_("Owner department"), required=False,
                                        to_field_name="code",
                                        queryset=Department.objects.order_by("name"))
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    q = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any"))] + list(statuses)
