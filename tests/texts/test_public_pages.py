"""Citizens read the content in their language, or the English marked as such."""

import pytest
from django.conf import settings
from django.urls import reverse

from imbizo.texts.services import translation_save
from tests.factories import ServiceFactory, ServiceStandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_zulu(client, catalogues_compiled):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zu"
    return client


def test_the_charter_page_in_isizulu_shows_the_isizulu_name(in_zulu, zulu):
    page = in_zulu.get(reverse("portal:service_detail", args=[zulu.service.code])).content.decode()

    assert "<h1>Amanzi avuzayo</h1>" in page
    assert "<title>Amanzi avuzayo" in page


def test_untranslated_content_is_shown_in_english_and_says_so(in_zulu, zulu):
    page = in_zulu.get(reverse("portal:service_detail", args=[zulu.service.code])).content.decode()

    assert f'<span lang="en">{zulu.standard.pledge}</span>' in page
    assert 'class="shown-in-english"' in page


def test_a_translated_pledge_and_redress_are_shown(in_zulu, world):
    translation_save(obj=world.standard, key="pledge", language="zu",
                     text="Siyilungisa ngokushesha.")

    page = in_zulu.get(reverse("portal:service_detail", args=[world.service.code])).content.decode()

    assert "Siyilungisa ngokushesha." in page and world.standard.pledge not in page


def test_the_english_page_shows_no_note(client, zulu):
    page = client.get(reverse("portal:service_detail", args=[zulu.service.code])).content.decode()

    assert "<h1>" + zulu.service.name + "</h1>" in page and "shown-in-english" not in page


def test_the_service_list_searches_the_isizulu_names(in_zulu, zulu):
    page = in_zulu.get(reverse("portal:service_list"), {"q": "avuzayo"}).content.decode()

    assert "Amanzi avuzayo" in page


def test_the_service_list_makes_the_same_queries_for_many_services(in_zulu, world,
                                                                    django_assert_max_num_queries):
    for n in range(25):
        service = ServiceFactory(group="Roads")
        ServiceStandardFactory(service=service, published=True)
        translation_save(obj=service, key="name", language="zu", text=f"Insizakalo {n}")
        translation_save(obj=service, key="group", language="zu", text="Imigwaqo")
    in_zulu.get(reverse("portal:service_list"))  # warm the per-process caches

    with django_assert_max_num_queries(12):
        page = in_zulu.get(reverse("portal:service_list")).content.decode()

    assert "Insizakalo 24" in page and "Imigwaqo" in page


def test_the_track_page_shows_the_service_in_the_citizens_language(in_zulu, zulu):
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open

    case = case_open(draft=CaseDraft(service_code=zulu.service.code, description="Pipe burst",
                                     channel="web", ward_code=zulu.ward.code))

    page = in_zulu.get(reverse("portal:case_track", args=[case.reference])).content.decode()

    assert "Amanzi avuzayo" in page


def test_the_report_form_names_the_services_and_questions_in_isizulu(in_zulu, zulu):
    attribute = zulu.service.attributes.create(
        code="size", datatype="singlevaluelist", required=True, description="How big is it?",
        values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}])
    translation_save(obj=attribute, key="description", language="zu", text="Mkhulu kangakanani?")
    translation_save(obj=attribute, key="values.large", language="zu", text="Mkhulu")

    page = in_zulu.get(reverse("portal:report"), {"service": zulu.service.code}).content.decode()

    assert "Amanzi avuzayo" in page
    assert "Mkhulu kangakanani?" in page and "Mkhulu" in page.replace("Mkhulu kangakanani?", "")


def test_the_survey_and_its_thank_you_promise_are_in_isizulu(in_zulu, world, instruments):
    from imbizo.engagement.models import Instrument, LoopRule
    from imbizo.engagement.services import invitation_create

    instrument = Instrument.objects.get(code="after-contact", version=1)
    question = instrument.questions.get(code="concern")
    translation_save(obj=instrument, key="name", language="zu", text="Sikuphathe kanjani?")
    translation_save(obj=question, key="text", language="zu",
                     text="Ingabe sikukhathalele wena nenkinga yakho?")
    rule = LoopRule.objects.create(name="Low", drivers=["concern"], max_score=2,
                                   follow_up_service=world.service,
                                   promise="The supervisor calls you within 2 days.")
    translation_save(obj=rule, key="promise", language="zu",
                     text="Umphathi uzokushayela phakathi kwezinsuku ezi-2.")
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open

    case = case_open(draft=CaseDraft(service_code=world.service.code, description="Leak",
                                     channel="hotline", citizen_email="sipho@example.org",
                                     contact_consent=True, ward_code=world.ward.code))
    token = invitation_create(instrument_code="after-contact", source="email", case=case,
                              office=world.office, identifier="sipho@example.org")

    page = in_zulu.get(f"/survey/{token}/").content.decode()
    assert "Sikuphathe kanjani?" in page
    assert "Ingabe sikukhathalele wena nenkinga yakho?" in page
    # Questions without isiZulu yet are in English, marked so.
    assert '<span lang="en">How friendly were we?</span>' in page

    thanks = in_zulu.post(f"/survey/{token}/", {
        "concern": "1", "friendliness": "3", "civility": "3", "overall": "3"}).content.decode()

    assert "Umphathi uzokushayela phakathi kwezinsuku ezi-2." in thanks


def test_the_way_to_complain_is_in_the_citizens_language(in_zulu, world):
    from imbizo.org.models import Institution

    institution = Institution.objects.get()
    institution.complaints_route = "Call 0800 000 000 or write to complaints@example.org."
    institution.save()
    translation_save(obj=institution, key="complaints_route", language="zu",
                     text="Shayela u-0800 000 000 noma ubhalele ku-complaints@example.org.")

    for url in (reverse("portal:home"), reverse("portal:service_detail", args=[world.service.code])):
        page = in_zulu.get(url).content.decode()
        assert "Shayela u-0800 000 000" in page, url
        assert "Call 0800 000 000" not in page, url
