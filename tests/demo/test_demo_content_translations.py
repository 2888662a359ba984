"""The demo's content in isiZulu, Afrikaans and isiXhosa (and its client groups
in all six languages), loaded as drafts."""

import time

import pytest

from imbizo.catalogue.models import Service
from imbizo.channels.models import Gateway
from imbizo.clients.group_models import ServiceBenefit
from imbizo.clients.models import ClientGroup
from imbizo.demo.channels_ussd import ussd_build
from imbizo.demo.client_groups import client_groups_build
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


def test_the_demo_client_groups_and_what_services_bring_them_read_in_isizulu():
    """The "who we serve" page shows the groups and benefits in the citizen's language."""
    demo_build(seed=3)
    client_groups_build(seed=3)
    content_translations_build()

    groups = list(ClientGroup.objects.all())
    benefits = list(ServiceBenefit.objects.all())
    assert len(groups) == 6 and len(benefits) > 20
    for language in ("zu", "xh", "af"):
        for group in groups:
            assert not translated(group, "name", language).fallback, (language, group.name)
        for benefit in benefits:
            assert not translated(benefit, "benefit", language).fallback, (language,
                                                                           benefit.benefit)
    households = ClientGroup.objects.get(code="households")
    assert translated(households, "name", "zu").text == "Amakhaya"
    pothole = ServiceBenefit.objects.get(group=households, service__code="pothole")
    shown = translated(pothole, "benefit", "zu")
    assert (shown.language, shown.text) == (
        "zu", "Imigwaqo ephephile kakhulu yemoto yomndeni netekisi.")
    assert not ContentTranslation.objects.filter(reviewed_at__isnull=False).exists()  # drafts
