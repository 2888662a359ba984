"""The demo's content in South African languages: draft translations of the
service names and groups, pledges, descriptions and redress, the survey and
service questions with their answers and the loop rules' promises
(content_translations_data), the client groups and what each service brings
them (the "who we serve" page), and the USSD menu offered in every enabled
language. Loaded as drafts: nobody has reviewed them."""

from django.contrib.contenttypes.models import ContentType

from imbizo.catalogue.models import Service, ServiceAttribute, ServiceStandard
from imbizo.channels.models import Gateway, GatewayKind
from imbizo.clients.group_models import ServiceBenefit
from imbizo.clients.models import ClientGroup
from imbizo.engagement.models import Instrument, LoopRule, Question
from imbizo.org.models import Institution
from imbizo.texts.languages import translation_languages
from imbizo.texts.models import ContentTranslation
from imbizo.texts.registry import source_texts

from .content_translations_data import (
    BENEFITS,
    CLIENT_GROUPS,
    COMPLAINTS_ROUTE,
    DESCRIPTIONS,
    GROUPS,
    NAMES,
    PLEDGES,
    PROMISES,
    QUESTIONS,
    REDRESS,
    STANDARD_DESCRIPTION,
)

WORDS = {**GROUPS, **NAMES, **PLEDGES, **DESCRIPTIONS, **REDRESS, **QUESTIONS, **PROMISES,
         **COMPLAINTS_ROUTE, **CLIENT_GROUPS, **BENEFITS}


def _standard_description(standard: ServiceStandard, language: str) -> str | None:
    pattern = STANDARD_DESCRIPTION.get(language)
    name = NAMES.get(standard.service.name, {}).get(language)
    if pattern and name and standard.description.startswith(standard.service.name + ":"):
        return pattern.format(name=name)
    return None


def content_translations_build() -> dict[str, int]:
    """Load the draft translations of the demo's content (bulk, one insert)."""
    languages = translation_languages()
    objects = [
        *Service.objects.all(), *ServiceAttribute.objects.all(),
        *ServiceStandard.objects.select_related("service"),
        *Instrument.objects.all(), *Question.objects.all(), *LoopRule.objects.all(),
        *Institution.objects.all(), *ClientGroup.objects.all(), *ServiceBenefit.objects.all(),
    ]
    content_types = ContentType.objects.get_for_models(*{type(o) for o in objects})
    rows = []
    for obj in objects:
        for piece in source_texts(obj):
            for language in languages:
                text = WORDS.get(piece.english, {}).get(language)
                if text is None and isinstance(obj, ServiceStandard) and piece.key == "description":
                    text = _standard_description(obj, language)
                if text:
                    rows.append(ContentTranslation(
                        content_type=content_types[type(obj)], object_id=obj.pk, field=piece.key,
                        language=language, text=text, source_text=piece.english))
    ContentTranslation.objects.bulk_create(rows, ignore_conflicts=True)
    offered = _ussd_languages(languages)
    return {"translations": len(rows), "USSD languages": offered}


def _ussd_languages(languages: list[str]) -> int:
    """Offer every enabled language on the demo's USSD menu (its screen words
    come from the catalogues; the service names from the translations)."""
    count = 0
    for gateway in Gateway.objects.filter(kind=GatewayKind.USSD):
        menu = dict((gateway.settings or {}).get("menu") or {})
        menu["languages"] = list(dict.fromkeys([*menu.get("languages", ["en"]), *languages]))
        gateway.settings = {**(gateway.settings or {}), "menu": menu}
        gateway.save(update_fields=["settings"])
        count = len(menu["languages"])
    return count
