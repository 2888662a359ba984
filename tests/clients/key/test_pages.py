"""Key clients through the doors staff use: the intake form links a case to a
key client (picked, or by the caller's phone) with what was agreed, the case
page shows it, and the key client pages (list, client, visits, corrective
actions, retention) answer in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from imbizo.cases.models import Case
from imbizo.catalogue.models import Offering
from imbizo.clients.key_models import Signal, SignalKind, Visit
from imbizo.clients.models import CaseClient, ContactPerson, KeyClient
from imbizo.core import clock
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.org.models import Role
from tests.clients.key.conftest import CONTACT_PHONE
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client, world):
    agent = StaffFactory(office=world.office, role=Role.AGENT)
    client.force_login(agent.user)
    return agent


@pytest.fixture
def form():
    return {"channel": "hotline", "kind": "request", "service": "water-leak",
            "description": "No water at the school since morning", "address": "1 School Road",
            "priority": "normal", "questions_for": "water-leak"}


def test_a_caller_with_a_contact_persons_phone_is_linked_to_the_key_client(
        client, agent, key_client, form):
    form.update({"citizen_phone": CONTACT_PHONE, "contact_consent": "on"})

    response = client.post(reverse("backoffice:intake"), form)

    case = Case.objects.get()
    assert response.status_code == 302
    link = CaseClient.objects.get(case=case)
    assert (link.key_client, link.source) == (key_client, CaseClient.Source.CLIENT)
    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()
    assert "Thuto High School" in page and "one of its contact persons" in page


def test_the_agent_picks_a_key_client_and_records_what_was_agreed_once(
        client, agent, key_client, form, world):
    world.service.offering = Offering.CUSTOMISED
    world.service.save()
    form.update({"key_client": key_client.pk, "kind": "complaint",
                 "agreed": "Water tanker at the school gate by Friday 10:00",
                 "idempotency_key": "k-1"})

    client.post(reverse("backoffice:intake"), form)
    client.post(reverse("backoffice:intake"), form)  # sent twice

    case = Case.objects.get()
    link = CaseClient.objects.get(case=case)
    assert (link.key_client, link.group, link.source) == (key_client, key_client.group,
                                                          CaseClient.Source.INTAKE)
    assert Signal.objects.get().kind == SignalKind.COMPLAINT
    page = client.get(reverse("backoffice:case_detail", args=[case.reference])).content.decode()
    assert "Water tanker at the school gate by Friday 10:00" in page


def test_a_standard_service_has_nothing_to_agree_and_nothing_is_stored(
        client, agent, key_client, form, groups):
    form.update({"agreed": "Tanker by Friday", "client_group": groups.households.code,
                 "key_client": key_client.pk})

    response = client.post(reverse("backoffice:intake"), form)

    assert not Case.objects.exists()
    errors = response.context["form"].errors
    assert "is a standard service" in errors["agreed"][0]
    assert "Thuto High School is in the group “Schools”" in errors["client_group"][0]


def test_without_a_choice_the_case_joins_the_default_group(client, agent, groups, form):
    client.post(reverse("backoffice:intake"), form)

    link = CaseClient.objects.get()
    assert (link.group, link.key_client, link.source) == (groups.households, None,
                                                          CaseClient.Source.DERIVED)


# --- the key client pages ----------------------------------------------------------------


@pytest.fixture
def busy(world, key_client, groups, account_manager):
    """Ten key clients with cases, ratings, visits and signals."""
    others = KeyClient.objects.bulk_create([
        KeyClient(name=f"Business {i}", kind="business", group=groups.schools,
                  account_manager=StaffFactory(office=world.office), office=world.office,
                  created_at=clock.now()) for i in range(9)])
    instrument = Instrument.objects.get(code="post-transaction")
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open
    from tests.support import inside

    for i, client in enumerate([key_client, *others]):
        for j in range(3):
            case = case_open(draft=CaseDraft(service_code="water-leak", description="x",
                                             channel="web", **inside(world.ward)))
            CaseClient.objects.create(case=case, group=client.group, key_client=client,
                                      agreed=f"agreed {i}-{j}")
            response = Response.objects.create(instrument=instrument, case=case,
                                               submitted_at=clock.now())
            question = instrument.questions.first()
            Answer.objects.create(response=response, question=question, driver=question.driver,
                                  number=2 + j)
            Signal.objects.create(key_client=client, case=case, kind=SignalKind.BREACH,
                                  at=clock.now())
        Visit.objects.create(key_client=client, visited_on=timezone.localdate() - timedelta(
            days=10 * i + 1), by=account_manager, notes="Met the principal", recorded_at=clock.now())
    return others


def test_the_list_shows_the_account_managers_clients_first_in_fixed_queries(
        client, busy, account_manager, key_client, django_assert_max_num_queries):
    client.force_login(account_manager.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:key_clients"))

    clients = response.context["clients"]
    assert clients[0] == key_client and clients[0].is_mine
    assert len(clients) == 10 and clients[0].open_signals == 3
    assert len(response.context["signals"]) == 3  # theirs, waiting
    assert "3 signals wait for your corrective action" in response.content.decode()


def test_the_key_client_page_shows_everything_in_fixed_queries(
        client, busy, account_manager, key_client, django_assert_max_num_queries):
    client.force_login(account_manager.user)
    url = reverse("backoffice:key_client", args=[key_client.pk])
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()

    assert "Mrs Dlamini" in page and CONTACT_PHONE in page
    assert "Met the principal" in page
    instrument = Instrument.objects.get(code="post-transaction")
    assert page.count(f"{instrument.name}: <strong>") == 3  # one rating per case, with its score
    assert "<strong>4.0</strong>" in page and "agreed 0-2" in page


def test_an_analyst_sees_no_contact_details(client, world, key_client):
    analyst = StaffFactory(office=None, role=Role.ANALYST)
    client.force_login(analyst.user)

    page = client.get(reverse("backoffice:key_client", args=[key_client.pk])).content.decode()

    assert "Mrs Dlamini" not in page and CONTACT_PHONE not in page
    assert "1 contact person." in page
    assert "Record the corrective action" not in page


def test_the_account_manager_logs_a_visit_and_a_bad_date_is_named(client, key_client,
                                                                 account_manager):
    client.force_login(account_manager.user)
    url = reverse("backoffice:key_client_visit", args=[key_client.pk])
    today = timezone.localdate()

    bad = client.post(url, {"visited_on": today.isoformat(), "notes": "Spoke to the principal",
                            "next_visit_on": (today - timedelta(days=1)).isoformat()})
    assert bad.status_code == 422
    assert "The next visit must come after this visit." in bad.content.decode()

    client.post(url, {"visited_on": today.isoformat(), "notes": "Spoke to the principal",
                      "actions_agreed": "Fix the meter", "next_visit_on": (
                          today + timedelta(days=30)).isoformat()})

    visit = Visit.objects.get()
    assert (visit.by, visit.actions_agreed) == (account_manager, "Fix the meter")
    page = client.get(reverse("backoffice:key_client", args=[key_client.pk])).content.decode()
    assert (today + timedelta(days=30)).strftime("%-d %b %Y") in page


def test_the_corrective_action_is_recorded_from_the_page(client, key_client, account_manager):
    signal = Signal.objects.create(key_client=key_client, kind=SignalKind.COMPLAINT,
                                   at=clock.now())
    client.force_login(account_manager.user)
    url = reverse("backoffice:key_client_signal", args=[signal.pk])

    empty = client.post(url, {f"signal-{signal.pk}-corrective_action": ""})
    assert empty.status_code == 422

    client.post(url, {f"signal-{signal.pk}-corrective_action": "Met the principal, tanker sent"})

    signal.refresh_from_db()
    assert signal.corrective_action == "Met the principal, tanker sent"
    assert signal.recorded_by == account_manager


def test_the_retention_page(client, busy, world, django_assert_max_num_queries):
    manager = StaffFactory(office=world.office, role=Role.MANAGER)
    client.force_login(manager.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:key_client_retention"))

    assert response.status_code == 200
    assert len(response.context["trend"]) == 8


def test_contact_persons_keys_are_computed_in_the_admin(client, key_client):
    admin = StaffFactory(role=Role.ADMINISTRATOR, user__is_staff=True, user__is_superuser=True)
    client.force_login(admin.user)
    url = reverse("admin:clients_contactperson_add")

    client.post(url, {"key_client": key_client.pk, "name": "Mr Khumalo", "role": "Bursar",
                      "phone": "083 444 1234", "email": "Bursar@School.example.org",
                      "active": "on"})

    person = ContactPerson.objects.get(name="Mr Khumalo")
    from imbizo.clients.key_clients import email_key, phone_key
    assert person.phone_key == phone_key("+27834441234") != ""
    assert person.email_key == email_key("bursar@school.example.org") != ""
