"""Forms of the quality programme's staff pages. They parse input only; the
rules live in quality.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import Principle
from imbizo.catalogue.models import Service
from imbizo.core.limits import LINE_MAX, NAME_MAX, TEXT_MAX
from imbizo.geo.models import Ward
from imbizo.org.models import Office, Role, Staff
from imbizo.quality.figures import Metric
from imbizo.quality.models import ActionSource, Checklist, StoryOutcome, Strategy
from imbizo.quality.services import ItemEntry
from imbizo.web import styling


class BootstrapForm(styling.BootstrapForm):
    """Bootstrap classes on every field of the instance, including the fields
    the scoring sheet and focus-group forms add per instance (styling's
    BootstrapForm styles the declared ones, once per class)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = styling._css_class(field.widget)
            if css and css not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SCORES = [(1, _("1 poor")), (2, _("2 needs work")), (3, _("3 good")), (4, _("4 excellent"))]


class CycleStartForm(BootstrapForm):
    office = forms.ModelChoiceField(label=_("Office to visit"), queryset=Office.objects.none(),
                                    to_field_name="code")
    checklist = forms.ModelChoiceField(label=_("Checklist"), required=False,
                                       queryset=Checklist.objects.filter(active=True),
                                       empty_label=_("The default checklist"))

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()


class FeedbackForm(BootstrapForm):
    held_on = forms.DateField(label=_("Feedback meeting held on"), widget=DATE)
    notes = forms.CharField(label=_("What was said, and what the office will change"),
                            widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)


class PlanForm(BootstrapForm):
    revisit_after = forms.DateField(
        label=_("Re-visit not before"), required=False, widget=DATE,
        help_text=_("Only you see this: the re-visit stays unannounced."))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Why"), max_length=1000)


class CitizenVisitForm(BootstrapForm):
    office = forms.ModelChoiceField(label=_("Office you visited"), queryset=Office.objects.none(),
                                    to_field_name="code")
    visited_at = forms.DateTimeField(label=_("When"), widget=DATETIME)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Office.objects.filter(is_public=True).order_by("name")
        if staff is not None and staff.office_id:
            offices = offices.exclude(pk=staff.office_id)
        self.fields["office"].queryset = offices


class VisitSheetForm(forms.Form):
    """One score (1-4), evidence note and photo field per checklist item."""

    evidence_max_length = TEXT_MAX  # for the template, which draws the evidence boxes itself

    visited_at = forms.DateTimeField(label=_("Visited at"), widget=DATETIME)
    summary = forms.CharField(label=_("What stood out"), required=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_at"].widget.attrs["class"] = "form-control"
        self.item_ids = []
        for item in items:
            self.item_ids.append(item.pk)
            self.fields[f"score_{item.pk}"] = forms.TypedChoiceField(
                label=item.text, choices=SCORES, coerce=int, required=False,
                empty_value=None, widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
            self.fields[f"photo_{item.pk}"] = forms.FileField(
                label=_("Photo (JPEG, PNG or WebP, up to 5 MB)"), required=False,
                widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                                       "accept": "image/jpeg,image/png,image/webp"}))

    def entries(self) -> dict:
        data = self.cleaned_data
        return {pk: ItemEntry(score=data.get(f"score_{pk}"), evidence=data.get(f"evidence_{pk}", ""))
                for pk in self.item_ids}

    def photos(self) -> list:
        return [(pk, self.cleaned_data[f"photo_{pk}"]) for pk in self.item_ids
                if self.cleaned_data.get(f"photo_{pk}")]


def owners(staff) -> "forms.QuerySet":
    """Who may own an action agreed by `staff`: supervisors and managers of the
    same department (everyone for an administrator)."""
    people = Staff.objects.filter(active=True, role__in=[Role.SUPERVISOR, Role.MANAGER,
                                                         Role.ADMINISTRATOR])
    if staff.role != Role.ADMINISTRATOR:
        people = people.filter(department_id=staff.department_id)
    return people.select_related("user", "office").order_by("user__last_name", "user__first_name")


class ActionForm(BootstrapForm):
    title = forms.CharField(label=_("What will be done"), max_length=LINE_MAX)
    detail = forms.CharField(label=_("Detail"), required=False, max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Staff.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    principle = forms.ChoiceField(label=_("Batho Pele principle"), choices=Principle.choices)
    metric = forms.ChoiceField(label=_("Figure expected to move"), choices=Metric.choices)
    office = forms.ModelChoiceField(label=_("At office"), required=False,
                                    queryset=Office.objects.none(), to_field_name="code")
    service = forms.ModelChoiceField(label=_("For service"), required=False, to_field_name="code",
                                     queryset=Service.objects.filter(active=True).order_by("name"))
    ward = forms.ModelChoiceField(label=_("In ward"), required=False, to_field_name="code",
                                  queryset=Ward.objects.order_by("code"))
    target = forms.FloatField(label=_("Level to reach (optional)"), required=False,
                              help_text=_("In percent for shares, 1-5 for the rating."))
    window_days = forms.IntegerField(label=_("Days compared before and after"), initial=60,
                                     min_value=7, max_value=365)
    source = forms.ChoiceField(label=_("Comes from"), choices=ActionSource.choices)
    cycle = forms.IntegerField(required=False, widget=forms.HiddenInput)
    focus_group = forms.IntegerField(required=False, widget=forms.HiddenInput)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=20,
                           help_text=_("For a complaint or a follow-up: the case it comes from."))

    def __init__(self, *args, staff=None, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners(staff)
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()


class CloseForm(BootstrapForm):
    note = forms.CharField(label=_("What was done"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class FocusGroupForm(BootstrapForm):
    topic = forms.CharField(label=_("Topic"), max_length=LINE_MAX)
    office = forms.ModelChoiceField(label=_("About the office"), required=False,
                                    queryset=Office.objects.none(), to_field_name="code")
    service = forms.ModelChoiceField(label=_("Or about the service"), required=False,
                                     to_field_name="code",
                                     queryset=Service.objects.filter(active=True).order_by("name"))
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = forms.IntegerField(label=_("Number of participants (no names)"), min_value=1,
                                      max_value=1000)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()


class FocusAnswersForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    new_question = forms.CharField(label=_("Add a question"), required=False, max_length=300,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_ids = []
        for question in questions:
            self.question_ids.append(question.pk)
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text, required=False, max_length=TEXT_MAX, initial=question.answer,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    def answers(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"answer_{pk}", "") for pk in self.question_ids}


class NominationForm(BootstrapForm):
    staff = forms.ModelChoiceField(label=_("Staff member"), required=False,
                                   queryset=Staff.objects.none())
    office = forms.ModelChoiceField(label=_("Or a team (office)"), required=False,
                                    queryset=Office.objects.none(), to_field_name="code")
    reason = forms.CharField(label=_("What they did (shown with their consent on the public "
                                     "site)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Say what they did, without naming the citizens they "
                                         "served."))

    def __init__(self, *args, staff=None, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Staff.objects.filter(active=True).select_related("user", "office")
        if staff is not None and staff.role != Role.ADMINISTRATOR:
            people = people.filter(department_id=staff.department_id)
        self.fields["staff"].queryset = people.order_by("user__last_name", "user__first_name")
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()


class StoryForm(BootstrapForm):
    reference = forms.CharField(widget=forms.HiddenInput, max_length=20)
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)
    text = forms.CharField(label=_("The story (no names, numbers or addresses)"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 7}))
    key_outcome = forms.ChoiceField(label=_("Success or failure"), choices=StoryOutcome.choices)
    key_principle = forms.ChoiceField(label=_("Principle involved"), choices=Principle.choices)
    key_strategy = forms.ModelChoiceField(label=_("Strategy that would fix it (for a failure)"),
                                          required=False,
                                          queryset=Strategy.objects.filter(active=True))
    explanation = forms.CharField(label=_("Why (shown to staff after they answer)"),
                                  required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    publish = forms.BooleanField(label=_("Publish now for staff to answer"), required=False,
                                 initial=True)


class StoryAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Was this a service delivery success or failure?"),
                                choices=StoryOutcome.choices,
                                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    principle = forms.ChoiceField(label=_("Which Batho Pele principle is involved?"),
                                  choices=[("", "—"), *Principle.choices],
                                  widget=forms.Select(attrs={"class": "form-select"}))
    strategy = forms.ModelChoiceField(
        label=_("If it failed: which strategy would fix it?"), required=False,
        queryset=Strategy.objects.filter(active=True),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}), empty_label=None)
