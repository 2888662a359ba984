"""The demo's planted duplicates: opened, dated back, with the ground truth,
and the duplicate finder's precision and recall on them among the history."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.cases.models import Case
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.demo.triage_duplicates import PLANTED, duplicates_plant, duplicates_score
from imbizo.triage.duplicates_models import DuplicateWindow
from imbizo.triage.usage_models import SuggestionRecord

pytestmark = pytest.mark.django_db
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


@pytest.fixture
def planted():
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=1500, until=UNTIL - datetime.timedelta(days=1))
        return duplicates_plant(seed=3)


def test_every_pair_is_planted_open_in_order_and_every_demo_service_has_a_window(planted):
    assert len(planted) == len(PLANTED)
    assert DuplicateWindow.objects.count() == 44
    for pair, plant in zip(planted, PLANTED, strict=True):
        first, second = (Case.objects.get(reference=r) for r in (pair.first, pair.second))
        assert first.is_open and second.is_open and pair.same == plant.same
        assert second.opened_at - first.opened_at == datetime.timedelta(minutes=plant.minutes)
        assert first.events.get(kind="opened").at == first.opened_at
    assert SuggestionRecord.objects.filter(door="report").count() == 2 * len(PLANTED)


def test_the_finder_finds_most_pairs_and_offers_few_look_alikes(planted):
    with time_machine.travel(UNTIL, tick=False):
        score = duplicates_score(planted)

    assert score.pairs == sum(p.same for p in PLANTED)
    assert score.recall >= 0.8
    assert score.precision >= 0.8
    assert len(score.timings_ms) == len(PLANTED)
