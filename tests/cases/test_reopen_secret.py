"""Only the citizen (holding the case's secret) and staff reopen a case."""

import pytest
from django.core import mail

from imbizo.cases.errors import CaseError
from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.reopen_secret import secret_hash, secret_matches, secret_new
from imbizo.cases.services import (
    case_assign,
    case_open,
    case_reopen,
    case_reopen_by_citizen,
    case_resolve,
)
from imbizo.core.errors import DomainError
from imbizo.notify.delivery import outbox_send_due
from imbizo.notify.models import OutboxMessage
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import inside


def test_a_secret_matches_its_hash_however_it_is_typed():
    secret = secret_new()

    assert secret_matches(f" {secret.lower()[:5]} {secret[5:]} ", secret_hash(secret))
    assert not secret_matches(secret_new(), secret_hash(secret))
    assert not secret_matches(secret, "")  # no hash stored: nobody may reopen in public
    assert not secret_matches("", secret_hash(""))


def _resolved(world, **contact) -> Case:
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **contact, **inside(world.ward)))
    return case_resolve(case=case, actor=None, outcome="fixed")


def test_only_the_hash_of_the_secret_is_stored(world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **inside(world.ward)))

    stored = Case.objects.get(pk=case.pk)
    assert stored.reopen_secret_hash == secret_hash(case.reopen_secret)
    assert case.reopen_secret not in str(Case.objects.filter(pk=case.pk).values().get())


def test_the_citizens_messages_carry_the_secret_and_the_resolution_a_fresh_one(world):
    case = case_open(draft=CaseDraft(
        service_code="water-leak", description="Leak", channel="web",
        citizen_email="c@example.org", contact_consent=True, **inside(world.ward)))
    first = case.reopen_secret
    case_resolve(case=case, actor=None, outcome="fixed")

    outbox_send_due()

    received, resolved = (OutboxMessage.objects.get(template=t)
                          for t in ("case_received", "case_resolved"))
    assert f"?secret={first}" in received.body
    fresh = resolved.context["reopen_secret"]
    assert fresh != first and f"?secret={fresh}" in resolved.body
    case.refresh_from_db()
    assert secret_matches(fresh, case.reopen_secret_hash)
    assert not secret_matches(first, case.reopen_secret_hash)


def test_an_anonymous_reporters_secret_from_the_confirmation_page_still_works(world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **inside(world.ward)))
    secret = case.reopen_secret
    case_resolve(case=case, actor=None, outcome="fixed")

    case_reopen_by_citizen(case=case, secret=secret, reason="Still leaking")

    case.refresh_from_db()
    assert case.status == "reopened"
    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.details) == (None, {"by_citizen": True, "channel": "web"})


@pytest.mark.parametrize("secret", ["", "WRONG12345"])
def test_a_reopen_without_the_right_secret_is_refused_and_changes_nothing(world, secret):
    case = _resolved(world)

    with pytest.raises(DomainError) as refused:
        case_reopen_by_citizen(case=case, secret=secret, reason="Still leaking")

    assert refused.value.code == CaseError.REOPEN_SECRET_WRONG
    assert "reopen code" in refused.value.message
    case.refresh_from_db()
    assert (case.status, case.reopen_count) == ("resolved", 0)
    assert not case.events.filter(kind=EventKind.REOPENED).exists()


def test_an_open_case_is_not_reopened_even_with_its_secret(world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **inside(world.ward)))

    with pytest.raises(DomainError) as refused:
        case_reopen_by_citizen(case=case, secret=case.reopen_secret, reason="Again")

    assert refused.value.code == CaseError.TRANSITION_NOT_ALLOWED


def test_a_reopening_tells_the_officer_and_the_supervisor(world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    StaffFactory(role=Role.SUPERVISOR)  # another office's
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", **inside(world.ward)))
    secret = case.reopen_secret
    case_assign(case=case, actor=supervisor, assignee=officer)
    case_resolve(case=case, actor=officer, outcome="fixed")
    mail.outbox.clear()

    case_reopen_by_citizen(case=case, secret=secret, reason="Still leaking")
    outbox_send_due()

    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {officer.user.email, supervisor.user.email}
    body = told[officer.user.email].body
    assert case.reference in told[officer.user.email].subject
    assert "Still leaking" in body and f"/staff/cases/{case.reference}/" in body


def test_staff_reopen_with_their_login_and_are_not_told_of_their_own_act(world):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    case = _resolved(world)
    mail.outbox.clear()

    case_reopen(case=case, actor=supervisor, reason="Crew found it still leaking")
    outbox_send_due()

    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.details["channel"]) == (supervisor, "staff")
    assert supervisor.user.email not in [m.to[0] for m in mail.outbox]
