from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, CaseEvent
from imbizo.cases.services import case_open
from imbizo.core.errors import DomainError
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.outreach.hooks import interruption_changed
from imbizo.outreach.interruption_models import (
    InterruptionCase,
    InterruptionLeadTime,
    InterruptionWardMonth,
)
from imbizo.outreach.interruptions import (
    interruption_cancel,
    interruption_create,
    interruption_restore,
    interruption_update,
    interruptions_rollup_rebuild,
    interruptions_tick,
    restoration_target,
)
from tests.factories import WardFactory
from tests.outreach.conftest import MONDAY_10, cut
from tests.support import inside, sast


@pytest.fixture
def changes():
    heard = []

    def listen(*, interruption, change, update, **kwargs):
        heard.append((interruption.pk, change, update.text if update else None))

    interruption_changed.connect(listen)
    yield heard
    interruption_changed.disconnect(listen)


def report(world, **changes):
    fields = {"service_code": "water-leak", "description": "No water since this morning.",
              "channel": "web", "citizen_email": "thandi@example.org",
              "contact_consent": True, **inside(world.ward)}
    fields.update(changes)
    return case_open(draft=CaseDraft(**fields))


@time_machine.travel(MONDAY_10, tick=False)
def test_an_unplanned_cut_that_has_started_is_in_progress_and_says_so(world, officer, changes):
    interruption = interruption_create(draft=cut(world), actor=officer)

    assert interruption.status == "in_progress"
    assert list(interruption.wards.all()) == [world.ward]
    assert interruption.standard == world.standard
    assert changes == [(interruption.pk, "started", interruption.public_text)]


@pytest.mark.parametrize(("changes_", "field"), [
    ({"ward_ids": []}, "wards"),
    ({"expected_restoration_at": MONDAY_10 - timedelta(hours=2)}, "expected_restoration_at"),
    ({"title": "  "}, "title"),
    ({"kind": "sometimes"}, "kind"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, changes_, field):
    with pytest.raises(DomainError) as refused:
        interruption_create(draft=cut(world, **changes_))

    assert refused.value.field == field
    assert not world.service.interruptions.exists()


@time_machine.travel(MONDAY_10, tick=False)
def test_the_same_idempotency_key_returns_the_first_interruption(world):
    first = interruption_create(draft=cut(world), idempotency_key="k-1")
    again = interruption_create(draft=cut(world, title="Other"), idempotency_key="k-1")

    assert again.pk == first.pk
    assert world.service.interruptions.count() == 1


@time_machine.travel(MONDAY_10, tick=False)
def test_a_report_during_the_cut_is_linked_told_and_due_at_the_restoration(world):
    interruption = interruption_create(draft=cut(world))

    case = report(world)

    assert InterruptionCase.objects.get(case=case).interruption == interruption
    stored = Case.objects.get(pk=case.pk)
    assert stored.resolve_due_at == interruption.expected_restoration_at
    assert stored.next_check_at <= stored.resolve_due_at
    received = OutboxMessage.objects.get(case=case, channel="email", template="case_received")
    _subject, body = message_text(received)
    assert "We know about this already: Burst main on Vilakazi Street." in body
    assert f"/interruptions/{interruption.pk}/" in body


@time_machine.travel(MONDAY_10, tick=False)
def test_reports_of_another_service_or_ward_are_not_linked(world):
    interruption_create(draft=cut(world))
    elsewhere = WardFactory(code="W900")

    case = report(world, **inside(elsewhere))

    assert not InterruptionCase.objects.filter(case=case).exists()


@time_machine.travel(MONDAY_10, tick=False)
def test_of_two_overlapping_cuts_a_report_is_linked_to_the_one_expected_back_first(world):
    later = interruption_create(draft=cut(world, title="Reservoir cleaning"))
    sooner = interruption_create(draft=cut(
        world, expected_restoration_at=MONDAY_10 + timedelta(hours=2)))

    case = report(world)

    assert InterruptionCase.objects.get(case=case).interruption == sooner != later
    assert Case.objects.get(pk=case.pk).resolve_due_at == sooner.expected_restoration_at


def test_a_report_after_the_restoration_is_not_linked(world, officer):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world))
        interruption_restore(interruption=interruption, actor=officer)

    with time_machine.travel(MONDAY_10 + timedelta(minutes=5), tick=False):
        case = report(world)

    assert not InterruptionCase.objects.filter(case=case).exists()


def test_restoring_resolves_every_linked_open_case_with_its_own_event(world, officer, changes):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world), actor=officer)
        cases = [report(world), report(world, citizen_email="sipho@example.org")]
    with time_machine.travel(MONDAY_10 + timedelta(hours=5), tick=False):
        interruption_restore(interruption=interruption, actor=officer,
                             text="Water is back on.")

    for case in cases:
        stored = Case.objects.get(pk=case.pk)
        assert stored.status == "resolved"
        assert stored.outcome == "fixed"
        assert CaseEvent.objects.filter(case=case, to_status="resolved").count() == 1
        assert OutboxMessage.objects.filter(case=case, template="case_resolved").exists()
    interruption.refresh_from_db()
    assert interruption.status == "restored"
    assert interruption.restored_at == MONDAY_10 + timedelta(hours=5)
    assert changes[-1] == (interruption.pk, "restored", "Water is back on.")


def test_a_restoration_before_the_start_is_refused(world):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world))
        with pytest.raises(DomainError) as refused:
            interruption_restore(interruption=interruption, actor=None,
                                 restored_at=MONDAY_10 - timedelta(hours=3))

    assert refused.value.field == "restored_at"
    interruption.refresh_from_db()
    assert interruption.status == "in_progress"


def test_a_later_expected_restoration_moves_the_linked_cases_deadline(world, officer, changes):
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(world))
        case = report(world)
        later = MONDAY_10 + timedelta(hours=20)
        interruption_update(interruption=interruption, actor=officer,
                            text="The pipe is bigger than we thought.",
                            expected_restoration_at=later)

    assert Case.objects.get(pk=case.pk).resolve_due_at == later
    assert changes[-1][1:] == ("updated", "The pipe is bigger than we thought.")


def test_a_planned_cut_is_announced_at_the_lead_time_and_starts_at_its_start(world, changes):
    InterruptionLeadTime.objects.create(service=world.service, hours=24)
    start = sast(2026, 3, 5, 8, 0)
    with time_machine.travel(MONDAY_10, tick=False):
        interruption = interruption_create(draft=cut(
            world, kind="planned", starts_at=start,
            expected_restoration_at=start + timedelta(hours=6)))
        interruptions_tick()
    assert changes == []  # three days ahead: not yet
    with time_machine.travel(start - timedelta(hours=23), tick=False):
        interruptions_tick()
        interruptions_tick()
    assert [c[1] for c in changes] == ["announced"]
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        result = interruptions_tick()
    assert result.started == 1
    assert [c[1] for c in changes] == ["announced", "started"]
    interruption.refresh_from_db()
    assert interruption.status == "in_progress"


def test_a_planned_cut_can_be_cancelled_before_it_starts_but_not_after(world, changes):
    start = sast(2026, 3, 5, 8, 0)
    with time_machine.travel(MONDAY_10, tick=False):
        planned = interruption_create(draft=cut(
            world, kind="planned", starts_at=start,
            expected_restoration_at=start + timedelta(hours=6)))
        interruption_cancel(interruption=planned, actor=None, text="The contractor is ill.")
        running = interruption_create(draft=cut(world))
        with pytest.raises(DomainError):
            interruption_cancel(interruption=running, actor=None, text="No.")

    planned.refresh_from_db()
    assert planned.status == "cancelled"
    assert changes[-2][1] == "cancelled"


def test_hours_without_the_service_are_rolled_up_per_ward_and_month(world):
    second = WardFactory(code="W901")
    with time_machine.travel(MONDAY_10, tick=False):
        first = interruption_create(draft=cut(world, ward_ids=[world.ward.pk, second.pk]))
        overlapping = interruption_create(draft=cut(world))
    with time_machine.travel(MONDAY_10 + timedelta(hours=3), tick=False):
        interruption_restore(interruption=first, actor=None)
        interruption_restore(interruption=overlapping, actor=None)

    row = InterruptionWardMonth.objects.get(ward=world.ward)
    assert row.hours == 4.0  # 09:00 to 13:00, the two overlapping cuts counted once
    assert row.interruptions == 2
    assert InterruptionWardMonth.objects.get(ward=second).hours == 4.0
    with time_machine.travel(MONDAY_10 + timedelta(hours=4), tick=False):
        interruptions_rollup_rebuild()
    assert InterruptionWardMonth.objects.get(ward=world.ward).hours == 4.0


@time_machine.travel(MONDAY_10, tick=False)
def test_the_restoration_target_comes_from_the_standard_in_force(world):
    interruption = interruption_create(draft=cut(world, priority="normal"))

    # The world's standard: resolve within 5 working days (close of business).
    assert restoration_target(interruption) == sast(2026, 3, 9, 16, 30)
