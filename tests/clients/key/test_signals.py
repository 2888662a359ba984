"""Negative signals about key clients reach the account manager: a complaint at
intake and a breach in the clock sweep alert by email and wait on the key
client's page; a poor rating raises one reaction only, the closed loop's
follow-up case, assigned to the account manager."""

from datetime import timedelta

import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.services import case_open, case_resolve
from imbizo.clients.key_clients import intake_link, signal_correct, signals_from_sweep
from imbizo.clients.key_models import Signal, SignalKind
from imbizo.clients.key_selectors import account_manager_of_case
from imbizo.clients.models import CaseClient, KeyClient
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Invitation, LoopRule
from imbizo.engagement.services import response_submit
from imbizo.notify.models import OutboxMessage
from imbizo.org.models import Role
from tests.clients.key.conftest import CONTACT_EMAIL, CONTACT_PHONE
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside

pytestmark = pytest.mark.django_db

ALL_ONES = dict.fromkeys(("satisfaction", "trust", "effectiveness", "ease", "efficiency",
                          "fairness", "helpfulness"), "1")


def _open(world, *, kind="request", phone="", email=""):
    return case_open(draft=CaseDraft(service_code="water-leak", description="No water at the "
                                     "school", channel="hotline", kind=kind,
                                     citizen_phone=phone, citizen_email=email,
                                     contact_consent=bool(phone or email),
                                     **inside(world.ward)))


def alerts():
    return OutboxMessage.objects.filter(template="key_client_signal")


def test_a_caller_who_is_a_contact_person_links_the_case_to_their_key_client(
        world, key_client, account_manager):
    case = _open(world, phone="+27825550101")

    link = intake_link(case=case, phone=CONTACT_PHONE)

    assert (link.key_client, link.group, link.source) == (
        key_client, key_client.group, CaseClient.Source.CLIENT)
    assert account_manager_of_case(case) == account_manager


def test_a_stranger_gets_the_default_group_and_no_key_client(world, key_client, groups):
    case = _open(world, phone="0825550199")

    link = intake_link(case=case, phone="0825550199", email="someone@example.org")

    assert link.key_client is None and link.group == groups.households
    assert account_manager_of_case(case) is None


def test_a_complaint_for_a_key_client_alerts_its_account_manager_once(world, key_client,
                                                                      account_manager):
    case = _open(world, kind="complaint")

    intake_link(case=case, key_client=key_client, agreed="Delivery by Friday")
    intake_link(case=case, key_client=key_client)  # the form sent again

    signal = Signal.objects.get()
    assert (signal.key_client, signal.case, signal.kind) == (key_client, case,
                                                             SignalKind.COMPLAINT)
    alert = alerts().get()
    assert alert.recipient == account_manager.user.email
    assert "Thuto High School" in alert.subject and case.reference in alert.body
    assert f"/staff/clients/key/{key_client.pk}/" in alert.body


def test_a_breach_in_the_sweep_raises_one_signal_and_one_alert_per_case_and_kind(
        world, key_client):
    case = _open(world)
    CaseClient.objects.create(case=case, group=key_client.group, key_client=key_client)
    other = _open(world)  # not a key client's
    fired = type("Fired", (), {"kind": EventKind.BREACHED, "at": case.opened_at})

    assert signals_from_sweep(fired=[(case, [fired]), (other, [fired])]) == 1
    assert signals_from_sweep(fired=[(case, [fired])]) == 0

    assert Signal.objects.get().kind == SignalKind.BREACH
    assert alerts().count() == 1


def test_the_clock_sweep_itself_signals_a_key_clients_breach(world, key_client):
    from imbizo.cases.sweep import clocks_sweep

    case = _open(world)
    CaseClient.objects.create(case=case, group=key_client.group, key_client=key_client)

    clocks_sweep(now=case.resolve_due_at + timedelta(hours=1))

    assert set(Signal.objects.filter(case=case).values_list("kind", flat=True)) >= {
        SignalKind.BREACH}
    assert alerts().filter(case=case).exists()


def test_the_corrective_action_closes_the_signal_and_only_once(world, key_client,
                                                               account_manager):
    case = _open(world, kind="complaint")
    intake_link(case=case, key_client=key_client)
    signal = Signal.objects.get()

    with pytest.raises(DomainError, match="Say what was done"):
        signal_correct(signal=signal, actor=account_manager, action="  ")
    stranger = StaffFactory(office=world.office, role=Role.OFFICER)
    with pytest.raises(DomainError, match="account manager"):
        signal_correct(signal=signal, actor=stranger, action="Called")

    signal_correct(signal=signal, actor=account_manager, action="Called the principal")

    signal.refresh_from_db()
    assert not signal.is_open and signal.recorded_by == account_manager
    with pytest.raises(DomainError, match="already recorded"):
        signal_correct(signal=signal, actor=account_manager, action="Again")


def test_a_poor_rating_raises_one_follow_up_for_the_account_manager_and_no_second_alert(
        world, key_client, account_manager):
    follow_up_service = ServiceFactory(code="feedback-follow-up",
                                       department=world.office.department)
    ServiceStandardFactory(service=follow_up_service, resolve_amount=2)
    LoopRule.objects.create(name="Any 1 or 2", instrument_code="post-transaction", max_score=2,
                            follow_up_service=follow_up_service, promise="We call you.")
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    case = _open(world, email=CONTACT_EMAIL)
    intake_link(case=case, email=CONTACT_EMAIL)
    case_resolve(case=case, actor=None, outcome="fixed", note="Pipe replaced")
    messages_before = OutboxMessage.objects.exclude(case=case).count()

    response = response_submit(invitation=Invitation.objects.get(case=case), answers=ALL_ONES)

    follow_up = Case.objects.get(service=follow_up_service)
    assert response.follow_up == follow_up
    assert follow_up.assignee == account_manager != supervisor
    # The follow-up joins the key client and is its one signal: no email of ours.
    assert CaseClient.objects.get(case=follow_up).key_client == key_client
    signal = Signal.objects.get()
    assert (signal.case, signal.kind) == (follow_up, SignalKind.POOR_RATING)
    assert not alerts().exists()
    assert not OutboxMessage.objects.exclude(case=case).filter(
        template="key_client_signal").exists()
    assert OutboxMessage.objects.exclude(case=case).count() >= messages_before


@pytest.mark.parametrize("former", [False, True])
def test_a_poor_rating_without_a_current_key_client_goes_to_the_supervisor(world, groups,
                                                                          key_client, former):
    follow_up_service = ServiceFactory(code="feedback-follow-up",
                                       department=world.office.department)
    ServiceStandardFactory(service=follow_up_service, resolve_amount=2)
    LoopRule.objects.create(name="Any 1 or 2", instrument_code="post-transaction", max_score=2,
                            follow_up_service=follow_up_service, promise="We call you.")
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    case = _open(world, email="someone@example.org")
    if former:  # the key client's case, but it is a key client no more
        CaseClient.objects.create(case=case, group=key_client.group, key_client=key_client)
        KeyClient.objects.filter(pk=key_client.pk).update(active=False)
    case_resolve(case=case, actor=None, outcome="fixed", note="Done")

    response_submit(invitation=Invitation.objects.get(case=case), answers=ALL_ONES)

    assert Case.objects.get(service=follow_up_service).assignee == supervisor
    assert not Signal.objects.exists()
