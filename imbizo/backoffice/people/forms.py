"""Forms of the people pages: the interface only; the rules are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from imbizo.core.limits import TEXT_MAX
from imbizo.people.assessment_models import AssessmentKind
from imbizo.people.plan_models import ItemStatus
from imbizo.web.styling import BootstrapForm


class AssessmentForm(BootstrapForm):
    """An assessment: its kind, a level per competency (fields level_<code>,
    added per framework), evidence and a note."""

    kind = forms.ChoiceField(label=gettext_lazy("Whose view"), choices=())
    assessed_on = forms.DateField(label=gettext_lazy("Date"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.MultipleChoiceField(
        label=gettext_lazy("Evidence"), required=False, choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Records of this person's own work that show the levels."))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds, competencies, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, AssessmentKind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.fields["assessed_on"].initial = timezone.localdate()
        self.fields["evidence"].choices = [(c["key"], c["label"]) for c in candidates]
        self.competencies = competencies
        for competency in competencies:
            # Any value is accepted here: the service names a level outside
            # the framework in its own error, the same for every door.
            self.fields[f"level_{competency.code}"] = forms.CharField(
                label=competency.name, required=False, max_length=10)

    def levels(self) -> dict[str, str]:
        return {c.code: self.cleaned_data[f"level_{c.code}"] for c in self.competencies
                if self.cleaned_data.get(f"level_{c.code}")}

    def level_rows(self):
        """For the template: each competency with its levels and the chosen rank."""
        rows = []
        for competency in self.competencies:
            name = f"level_{competency.code}"
            value = self[name].value()
            rows.append({"competency": competency, "name": name, "value": str(value or ""),
                         "errors": self.errors.get(name, [])})
        return rows


class PlanStartForm(BootstrapForm):
    goal = forms.CharField(label=gettext_lazy("What the plan is for"), required=False,
                           max_length=400,
                           help_text=gettext_lazy("One sentence, e.g. keep clients informed "
                                                  "without being asked."))


class PlanItemAddForm(BootstrapForm):
    activity = forms.TypedChoiceField(label=gettext_lazy("Activity"), coerce=int, choices=())
    due_on = forms.DateField(label=gettext_lazy("Due"),
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", "—")] + [
            (a.pk, f"{a.title} · {gettext_lazy('level')} {a.level}") for a in activities]


class PlanItemUpdateForm(BootstrapForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ItemStatus.choices)
    note = forms.CharField(label=gettext_lazy("What was done"), required=False,
                           max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.MultipleChoiceField(label=gettext_lazy("Evidence"), required=False,
                                         choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(c["key"], c["label"]) for c in candidates]
