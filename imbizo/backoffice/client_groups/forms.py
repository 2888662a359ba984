"""Forms of the client review pages. They parse input only; the rules (at most
three suggestions chosen, an action with an owner and a due date, a review
held after its quarter) live in clients.reviews and come back as errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.backoffice.quality.forms import DATE, owners
from imbizo.cases.models import Principle
from imbizo.catalogue.models import Service
from imbizo.clients.models import KeyClient
from imbizo.core.limits import LINE_MAX, TEXT_MAX
from imbizo.org.models import Office
from imbizo.quality.figures import Metric
from imbizo.web.styling import BootstrapForm


class ReviewOpenForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])


class SuggestionForm(BootstrapForm):
    text = forms.CharField(label=_("Suggestion"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    key_client = forms.ModelChoiceField(label=_("From key client (optional)"), required=False,
                                        queryset=KeyClient.objects.none())

    def __init__(self, *args, key_clients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_client"].queryset = (key_clients if key_clients is not None
                                              else KeyClient.objects.none())


class SuggestionActionForm(BootstrapForm):
    title = forms.CharField(label=_("What will be done"), max_length=LINE_MAX)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    principle = forms.ChoiceField(label=_("Batho Pele principle"), choices=Principle.choices)
    metric = forms.ChoiceField(label=_("Figure expected to move"), choices=Metric.choices)
    office = forms.ModelChoiceField(label=_("At office"), required=False,
                                    queryset=Office.objects.none(), to_field_name="code")
    service = forms.ModelChoiceField(label=_("For service"), required=False, to_field_name="code",
                                     queryset=Service.objects.filter(active=True).order_by("name"))

    def __init__(self, *args, staff=None, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners(staff)
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()


class HoldForm(BootstrapForm):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    notes = forms.CharField(label=_("What was said"), required=False, max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, manual_measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.manual_measures = list(manual_measures)
        for measure in self.manual_measures:
            self.fields[f"measure_{measure.pk}"] = forms.FloatField(
                label=measure.name, required=False,
                help_text=_("Entered by hand; target %(target)s.") % {"target": measure.target},
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}))

    def manual_values(self) -> dict[int, float | None]:
        return {m.pk: self.cleaned_data.get(f"measure_{m.pk}") for m in self.manual_measures}
