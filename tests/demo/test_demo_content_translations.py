"""The demo's content in isiZulu, Afrikaans and isiXhosa, loaded as drafts."""

import time

import pytest

from imbizo.catalogue.models import Service
from imbizo.channels.models import Gateway
from imbizo.demo.channels_ussd import ussd_build
from imbizo.demo.content_translations import content_translations_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Instrument
from imbizo.texts.models import ContentTranslation
from imbizo.texts.registry import source_texts
from imbizo.texts.selectors import translated, translations_attach

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]


def test_the_demo_charter_and_survey_read_in_isizulu_afrikaans_and_isixhosa():
    demo_build(seed=3)
    ussd_build(seed=3)

    started = time.monotonic()
    made = content_translations_build()
    took = time.monotonic() - started

    assert took < 5, f"{took:.1f} s"
    assert made["translations"] == ContentTranslation.objects.count() > 500
    assert not ContentTranslation.objects.filter(reviewed_at__isnull=False).exists()  # drafts
    services = list(Service.objects.prefetch_related("standards"))
    survey = Instrument.objects.get(code="after-contact", version=1)
    for language in ("zu", "af", "xh"):
        translations_attach(services, language)
        for service in services:  # every name and group
            assert not translated(service, "name", language).fallback, (language, service.name)
            assert not translated(service, "group", language).fallback, (language, service.group)
        for piece in source_texts(survey):
            assert not translated(survey, piece.key, language).fallback
        for question in survey.questions.all():
            assert not translated(question, "text", language).fallback, question.text
    pothole = Service.objects.get(code="pothole")
    standard = pothole.standards.order_by("-version").first()
    for key in ("pledge", "description", "redress"):
        assert not translated(standard, key, "zu").fallback, key
    menu = Gateway.objects.get(kind="ussd").settings["menu"]
    assert {"en", "zu", "af", "xh"} <= set(menu["languages"])
