from django import forms
from django.template.loader import render_to_string

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


class _Helped(BootstrapForm):
    phone = forms.CharField(help_text="A South African mobile number.")


def _ids_described(html: str) -> tuple[list[str], list[str]]:
    import re  # only these two tests read ids out of markup

    described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
    return described, re.findall(r'id="([^"]+)"', html)


def test_a_fields_help_is_announced_by_the_id_it_is_shown_under():
    html = render_to_string("web/_field.html", {"field": _Helped()["phone"]})

    described, ids = _ids_described(html)
    assert described == ["id_phone_helptext"] and "id_phone_helptext" in ids


def test_an_invalid_field_points_at_its_error_and_its_help():
    form = _Helped(data={"phone": ""})
    form.is_valid()

    html = render_to_string("web/_field.html", {"field": form["phone"]})

    described, ids = _ids_described(html)
    assert described == ["id_phone_error", "id_phone_helptext"]
    assert set(described) <= set(ids)
