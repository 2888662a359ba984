"""The demo municipality's quality programme: something real on every page."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from imbizo.cases.models import Case
from imbizo.demo.history import history_build
from imbizo.demo.municipality import LOGIN_NAMES, demo_build
from imbizo.demo.quality import quality_build
from imbizo.insights.rollups import rollups_rebuild
from imbizo.quality import selectors
from imbizo.quality.cycle import Stage
from imbizo.quality.models import Action, ActionStatus, Story, VisitCycle, VisitPhoto
from tests.quality.factories import default_checklist

pytestmark = pytest.mark.django_db
UNTIL = datetime.date(2026, 10, 30)


@pytest.fixture
def demo():
    demo_build(seed=5)
    default_checklist()
    history_build(seed=5, cases=800, until=datetime.datetime(
        2026, 10, 30, 17, tzinfo=ZoneInfo("Africa/Johannesburg")))
    rollups_rebuild()
    return quality_build(seed=5, until_day=UNTIL)


def test_the_supervisors_depot_has_a_finished_cycle_with_a_photo(demo):
    cycle = VisitCycle.objects.get(office__staff__user__username="supervisor")

    assert cycle.stage == Stage.DONE
    rows = selectors.cycle_comparison(cycle=cycle)
    assert rows[-1].after > rows[-1].before
    assert VisitPhoto.objects.get().visit == cycle.baseline


def test_actions_closed_in_the_demo_carry_their_frozen_figures(demo):
    closed = Action.objects.exclude(status=ActionStatus.OPEN)

    assert Action.objects.filter(status=ActionStatus.OPEN).exists()
    for action in closed:
        assert action.before_count >= 5 and action.after_count >= 5


def test_demo_stories_name_nobody(demo):
    stories = list(Story.objects.select_related("case"))

    assert stories
    for story in stories:
        case = Case.objects.get(pk=story.case_id)
        for part in case.citizen_name.split():
            assert part not in story.text


def test_the_public_wall_has_consented_recognition(demo):
    wall = selectors.public_wall()

    assert {r.first_name for r in wall} >= {LOGIN_NAMES["officer"][0]}  # the demo's officer
    assert len(wall) == 2  # the third nomination has no consent
