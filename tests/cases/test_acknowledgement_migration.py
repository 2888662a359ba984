"""The data migration that clears the acknowledgements no person made, read from
the events (cases 0008)."""

from importlib import import_module

import pytest
from django.apps import apps

from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.services import case_start
from imbizo.org.models import Role
from tests.cases.conftest import at
from tests.factories import StaffFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db

migration = import_module("imbizo.cases.migrations.0008_acknowledgement_is_a_persons_act")


def _old_style_auto_assigned(world, when):
    """A case as the old rule left it: auto-assigned, and so 'acknowledged', as it opened."""
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open

    world.office.auto_assign = True
    world.office.save()
    with at(*when):
        case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                         channel="web", **inside(world.ward)))
    Case.objects.filter(pk=case.pk).update(acknowledged_at=case.opened_at)
    return Case.objects.get(pk=case.pk)


def test_the_machines_acknowledgement_is_cleared_and_missed_when_due_passed(world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = _old_style_auto_assigned(world, (2026, 3, 3, 1, 0))

    with at(2026, 3, 20, 9, 0):
        migration.automatic_acknowledgements_clear(apps, None)

    case.refresh_from_db()
    assert case.acknowledged_at is None
    assert case.ack_breached_at == case.ack_due_at  # missed, recorded without an apology
    assert officer.pk  # an officer existed, but never acted


def test_a_pending_acknowledgement_is_put_back_on_the_sweeps_path(world):
    case = _old_style_auto_assigned(world, (2026, 3, 3, 1, 0))

    with at(2026, 3, 3, 2, 0):
        migration.automatic_acknowledgements_clear(apps, None)

    case.refresh_from_db()
    assert case.acknowledged_at is None and case.ack_breached_at is None
    assert case.next_check_at == case.ack_due_at


def test_the_first_thing_a_person_did_becomes_the_acknowledgement(world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = _old_style_auto_assigned(world, (2026, 3, 3, 1, 0))
    with at(2026, 3, 3, 9, 0):
        case_start(case=case, actor=officer)

    with at(2026, 3, 20, 9, 0):
        migration.automatic_acknowledgements_clear(apps, None)

    case.refresh_from_db()
    assert case.acknowledged_at == sast(2026, 3, 3, 9, 0)
    assert case.ack_breached_at is None  # in time: due the next working day


def test_a_persons_acknowledgement_is_kept(world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = _old_style_auto_assigned(world, (2026, 3, 3, 1, 0))
    person = sast(2026, 3, 3, 1, 0)
    # As if the officer had pressed the button in the same minute.
    CaseEvent.objects.create(case=case, kind=EventKind.STATUS, at=person, actor=officer,
                             from_status="received", to_status="acknowledged")

    with at(2026, 3, 20, 9, 0):
        migration.automatic_acknowledgements_clear(apps, None)

    case.refresh_from_db()
    assert case.acknowledged_at == person
