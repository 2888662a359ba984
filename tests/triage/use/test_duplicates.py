from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.services import case_close, case_merge, case_resolve
from imbizo.triage.duplicates import (
    SCORE_MIN,
    duplicates_find,
    similarity,
    trigrams,
)
from tests.factories import WardFactory
from tests.triage.use.conftest import MONDAY_10, north_of, report

LEAK = "Burst pipe on Vilakazi Street, water pouring down the road"


def at(when):
    return time_machine.travel(when, tick=False)


def test_the_same_burst_pipe_reported_two_minutes_apart_is_found(world, services, here):
    with at(MONDAY_10):
        first = report(services.leak, LEAK, point=here)
    with at(MONDAY_10 + timedelta(minutes=2)):
        hits = duplicates_find(service=services.leak, description="burst pipe vilakazi str "
                               "water everywhere", lat=north_of(here, 12)[0], lon=here[1])

    assert [h.reference for h in hits] == [first.reference]
    hit = hits[0]
    assert hit.case_id == first.pk and hit.opened_at == first.opened_at
    assert 11 < hit.distance_m < 13
    assert SCORE_MIN <= hit.score <= 1
    assert hit.service_code == "water-leak"


def test_a_pothole_further_than_its_window_is_not_a_duplicate(world, services, here):
    with at(MONDAY_10):
        report(services.pothole, "Deep pothole in front of the school", point=north_of(here, 60))
        near = report(services.pothole, "Big pothole by the school gate", point=north_of(here, 10))
        hits = duplicates_find(service=services.pothole, description="pothole at the school",
                               lat=here[0], lon=here[1])

    assert [h.reference for h in hits] == [near.reference]


def test_a_report_kept_private_is_found_for_staff_but_never_in_public(world, services, here):
    with at(MONDAY_10):
        private = report(services.leak, LEAK, point=here, kept_private=True)
        found = duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1])
        public = duplicates_find(service=services.leak, description=LEAK, lat=here[0],
                                 lon=here[1], public_only=True)

    assert [h.reference for h in found] == [private.reference]
    assert public == []


def test_in_public_the_public_text_is_compared_and_returned(world, services, here):
    with at(MONDAY_10):
        report(services.leak, LEAK, point=here, citizen_name="Thandi", anonymous=True)  # anonymous: private
        shown = report(services.leak, "Leaking pipe at number 12, call 082 555 1234", point=here)
        hits = duplicates_find(service=services.leak, description="leaking pipe", lat=here[0],
                               lon=here[1], public_only=True)

    assert [h.reference for h in hits] == [shown.reference]
    assert hits[0].summary == shown.public_description


def test_a_water_outage_is_the_same_anywhere_in_the_ward_but_not_next_door(world, services, here):
    other_ward = WardFactory(code="W002")
    with at(MONDAY_10):
        far = report(services.no_water, "No water since Friday", point=north_of(here, 400))
        report(services.no_water, "No water since Friday",
               point=(other_ward.centroid_lat, other_ward.centroid_lon))
        hits = duplicates_find(service=services.no_water, description="taps are dry",
                               lat=here[0], lon=here[1])

    assert [h.reference for h in hits] == [far.reference]


def test_a_related_service_of_the_same_group_counts_but_below_the_same_service(world, services, here):
    with at(MONDAY_10):
        outage = report(services.no_water, "no water pipe burst on Vilakazi Street", point=here)
        leak = report(services.leak, "water pipe burst on Vilakazi Street", point=here)
        hits = duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1])

    assert [h.reference for h in hits] == [leak.reference, outage.reference]
    assert hits[0].score > hits[1].score


def test_the_closer_and_more_alike_report_ranks_first(world, services, here):
    with at(MONDAY_10):
        alike = report(services.leak, LEAK, point=north_of(here, 5))
        other = report(services.leak, "Meter box cracked and dripping", point=north_of(here, 40))
        hits = duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1])

    assert [h.reference for h in hits] == [alike.reference, other.reference][:len(hits)]
    assert hits[0].reference == alike.reference


def test_reports_older_than_the_window_or_done_or_merged_are_not_offered(world, services, here,
                                                                          supervisor):
    with at(MONDAY_10 - timedelta(hours=49)):
        report(services.leak, LEAK, point=here)  # the leak window is 48 hours
    with at(MONDAY_10):
        closed = report(services.leak, LEAK, point=here)
        case_resolve(case=closed, actor=supervisor, outcome="fixed", note="Fixed")
        case_close(case=closed, actor=supervisor)
        incident = report(services.leak, LEAK, point=here)
        merged = report(services.leak, LEAK, point=here)
        case_merge(case=merged, into=incident, actor=supervisor)
        hits = duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1])

    assert [h.reference for h in hits] == [incident.reference]


def test_the_case_itself_is_left_out(world, services, here):
    with at(MONDAY_10):
        case = report(services.leak, LEAK, point=here)
        hits = duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1],
                               exclude_case_id=case.pk)
    assert hits == []


def test_a_service_whose_window_is_off_never_has_duplicates(world, services, here):
    with at(MONDAY_10):
        report(services.licence, "Renew my licence", point=here)
        hits = duplicates_find(service=services.licence, description="Renew my licence",
                               lat=here[0], lon=here[1])
    assert hits == []


def test_without_a_point_the_ward_is_compared(world, services, here):
    with at(MONDAY_10):
        case = report(services.leak, LEAK, point=here)
        by_ward = duplicates_find(service=services.leak, description=LEAK, ward=world.ward)
        nowhere = duplicates_find(service=services.leak, description=LEAK)
    assert [h.reference for h in by_ward] == [case.reference]
    assert by_ward[0].distance_m is None
    assert nowhere == []


def test_an_officer_sees_only_duplicates_in_their_scope(world, services, here):
    from imbizo.org.models import Role
    from tests.factories import OfficeFactory, StaffFactory

    elsewhere = StaffFactory(office=OfficeFactory(code="far"), role=Role.OFFICER)
    with at(MONDAY_10):
        report(services.leak, LEAK, point=here)
        hits = duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1],
                               viewer=elsewhere)
    assert hits == []


def test_the_search_is_two_queries_whatever_the_number_of_candidates(
        world, services, here, django_assert_max_num_queries):
    with at(MONDAY_10):
        for metres in range(0, 40, 2):
            report(services.leak, f"{LEAK} {metres}", point=north_of(here, metres))
        duplicates_find(service=services.leak, description=LEAK, lat=here[0], lon=here[1])
        with django_assert_max_num_queries(2):
            hits = duplicates_find(service=services.leak, description=LEAK, lat=here[0],
                                   lon=here[1], limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("Burst pipe on Vilakazi Street", "burst pipe vilakazi str", True),
    ("Amanzi ayaphuma epayipini", "amanzi ayaphuma epipini", True),
    ("Burst pipe on Vilakazi Street", "Streetlight out by the church", False),
])
def test_trigram_similarity_forgives_typos_but_not_another_problem(a, b, alike):
    score = similarity(trigrams(a), trigrams(b))
    assert (score > 0.5) is alike
    assert similarity(trigrams(a), trigrams(a)) == pytest.approx(1.0)
    assert similarity(trigrams(""), trigrams(a)) == 0.0
