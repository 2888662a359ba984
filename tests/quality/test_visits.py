"""Visit cycles and visits, through the services against a real database."""

import datetime

import pytest
import time_machine

from imbizo.core.errors import DomainError
from imbizo.quality import selectors
from imbizo.quality.cycle import Stage
from imbizo.quality.errors import QualityError
from imbizo.quality.models import CycleStep, VisitKind, VisitPhoto
from imbizo.quality.services import (
    ActionDraft,
    ItemEntry,
    action_create,
    cycle_cancel,
    cycle_feedback_hold,
    cycle_plan_agree,
    cycle_start,
    visit_begin,
    visit_record,
    visit_submit,
)
from tests.factories import OfficeFactory
from tests.quality.factories import PNG, scored_visit, upload
from tests.support import sast

pytestmark = pytest.mark.django_db
MONDAY = sast(2026, 3, 2, 10, 0)


def plan_action(cycle_row, owner):
    return action_create(actor=owner, draft=ActionDraft(
        title="Put the service charter up at the entrance", owner=owner,
        due_on=datetime.date(2026, 4, 1), principle="service_standards",
        metric="resolved_within_pledge", source="visit", cycle=cycle_row))


@time_machine.travel(MONDAY, tick=False)
def test_a_cycle_runs_from_baseline_to_re_visit_and_compares_them(world, staff):
    supervisor = staff.supervisor
    cycle_row = cycle_start(office=world.office, actor=supervisor)
    scored_visit(actor=supervisor, cycle_row=cycle_row, score=2)
    cycle_feedback_hold(cycle_row=cycle_row, actor=supervisor, held_on=MONDAY.date(),
                        notes="Charter missing; long wait at the counter.")
    plan_action(cycle_row, supervisor)
    cycle_plan_agree(cycle_row=cycle_row, actor=supervisor)
    scored_visit(actor=supervisor, cycle_row=cycle_row, score=2, scores={5: 4, 1: 3})

    cycle_row.refresh_from_db()
    rows = selectors.cycle_comparison(cycle=cycle_row)

    assert cycle_row.stage == Stage.DONE and cycle_row.closed_at is not None
    assert list(cycle_row.steps.values_list("step", flat=True)) == [
        "baseline_visited", "feedback_held", "plan_agreed", "revisited"]
    overall = rows[-1]
    assert (overall.before, overall.delta) == (2.0, round(3 / 23, 2))
    charter = next(r for r in rows if r.label.startswith("The service charter"))
    assert (charter.before, charter.after, charter.delta) == (2, 4, 2)


@time_machine.travel(MONDAY, tick=False)
def test_the_plan_cannot_be_agreed_without_an_action(world, staff):
    cycle_row = cycle_start(office=world.office, actor=staff.supervisor)
    scored_visit(actor=staff.supervisor, cycle_row=cycle_row)
    cycle_feedback_hold(cycle_row=cycle_row, actor=staff.supervisor, held_on=MONDAY.date(),
                        notes="Discussed.")

    with pytest.raises(DomainError) as error:
        cycle_plan_agree(cycle_row=cycle_row, actor=staff.supervisor)

    assert error.value.code == QualityError.PLAN_EMPTY


@time_machine.travel(MONDAY, tick=False)
def test_the_feedback_meeting_cannot_come_before_the_baseline_visit(world, staff):
    cycle_row = cycle_start(office=world.office, actor=staff.supervisor)

    with pytest.raises(DomainError) as error:
        cycle_feedback_hold(cycle_row=cycle_row, actor=staff.supervisor, held_on=MONDAY.date(),
                            notes="Too soon")

    assert error.value.code == QualityError.STEP_NOT_ALLOWED
    assert not CycleStep.objects.exists()


def test_an_office_has_one_cycle_under_way_at_a_time(world, staff):
    cycle_start(office=world.office, actor=staff.supervisor)

    with pytest.raises(DomainError) as error:
        cycle_start(office=world.office, actor=staff.manager)

    assert error.value.code == QualityError.STEP_NOT_ALLOWED


def test_a_cancelled_cycle_makes_room_for_a_new_one(world, staff):
    first = cycle_start(office=world.office, actor=staff.supervisor)
    cycle_cancel(cycle_row=first, actor=staff.supervisor, reason="Office moved")

    second = cycle_start(office=world.office, actor=staff.supervisor)

    assert second.stage == Stage.BASELINE


@pytest.mark.parametrize("who", ["officer", "stranger"])
def test_only_those_who_look_after_the_office_run_its_visits(world, staff, who):
    with pytest.raises(DomainError) as error:
        cycle_start(office=world.office, actor=getattr(staff, who))

    assert error.value.code == QualityError.FORBIDDEN


def test_a_manager_runs_visits_for_the_offices_of_the_department(world, staff):
    cycle_row = cycle_start(office=world.office, actor=staff.manager)

    assert cycle_row.started_by == staff.manager


def test_a_visit_is_not_submitted_until_every_item_is_scored(world, staff):
    cycle_row = cycle_start(office=world.office, actor=staff.supervisor)
    visit = visit_begin(actor=staff.supervisor, cycle_row=cycle_row)
    first = visit.scores.order_by("item__order").first()
    visit_record(visit=visit, actor=staff.supervisor,
                 entries={first.item_id: ItemEntry(score=3, evidence="Sign at the gate")})

    with pytest.raises(DomainError) as error:
        visit_submit(visit=visit, actor=staff.supervisor)

    assert error.value.code == QualityError.INCOMPLETE_VISIT
    assert "22 still without a score" in error.value.message


def test_beginning_the_due_visit_again_reuses_its_draft(world, staff):
    cycle_row = cycle_start(office=world.office, actor=staff.supervisor)

    first = visit_begin(actor=staff.supervisor, cycle_row=cycle_row)
    again = visit_begin(actor=staff.supervisor, cycle_row=cycle_row)

    assert first.pk == again.pk and first.kind == VisitKind.BASELINE


def test_a_score_outside_1_to_4_is_refused(world, staff):
    visit = visit_begin(actor=staff.supervisor,
                        cycle_row=cycle_start(office=world.office, actor=staff.supervisor))
    item_id = visit.scores.first().item_id

    with pytest.raises(DomainError) as error:
        visit_record(visit=visit, actor=staff.supervisor, entries={item_id: ItemEntry(score=5)})

    assert error.value.code == QualityError.INVALID_SCORE


def test_a_submitted_visit_is_final(world, staff):
    visit = scored_visit(actor=staff.supervisor,
                         cycle_row=cycle_start(office=world.office, actor=staff.supervisor))
    item_id = visit.scores.first().item_id

    with pytest.raises(DomainError) as error:
        visit_record(visit=visit, actor=staff.supervisor, entries={item_id: ItemEntry(score=1)})

    assert error.value.code == QualityError.VISIT_SUBMITTED


def test_only_the_visitor_changes_a_visits_scores(world, staff):
    visit = visit_begin(actor=staff.supervisor,
                        cycle_row=cycle_start(office=world.office, actor=staff.supervisor))

    with pytest.raises(DomainError) as error:
        visit_record(visit=visit, actor=staff.manager, entries={})

    assert error.value.code == QualityError.FORBIDDEN


def test_evidence_photos_are_kept_under_our_own_name(world, staff):
    visit = visit_begin(actor=staff.supervisor,
                        cycle_row=cycle_start(office=world.office, actor=staff.supervisor))
    item_id = visit.scores.first().item_id

    visit_record(visit=visit, actor=staff.supervisor, entries={},
                 photos=[(item_id, upload(name="../../etc/passwd.png"))])

    photo = VisitPhoto.objects.get()
    assert photo.content_type == "image/png" and photo.item_id == item_id
    assert photo.file.name.startswith("quality/") and "passwd" not in photo.file.name
    assert photo.file.read() == PNG


def test_a_file_that_is_not_a_photo_is_refused_by_its_content(world, staff):
    visit = visit_begin(actor=staff.supervisor,
                        cycle_row=cycle_start(office=world.office, actor=staff.supervisor))

    with pytest.raises(DomainError) as error:
        visit_record(visit=visit, actor=staff.supervisor, entries={},
                     photos=[(None, upload(b"<html>not a photo</html>", name="x.png"))])

    assert "not a photo" in error.value.message
    assert not VisitPhoto.objects.exists()


def test_a_staff_member_visits_another_office_as_a_citizen(world, staff):
    other = OfficeFactory(name="Central Clinic")

    visit = scored_visit(actor=staff.officer, office=other, score=4)

    assert (visit.kind, visit.cycle, visit.office) == (VisitKind.AS_CITIZEN, None, other)


def test_nobody_visits_their_own_office_as_a_citizen(world, staff):
    with pytest.raises(DomainError) as error:
        visit_begin(actor=staff.officer, office=world.office)

    assert error.value.code == QualityError.OWN_OFFICE


def test_the_office_scorecard_lists_every_scored_visit_oldest_first(world, staff,
                                                                    django_assert_max_num_queries):
    other_visitor = staff.stranger
    with time_machine.travel(sast(2026, 1, 5, 9), tick=False):
        scored_visit(actor=other_visitor, office=world.office, score=1)
    with time_machine.travel(sast(2026, 2, 5, 9), tick=False):
        cycle_row = cycle_start(office=world.office, actor=staff.supervisor)
        scored_visit(actor=staff.supervisor, cycle_row=cycle_row, score=3)

    with django_assert_max_num_queries(3):
        card = selectors.office_scorecard(staff=staff.manager, office=world.office)
        rows = card.rows

    assert [v.kind for v in card.visits] == [VisitKind.AS_CITIZEN, VisitKind.BASELINE]
    assert rows[-1][1] == [1.0, 3.0]
    assert len(rows) == 9  # eight areas and overall
