"""The demo's client groups, matrix and quarterly reviews (imbizo.demo.client_groups)."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count, Q

from imbizo.clients.group_models import (
    Measure,
    MeasureSource,
    Review,
    ReviewFigure,
    ReviewStatus,
    Suggestion,
)
from imbizo.clients.group_selectors import matrix
from imbizo.clients.measures import Quarter, measure_figure
from imbizo.clients.models import CaseClient, ClientGroup
from imbizo.demo.client_groups import client_groups_build
from imbizo.demo.feedback import feedback_build
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.quality.models import Action, ActionSource

pytestmark = pytest.mark.django_db
TZ = "Africa/Johannesburg"
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo(TZ))


@pytest.fixture
def made():
    demo_build(seed=3)
    history_build(seed=3, cases=3000, until=UNTIL)
    with time_machine.travel(UNTIL, tick=False):
        feedback_build(seed=3, until=UNTIL)
        started = time.monotonic()
        counts = client_groups_build(seed=3, until_day=UNTIL.date())
        counts["seconds"] = time.monotonic() - started
        return counts


def test_six_groups_with_one_default_per_type_and_linked_cases(made):
    assert ClientGroup.objects.count() == 6
    assert set(ClientGroup.objects.filter(default_for_type=True)
               .values_list("client_type", flat=True)) == {"internal", "external"}
    linked = dict(CaseClient.objects.values_list("group__code").annotate(n=Count("pk")))
    assert {"businesses", "schools", "community-organisations",
            "provincial-departments"} <= set(linked)
    assert made["seconds"] < 10


def test_every_held_review_froze_every_measure_of_its_group(made):
    held = Review.objects.filter(status=ReviewStatus.HELD).annotate(n=Count("figures"))
    measures = dict(Measure.objects.values_list("group_id").annotate(n=Count("pk")))
    assert held.count() == 6 * 6 - 1
    assert all(r.n == measures[r.group_id] for r in held)
    draft = Review.objects.get(status=ReviewStatus.DRAFT)
    assert draft.group.code == "households" and draft.suggestions.count() >= 3


def test_frozen_figures_equal_the_figures_of_their_quarter(made):
    for figure in ReviewFigure.objects.filter(
            measure__source__in=[MeasureSource.COMPLIANCE, MeasureSource.SURVEY]
    ).select_related("review", "measure__group")[:12]:
        since, until = Quarter(figure.review.year, figure.review.quarter).bounds(TZ)
        again = measure_figure(figure.measure, since=since, until=until)
        assert (figure.value, figure.count) == (again.value, again.count)


def test_at_most_three_suggestions_chosen_and_each_action_from_a_client_review(made):
    chosen = Review.objects.annotate(n=Count("suggestions", filter=Q(suggestions__chosen=True)))
    assert max(r.n for r in chosen) <= 3
    assert Suggestion.objects.filter(action__isnull=False).count() == made[
        "actions from reviews"] > 0
    assert set(Action.objects.filter(client_suggestion__isnull=False)
               .values_list("source", flat=True)) == {ActionSource.CLIENT_REVIEW}


def test_the_public_matrix_has_services_and_satisfaction_to_show(made):
    with time_machine.travel(UNTIL, tick=False):
        shown = matrix(external_only=True)
    assert len(shown.rows) >= 8 and all(g.client_type == "external" for g in shown.groups)
    assert any(cell and cell.shown for row in shown.rows for cell in row.cells)
