"""Forms of the key client pages. They parse input only; the rules (a visit
not in the future, a next visit after it, a corrective action said) live in
clients.key_clients and come back as DomainErrors on the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.clients.models import ClientGroup
from imbizo.core.limits import TEXT_MAX
from imbizo.web.styling import BootstrapForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(BootstrapForm):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    notes = forms.CharField(label=_("What you saw and heard"), max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))
    actions_agreed = forms.CharField(label=_("Actions agreed"), required=False,
                                     max_length=TEXT_MAX,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    next_visit_on = forms.DateField(
        label=_("Next visit"), required=False, widget=DATE,
        help_text=_("Leave empty to plan it from the client's visiting interval."))


class CorrectiveActionForm(BootstrapForm):
    corrective_action = forms.CharField(
        label=_("Corrective action taken"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you did with the client to put it right, and what changes."))


class ListFilterForm(BootstrapForm):
    group = forms.ModelChoiceField(label=_("Client group"), required=False,
                                   queryset=ClientGroup.objects.filter(active=True),
                                   to_field_name="code", empty_label=_("All groups"))
    mine = forms.BooleanField(label=_("Only mine"), required=False)
