from django import forms

from imbizo.portal.report_forms import ReportForm
from imbizo.web.styling import BootstrapForm


class _Sample(BootstrapForm):
    name = forms.CharField()
    agree = forms.BooleanField()
    colour = forms.ChoiceField(choices=[("r", "Red")])
    token = forms.CharField(widget=forms.HiddenInput)


class _Extended(_Sample):
    more = forms.CharField(widget=forms.TextInput(attrs={"class": "wide"}))


def test_each_field_of_a_form_class_gets_its_bootstrap_class():
    classes = {name: f.widget.attrs.get("class") for name, f in _Sample.base_fields.items()}

    assert classes == {"name": "form-control", "agree": "form-check-input",
                       "colour": "form-select", "token": None}


def test_a_subclass_keeps_its_own_classes_and_does_not_double_the_inherited_ones():
    assert _Extended.base_fields["more"].widget.attrs["class"] == "wide form-control"
    assert _Extended.base_fields["name"].widget.attrs["class"] == "form-control"


def test_the_report_form_renders_bootstrap_controls():
    html = str(ReportForm()["description"])

    assert 'class="form-control"' in html
