"""Bootstrap classes on Django form widgets, shared by the portal and back office.

It lives in imbizo.web, the one package both interfaces use, rather than in
either of them (the back office would import the portal) or in core (it is
presentation); web/_field.html renders a field with the ids the error links
below point at."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import DeclarativeFieldsMetaclass
from django.utils.translation import gettext as _

from imbizo.core.inputs import INSTANT_MAX, INSTANT_MIN, TextFault, text_fault


def text_clean(value: str) -> None:
    """A text field holds no control character and nothing that was not UTF-8 (core.inputs)."""
    fault = text_fault(value)
    if fault == TextFault.NOT_UTF8:
        raise ValidationError(_("This holds characters that could not be read; please type "
                                "it again."), code=fault)
    if fault is not None:
        raise ValidationError(_("This holds a control character, which no text may contain; "
                                "please type it again."), code=fault)


def day_in_range(value: datetime.date) -> None:
    """A date field's value lies where dates of this product can (imbizo.core.inputs)."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not INSTANT_MIN.date() <= day < INSTANT_MAX.date():
        raise ValidationError(_("Give a date between %(low)s and %(high)s.")
                              % {"low": INSTANT_MIN.year, "high": INSTANT_MAX.year - 1},
                              code="out_of_range")


def _css_class(widget: forms.Widget) -> str | None:
    if isinstance(widget, forms.HiddenInput):
        return None
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class _BootstrapFieldsMetaclass(DeclarativeFieldsMetaclass):
    # Django's metaclass fills `base_fields` after the class is made, so an
    # __init_subclass__ hook would see the parent's fields: the classes are set
    # here, once the subclass's own fields are known.
    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)
        for field in cls.base_fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField) and \
                    day_in_range not in field.validators:
                field.validators.append(day_in_range)
            if isinstance(field, forms.CharField) and text_clean not in field.validators:
                field.validators.append(text_clean)
            css = _css_class(field.widget)
            if css and css not in field.widget.attrs.get("class", "").split():
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
        return cls


class BootstrapForm(forms.Form, metaclass=_BootstrapFieldsMetaclass):
    """A form whose widgets carry Bootstrap's classes and ARIA error links.

    Classes are set once per form class (on its declared fields), not on every
    instance: forms are built on every request, including the hot intake path.
    """

    def add_error(self, field, error):
        super().add_error(field, error)
        # Point assistive technology at the message shown under the field.
        for name in ([field] if field else []) if not isinstance(error, dict) else error:
            if name in self.fields:
                # The error first, then the field's help (shown under it as
                # id_<name>_helptext, the id Django itself points at).
                described = f"id_{name}_error"
                if self.fields[name].help_text:
                    described += f" id_{name}_helptext"
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": described})
