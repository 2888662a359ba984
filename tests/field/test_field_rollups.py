"""The field rollups follow every receive, and a rebuild gives the same figures."""

import pytest

from imbizo.field.models import FieldNeedDaily, FieldVisitDaily
from imbizo.field.rollups import field_rollups_rebuild
from imbizo.field.services import record_receive
from tests.field.factories import household, ward_at

pytestmark = pytest.mark.django_db


def receive(instance, answers, base_revision=None):
    return record_receive(form_code="household-needs", form_version="1", instance_id=instance,
                          answers=answers, base_revision=base_revision)


def figures():
    visits = sorted(FieldVisitDaily.objects.filter(households__gt=0)
                    .values_list("ward__code", "households"))
    needs = sorted(FieldNeedDaily.objects.filter(households__gt=0)
                   .values_list("ward__code", "need", "households"))
    return visits, needs


def test_receives_edits_and_conflicts_move_the_figures_as_a_rebuild_would(survey):
    ward_at("W1", 28.0)
    ward_at("W2", 28.01)
    receive("uuid:1", household(needs="water sanitation"))
    receive("uuid:2", household(needs="water"))
    receive("uuid:2", household(needs="water"))  # repeat
    receive("uuid:3", household(location="-26.195 28.015", needs="housing"))
    receive("uuid:1", household(needs="housing", location="-26.195 28.015"), base_revision=1)
    receive("uuid:1", household(needs="jobs"), base_revision=1)  # stale: a conflict
    receive("uuid:4", household(location="-33.9 18.4", needs="water"))  # outside every ward

    incremental = figures()
    field_rollups_rebuild()

    assert incremental == (
        [("W1", 1), ("W2", 2)],
        [("W1", "water", 1), ("W2", "housing", 2)],
    )
    assert figures() == incremental
