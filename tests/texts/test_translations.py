"""Saving and reading content translations (texts.services, texts.selectors)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from imbizo.catalogue.services import standard_revise
from imbizo.core.errors import DomainError
from imbizo.texts.models import ContentTranslation
from imbizo.texts.selectors import translated, translated_sms, translations_attach
from imbizo.texts.services import translation_save
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_saved_translation_is_shown_in_its_language_and_is_a_draft(world):
    row = translation_save(obj=world.service, key="name", language="zu", text="Amanzi avuzayo")

    assert translated(world.service, "name", "zu").text == "Amanzi avuzayo"
    assert translated(world.service, "name", "zu").fallback is False
    assert row.reviewed is False and row.source_text == world.service.name


def test_a_missing_translation_falls_back_to_english_and_says_so(world):
    shown = translated(world.service, "description", "zu")

    assert (shown.text, shown.language, shown.fallback) == (world.service.description, "en", True)


def test_a_translation_of_english_that_changed_since_is_not_shown(world):
    translation_save(obj=world.service, key="name", language="zu", text="Amanzi avuzayo")
    world.service.name = "Leaking water main"
    world.service.save()

    shown = translated(world.service, "name", "zu")

    assert (shown.text, shown.fallback) == ("Leaking water main", True)


def test_a_translation_missing_a_placeholder_is_refused_naming_it(world):
    world.standard.pledge = "We fix it within {days} days."

    with pytest.raises(DomainError) as refused:
        translation_save(obj=world.standard, key="pledge", language="zu", text="Siyalungisa.")

    assert "{days}" in refused.value.message and refused.value.field == "text"
    assert not ContentTranslation.objects.exists()


def test_the_model_refuses_an_extra_placeholder_too(world):
    row = translation_save(obj=world.service, key="name", language="af", text="Waterlek")
    row.text = "Waterlek %(ward)s"

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert "%(ward)s" in str(refused.value.message_dict["text"])


def test_a_language_that_is_not_enabled_is_refused(world, settings):
    settings.LANGUAGES = [("en", "English"), ("zu", "isiZulu")]

    with pytest.raises(DomainError) as refused:
        translation_save(obj=world.service, key="name", language="af", text="Waterlek")

    assert refused.value.field == "language"


def test_an_empty_translation_removes_it(world):
    translation_save(obj=world.service, key="name", language="zu", text="Amanzi avuzayo")
    translation_save(obj=world.service, key="name", language="zu", text="  ")

    assert not ContentTranslation.objects.exists()


def test_reviewing_records_who_and_when_and_an_edit_makes_a_draft_again(world):
    reviewer = UserFactory()
    row = translation_save(obj=world.service, key="name", language="zu", text="Amanzi avuzayo",
                           reviewed=True, user=reviewer)
    assert row.reviewed_by == reviewer and row.reviewed_at is not None

    row = translation_save(obj=world.service, key="name", language="zu", text="Amanzi aphumayo")

    assert row.reviewed_at is None


def test_a_new_version_of_a_standard_carries_its_translations(world):
    translation_save(obj=world.standard, key="pledge", language="af",
                     text="Ons herstel dit vinnig en laat weet jou wanneer dit klaar is.")
    translation_save(obj=world.standard, key="redress", language="af", text="Bel ons gerus.")

    newer = standard_revise(service=world.service, pledge="We fix it within 3 days.",
                            effective_from=datetime.date(2026, 1, 1))

    assert ContentTranslation.objects.filter(object_id=newer.pk).count() == 2
    # The redress did not change: its translation still shows.
    assert translated(newer, "redress", "af").text == "Bel ons gerus."
    # The pledge did: English until a translator saves it again.
    assert translated(newer, "pledge", "af").fallback is True


def test_choice_labels_are_translated_one_by_one(world):
    attribute = world.service.attributes.create(
        code="size", datatype="singlevaluelist", description="How big?",
        values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}])

    translation_save(obj=attribute, key="values.large", language="xh", text="Mkhulu")

    assert translated(attribute, "values.large", "xh").text == "Mkhulu"
    assert translated(attribute, "values.small", "xh").fallback is True


def test_sms_words_use_an_approved_gsm7_wording_only(world):
    approver = UserFactory()
    translation_save(obj=world.service, key="name", language="af", text="Waterlek by die wêreld",
                     gsm_text="Waterlek by die wereld")
    assert translated_sms(world.service, "name", "af") == "Waterlek by die wêreld"

    translation_save(obj=world.service, key="name", language="af", text="Waterlek by die wêreld",
                     gsm_text="Waterlek by die wereld", gsm_approved=True, user=approver)

    assert translated_sms(world.service, "name", "af") == "Waterlek by die wereld"


def test_a_gsm7_wording_with_letters_outside_the_alphabet_is_refused(world):
    with pytest.raises(DomainError) as refused:
        translation_save(obj=world.service, key="name", language="nso", text="Re a šoma",
                         gsm_text="Re a šoma")

    assert refused.value.field == "gsm_text" and "š" in refused.value.message


def test_a_list_is_translated_in_one_query_per_model(world, django_assert_num_queries):
    services = [ServiceFactory() for _ in range(12)]
    for service in services:
        translation_save(obj=service, key="name", language="zu", text=f"Insizakalo {service.pk}")
    fresh = list(type(services[0]).objects.filter(pk__in=[s.pk for s in services]))

    with django_assert_num_queries(1):  # the rows (content types are cached)
        translations_attach(fresh, "zu")
        names = [translated(service, "name", "zu").text for service in fresh]

    assert names == [f"Insizakalo {s.pk}" for s in fresh]
