"""Forms of the time log, feedback and learning-from-contacts pages."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imbizo.core.limits import LINE_MAX, TEXT_MAX
from imbizo.people.feedback_models import Relation
from imbizo.people.reflection_models import Pick
from imbizo.people.timelog import DAYS
from imbizo.people.timelog_models import WorkKind
from imbizo.web.styling import BootstrapForm


def cell_name(day: int, kind: str) -> str:
    return f"h_{day}_{kind}"


class TimeLogForm(BootstrapForm):
    """Seven days by four kinds of work, in hours, and the goal for next week.

    Negative and over-long weeks are the service's to refuse (with a message
    naming the day): the form only reads numbers."""

    week = forms.DateField(widget=forms.HiddenInput)
    goal_share = forms.IntegerField(
        label=gettext_lazy("My goal for next week: per cent of my time serving clients"),
        required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}))
    goal_note = forms.CharField(label=gettext_lazy("How I will get there"), required=False,
                                max_length=LINE_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in range(DAYS):
            for kind in WorkKind:
                self.fields[cell_name(day, kind)] = forms.DecimalField(
                    required=False, max_digits=5, decimal_places=2, label=kind.label,
                    widget=forms.NumberInput(attrs={
                        "step": "0.25", "inputmode": "decimal",
                        "class": "form-control form-control-sm text-end px-1"}))

    def hours(self) -> dict:
        return {(day, kind): self.cleaned_data.get(cell_name(day, kind)) or 0
                for day in range(DAYS) for kind in WorkKind}


class AskForm(BootstrapForm):
    giver = forms.ModelChoiceField(label=gettext_lazy("Whom to ask"), queryset=None)
    relation = forms.ChoiceField(label=gettext_lazy("Who they are to you"),
                                 choices=Relation.choices)
    question = forms.CharField(
        label=gettext_lazy("What you would like feedback on (optional)"), required=False,
        max_length=LINE_MAX,
        help_text=gettext_lazy("For example: how I explain a delay, or how I end a call."))

    def __init__(self, *args, givers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = givers
        self.fields["giver"].label_from_instance = (
            lambda s: f"{s} ({s.office})" if s.office_id else str(s))


class AnswerForm(BootstrapForm):
    start = forms.CharField(label=gettext_lazy("Start doing"), required=False,
                            max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    stop = forms.CharField(label=gettext_lazy("Stop doing"), required=False,
                           max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    keep = forms.CharField(label=gettext_lazy("Keep doing"), required=False,
                           max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(label=gettext_lazy("Anything else"), required=False,
                              max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class ReflectionForm(BootstrapForm):
    week = forms.DateField(widget=forms.HiddenInput)
    pick = forms.ChoiceField(choices=Pick.choices, widget=forms.HiddenInput)
    contact = forms.TypedChoiceField(label=gettext_lazy("The contact"), coerce=int,
                                     choices=())
    what_i_did = forms.CharField(label=gettext_lazy("What I did"), max_length=TEXT_MAX,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    do_differently = forms.CharField(label=gettext_lazy("What I would do differently"),
                                     required=False, max_length=TEXT_MAX,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    shared = forms.BooleanField(label=gettext_lazy("Share this with my team"), required=False)

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "—")] + [(c.pk, contact_label(c)) for c in contacts]


class ExtraForm(BootstrapForm):
    done_on = forms.DateField(label=gettext_lazy("Day"),
                              widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("What I did for the client"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=gettext_lazy("For example: took extra time to explain "
                                                  "why a repair needs a second visit."))
    shared = forms.BooleanField(label=gettext_lazy("Share this with my team"), required=False)


def contact_label(contact) -> str:
    """A contact as a person recognises it: when, how, which case, its rating;
    never who the citizen was."""
    parts = [date_format(timezone.localtime(contact.at), "D j M H:i"),
             contact.get_channel_display()]
    if contact.case_id:
        parts.append(contact.case.reference)
    if contact.outcome:
        parts.append(contact.outcome[:40])
    rating = getattr(contact, "overall_rating", None)
    if rating is not None:
        parts.append(_("rated %(n)s of 5") % {"n": round(rating)})
    return " · ".join(parts)
