"""The queue page's forms: its filters (GET) and bulk assignment (POST)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import Priority, StatusChoice
from imbizo.cases.selectors import CaseFilter, Due, QueueOptions, QueueSort, due_filter
from imbizo.core.limits import LINE_MAX
from imbizo.web.styling import BootstrapForm

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
ANY = [("", _("Any"))]


class PlainSelect(forms.Select):
    """A select drawn in Python rather than through a template per option:
    the queue page's filters offer some two hundred options (wards, services,
    offices), and Django's widget templates spent more time on them than the
    database spent on the page (docs/benchmarks.md, "Staff queues")."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join("", "<option value=\"{}\"{}>{}</option>", (
            (key, " selected" if str(key) == chosen else "", label)
            for key, label in self.choices))
        return format_html("<select{}>{}</select>", flatatt(self.build_attrs(
            self.attrs, {**(attrs or {}), "name": name})), options)


class QueueFilterForm(BootstrapForm):
    """What narrows and orders a queue. Every field is optional; a value that
    is not among the choices is reported on its field and not applied."""

    q = forms.CharField(label=_("Reference or words"), required=False, max_length=LINE_MAX)
    service = forms.ChoiceField(label=_("Service"), required=False, widget=PlainSelect)
    ward = forms.ChoiceField(label=_("Ward"), required=False, widget=PlainSelect)
    office = forms.ChoiceField(label=_("Office"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect,
                               choices=[("", _("Any open status")), *StatusChoice.choices])
    priority = forms.ChoiceField(label=_("Priority"), required=False, widget=PlainSelect,
                                 choices=[*ANY, *reversed(Priority.choices)])
    due = forms.ChoiceField(label=_("Resolution due"), required=False, widget=PlainSelect, choices=[
        *ANY, (Due.OVERDUE, _("Overdue")), (Due.TODAY, _("Due today")),
        (Due.WEEK, _("Due this week"))])
    escalation = forms.TypedChoiceField(
        label=_("Escalation"), required=False, coerce=int, widget=PlainSelect, empty_value=0, choices=[
            *ANY, ("1", _("Escalated (any level)")), ("2", _("Level 2 or higher")),
            ("3", _("Level 3"))])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=PlainSelect, choices=[
        (QueueSort.DUE, _("Due soonest")), (QueueSort.PRIORITY, _("Most urgent")),
        (QueueSort.OPENED, _("Newest")), (QueueSort.STATUS, _("Status"))])
    per_page = forms.TypedChoiceField(label=_("Per page"), required=False, coerce=int,
                                      widget=PlainSelect,
                                      empty_value=DEFAULT_PAGE_SIZE,
                                      choices=[(str(n), str(n)) for n in PAGE_SIZES])

    def __init__(self, *args, options: QueueOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [*ANY, *options.services]
        self.fields["ward"].choices = [*ANY, *((code, f"{code} {name}")
                                               for code, name in options.wards)]
        self.fields["office"].choices = [*ANY, *options.offices]

    def cleaned(self, name: str, default=None):
        """The field's clean value, or `default` when it was not valid."""
        if name in self.errors:
            return default
        return self.cleaned_data.get(name, default)

    def case_filter(self, *, now, time_zone: str) -> CaseFilter:
        """The CaseFilter these filters make (invalid fields left out)."""
        self.is_valid()  # fills errors and cleaned_data; invalid fields are skipped below
        codes = {name: (value,) if (value := self.cleaned(name, "")) else ()
                 for name in ("service", "ward", "office", "status", "priority")}
        due = self.cleaned("due", "")
        return CaseFilter(
            **codes, text=self.cleaned("q", "").strip(),
            escalation_min=self.cleaned("escalation", 0) or 0,
            **(due_filter(due, now=now, time_zone=time_zone) if due else {}),
        )

    def order(self) -> QueueSort:
        return QueueSort(self.cleaned("sort", "") or QueueSort.DUE)

    def page_size(self) -> int:
        return self.cleaned("per_page", DEFAULT_PAGE_SIZE) or DEFAULT_PAGE_SIZE


class BulkAssignForm(BootstrapForm):
    """Give the cases selected on a queue page (the `case` values, read by the
    view) to one officer of their office."""

    assignee = forms.ModelChoiceField(label=_("Assign the selected cases to"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers
