"""The translation editor in the admin, used as an administrator does."""

import pytest
from django.urls import reverse

from imbizo.texts.models import ContentTranslation
from imbizo.texts.services import translation_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _editor(obj, language):
    return reverse("admin:texts_translate", args=[obj._meta.label_lower, obj.pk, language])


def _prefix(obj, key):
    from django.contrib.contenttypes.models import ContentType

    return f"t-{ContentType.objects.get_for_model(obj).pk}-{obj.pk}-{key}"


def test_the_editor_shows_the_english_beside_the_language_with_an_sms_count(admin_client, world):
    response = admin_client.get(_editor(world.service, "zu"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<div lang="en" class="english-text" id="{_prefix(world.service, "name")}-english">' \
           f'{world.service.name}</div>' in page
    assert f'name="{_prefix(world.service, "name")}"' in page and 'lang="zu"' in page
    # The standard's pledge is edited on the service's page too.
    assert world.standard.pledge in page
    assert "SMS: GSM-7," in page and 'data-sms="' in page
    assert "Not translated: citizens see the English" in page


def test_the_service_admin_page_links_to_the_editor(admin_client, world):
    page = admin_client.get(reverse("admin:catalogue_service_change", args=[world.service.pk]))

    assert _editor(world.service, "zu") in page.content.decode()


def test_a_translation_without_its_placeholder_is_refused_and_nothing_is_saved(admin_client, world):
    world.standard.pledge = "We fix it within {days} days."
    world.standard.save()

    response = admin_client.post(_editor(world.service, "zu"), {
        _prefix(world.service, "name"): "Amanzi avuzayo",
        _prefix(world.standard, "pledge"): "Siyalungisa masinyane.",
    })

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page and "{days}" in page and "leaves out" in page
    assert "Siyalungisa masinyane." in page  # what was typed is kept for correcting
    assert not ContentTranslation.objects.exists()


def test_saved_translations_are_drafts_until_ticked_reviewed(admin_client, world):
    name = _prefix(world.service, "name")
    admin_client.post(_editor(world.service, "zu"), {name: "Amanzi avuzayo"})
    assert ContentTranslation.objects.get().reviewed_at is None
    assert "Draft: not reviewed" in admin_client.get(_editor(world.service, "zu")).content.decode()

    admin_client.post(_editor(world.service, "zu"), {name: "Amanzi avuzayo",
                                                    f"{name}-reviewed": "on"})

    row = ContentTranslation.objects.get()
    assert row.reviewed_by.username == "root" and row.reviewed_at is not None
    assert "Reviewed by root" in admin_client.get(_editor(world.service, "zu")).content.decode()


def test_a_ucs2_translation_is_flagged_and_its_gsm7_wording_approved_by_name(admin_client, world):
    name = _prefix(world.service, "name")
    admin_client.post(_editor(world.service, "af"), {name: "Waterlek in die wêreld"})
    page = admin_client.get(_editor(world.service, "af")).content.decode()
    assert "Letters outside the SMS alphabet" in page
    assert "Waterlek in die wereld</textarea>" in page  # offered by Afrikaans' rules

    admin_client.post(_editor(world.service, "af"), {
        name: "Waterlek in die wêreld", f"{name}-gsm": "Waterlek in die wereld",
        f"{name}-gsm-ok": "on"})

    row = ContentTranslation.objects.get()
    assert row.gsm_text == "Waterlek in die wereld"
    assert row.gsm_approved_by.username == "root" and row.gsm_approved_at is not None


def test_the_live_counter_reports_encoding_segments_and_a_variant(admin_client):
    url = reverse("admin:texts_translate_count")

    gsm = admin_client.get(url, {"text": "Sivala umgodi", "language": "zu"}).json()
    ucs = admin_client.get(url, {"text": "Ons sê " + "a" * 80, "language": "af"}).json()

    assert gsm == {"encoding": "GSM-7", "units": 13, "segments": 1, "variant": ""}
    assert (ucs["encoding"], ucs["segments"], ucs["variant"]) == ("UCS-2", 2, "Ons se " + "a" * 80)


def test_the_translation_list_refuses_a_bad_placeholder_too(admin_client, world):
    row = translation_save(obj=world.service, key="name", language="xh", text="Amanzi avuzayo")

    response = admin_client.post(reverse("admin:texts_contenttranslation_change", args=[row.pk]),
                                 {"text": "Amanzi avuzayo {ward}", "gsm_text": ""})

    assert response.status_code == 200
    assert "{ward}" in response.content.decode()
    row.refresh_from_db()
    assert row.text == "Amanzi avuzayo"


def test_the_index_counts_translations_per_language(admin_client, world):
    translation_save(obj=world.service, key="name", language="xh", text="Amanzi avuzayo")

    page = admin_client.get(reverse("admin:texts_translate_index")).content.decode()

    assert world.service.name in page and "1 translated" in page


def test_the_editor_is_for_staff_only(client, world):
    response = client.get(_editor(world.service, "zu"))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_language_or_model_is_not_found(admin_client, world):
    assert admin_client.get(_editor(world.service, "xx")).status_code == 404
    assert admin_client.get(reverse("admin:texts_translate", args=["org.office", 1, "zu"])
                            ).status_code == 404
