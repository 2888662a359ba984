"""Which content is translatable: models and fields, as data.

Models are named by label, not imported, so that apps above this one
(engagement) can be listed without an upward import. A choice field holds
labels in JSON: each label is translated on its own, as `field.key` (the
choice's key, or its position in a plain list).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TranslatableField:
    name: str
    label: str
    # Sent in SMS or on USSD screens: its encoding and segments matter.
    sms: bool = False
    # "pairs": [{"key": ..., "name": ...}]; "list": ["Yes", "No"]; "": plain text.
    choices: str = ""


TRANSLATABLE: dict[str, tuple[TranslatableField, ...]] = {
    "catalogue.service": (
        TranslatableField("name", _("name"), sms=True),
        TranslatableField("description", _("description")),
        TranslatableField("group", _("group")),
    ),
    "catalogue.servicestandard": (
        TranslatableField("pledge", _("pledge"), sms=True),
        TranslatableField("description", _("what the service is")),
        TranslatableField("redress", _("redress route")),
    ),
    "catalogue.serviceattribute": (
        TranslatableField("description", _("question"), sms=True),
        TranslatableField("values", _("answer"), sms=True, choices="pairs"),
    ),
    "engagement.instrument": (
        TranslatableField("name", _("name")),
        TranslatableField("introduction", _("introduction"), sms=True),
    ),
    "engagement.question": (
        TranslatableField("text", _("question"), sms=True),
        TranslatableField("choices", _("answer"), sms=True, choices="list"),
    ),
    "engagement.looprule": (
        TranslatableField("promise", _("what the citizen is told")),
    ),
    # The route every page gives for complaints.
    "org.institution": (
        TranslatableField("complaints_route", _("how to complain")),
    ),
    # The public "who we serve" page (imbizo.clients).
    "clients.clientgroup": (
        TranslatableField("name", _("name")),
    ),
    "clients.servicebenefit": (
        TranslatableField("benefit", _("what the service brings the group")),
    ),
}


def model_label(model_or_obj) -> str:
    return model_or_obj._meta.label_lower


def translatable_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in TRANSLATABLE]


def is_translatable(model_or_obj) -> bool:
    return model_label(model_or_obj) in TRANSLATABLE


@dataclass(frozen=True)
class SourceText:
    """One piece of English to translate: `key` is the field, or field.choice."""

    key: str
    label: str
    english: str
    sms: bool


def source_texts(obj) -> list[SourceText]:
    """The English pieces of `obj` that can be translated, in the model's order
    (empty fields left out)."""
    found = []
    for spec in TRANSLATABLE.get(model_label(obj), ()):
        value = getattr(obj, spec.name)
        if spec.choices == "pairs":
            for choice in value or ():
                if isinstance(choice, dict) and choice.get("name"):
                    found.append(SourceText(f"{spec.name}.{choice.get('key')}",
                                            f"{spec.label}: {choice.get('key')}",
                                            str(choice["name"]), spec.sms))
        elif spec.choices == "list":
            for position, choice in enumerate(value or ()):
                if choice:
                    found.append(SourceText(f"{spec.name}.{position}", f"{spec.label} {position + 1}",
                                            str(choice), spec.sms))
        elif value:
            found.append(SourceText(spec.name, str(spec.label), str(value), spec.sms))
    return found


def source_text(obj, key: str) -> str:
    """The English of `key` (a field, or field.choice) on `obj` now; "" if none."""
    for piece in source_texts(obj):
        if piece.key == key:
            return piece.english
    return ""
