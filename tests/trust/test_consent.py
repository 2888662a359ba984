"""Consent is stored with the words the citizen agreed to, versioned."""

import pytest
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.privacy.consent import CONTACT, CONTACT_WORDING
from imbizo.privacy.models import Consent, ConsentWording
from imbizo.privacy.services import consent_wording
from tests.support import inside

pytestmark = pytest.mark.django_db


def report(client, world, **extra):
    return client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Burst pipe",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_phone": "082 555 0101", "idempotency_key": "", **extra})


def test_a_report_with_consent_stores_the_wording_the_form_showed(client, world):
    report(client, world, contact_consent="on")

    consent = Consent.objects.select_related("wording", "case").get()
    assert consent.wording.text == str(CONTACT_WORDING)
    assert consent.wording.purpose == CONTACT and consent.wording.version == 1
    assert consent.channel == "web" and consent.case.contact_consent


def test_a_report_without_consent_stores_none(client, world):
    report(client, world)

    assert Case.objects.get().contact_consent is False
    assert Consent.objects.count() == 0


def test_an_anonymous_report_stores_no_consent_even_if_ticked(client, world):
    report(client, world, contact_consent="on", anonymous="on")

    assert Consent.objects.count() == 0


def test_the_agent_intake_stores_the_wording_read_to_the_caller(client, world):
    from imbizo.org.models import Role
    from tests.factories import StaffFactory

    agent = StaffFactory(role=Role.AGENT, office=world.office)
    client.force_login(agent.user)

    client.post(reverse("backoffice:intake"), {
        "channel": "hotline", "kind": "request", "service": "water-leak",
        "description": "Caller reports a leak", "address": "Corner of Main Road",
        "citizen_phone": "082 555 0102", "contact_consent": "on", "priority": "normal"})

    consent = Consent.objects.select_related("wording").get()
    assert consent.channel == "hotline" and consent.wording.text == str(CONTACT_WORDING)


def test_changed_words_make_a_new_version_and_old_consents_keep_theirs(world):
    def open_with(text):
        return case_open(draft=CaseDraft(
            service_code="water-leak", description="Leak", channel="web",
            citizen_phone="0825550103", contact_consent=True, consent_text=text,
            **inside(world.ward)))

    first = open_with("You may contact me about this report.")
    second = open_with("You may contact me about this report by SMS or email.")
    third = open_with("You may contact me about this report.")

    versions = {c.case_id: c.wording.version for c in Consent.objects.select_related("wording")}
    assert versions == {first.pk: 1, second.pk: 2, third.pk: 1}
    assert ConsentWording.objects.count() == 2


def test_the_same_words_are_stored_once(world):
    a = consent_wording(purpose=CONTACT, text="Words", language="en")
    b = consent_wording(purpose=CONTACT, text="Words", language="en")

    assert a.pk == b.pk


def test_the_case_page_shows_which_wording_was_agreed(client, world):
    from imbizo.org.models import Role
    from tests.factories import StaffFactory

    report(client, world, contact_consent="on")
    officer = StaffFactory(role=Role.OFFICER, office=world.office)
    client.force_login(officer.user)

    page = client.get(reverse("backoffice:case_detail",
                              args=[Case.objects.get().reference])).content.decode()

    assert "wording version 1" in page


def test_a_wording_once_committed_is_not_read_again_by_the_process(
        django_capture_on_commit_callbacks, django_assert_num_queries):
    with django_capture_on_commit_callbacks(execute=True):
        first = consent_wording(purpose=CONTACT, text="We may contact you.", language="en")

    with django_assert_num_queries(0):
        again = consent_wording(purpose=CONTACT, text="We may contact you.", language="en")
    assert again.pk == first.pk


def test_a_wording_stored_in_a_transaction_that_rolled_back_is_not_kept(
        django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        consent_wording(purpose=CONTACT, text="Words never committed.", language="en")
        transaction.set_rollback(True)
    assert callbacks == []

    stored = consent_wording(purpose=CONTACT, text="Words never committed.", language="en")
    assert ConsentWording.objects.filter(pk=stored.pk).exists()
