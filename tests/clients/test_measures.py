"""Measures and their figures: tied to figures that exist, computed over the
group's own cases and responses, equal to an independent computation."""

import datetime
import statistics

import pytest
from django.core.exceptions import ValidationError

from imbizo.cases.models import ClientType
from imbizo.clients.errors import ClientError
from imbizo.clients.group_models import Better, Measure, MeasureSource, Rating
from imbizo.clients.group_services import measure_create
from imbizo.clients.measures import (
    Quarter,
    measure_figure,
    measure_figures_by_quarter,
    rate,
    satisfaction_by_service_group,
)
from imbizo.clients.services import case_client_set, response_client_set
from tests.clients.factories import at, case, group, response
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)
Q1 = (at(2026, 1, 1, 0), at(2026, 4, 1, 0))


# --- pure rules -----------------------------------------------------------------------------

def test_quarters_follow_the_calendar():
    assert Quarter.of(datetime.date(2026, 5, 17)) == Quarter(2026, 2)
    assert Quarter(2026, 1).previous == Quarter(2025, 4)
    assert Quarter(2026, 2).last(3) == [Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]
    since, until = Quarter(2026, 1).bounds("Africa/Johannesburg")
    assert since.isoformat() == "2026-01-01T00:00:00+02:00"
    assert until.date() == datetime.date(2026, 4, 1)


@pytest.mark.parametrize(("value", "better", "rating"), [
    (90, Better.HIGHER, Rating.MET), (75, Better.HIGHER, Rating.CLOSE),
    (60, Better.HIGHER, Rating.MISSED), (None, Better.HIGHER, Rating.NO_DATA),
    (20, Better.LOWER, Rating.MET), (23, Better.LOWER, Rating.CLOSE),
    (30, Better.LOWER, Rating.MISSED),
])
def test_a_value_is_rated_against_its_target(value, better, rating):
    target = 80 if better == Better.HIGHER else 21
    assert rate(value, target=target, better=better, tolerance=10) == rating


# --- figures that do not exist --------------------------------------------------------------

def test_a_survey_measure_with_an_unknown_instrument_is_refused_by_its_code(world, instruments):
    households = group("households")
    with pytest.raises(ClientError) as error:
        measure_create(group=households, name="Value", source=MeasureSource.SURVEY, target=4,
                       instrument_code="client-servise", question_code="value")
    assert "client-servise" in error.value.message and error.value.field == "instrument_code"


def test_a_survey_measure_with_an_unknown_question_is_refused_by_its_code(world, instruments):
    households = group("households")
    with pytest.raises(ClientError) as error:
        measure_create(group=households, name="Value", source=MeasureSource.SURVEY, target=4,
                       instrument_code="client-service", question_code="valeu")
    assert "valeu" in error.value.message and "client-service" in error.value.message


def test_a_text_question_has_no_mean(world, instruments):
    with pytest.raises(ClientError) as error:
        measure_create(group=group("households"), name="Start", source=MeasureSource.SURVEY,
                       target=4, instrument_code="after-contact", question_code="start")
    assert "start" in error.value.message


def test_a_compliance_measure_of_a_service_without_a_standard_is_refused(world):
    bare = ServiceFactory(code="no-standard", name="Grass cutting")
    with pytest.raises(ClientError) as error:
        measure_create(group=group("households"), name="On time", target=80,
                       source=MeasureSource.COMPLIANCE, service=bare)
    assert "Grass cutting" in error.value.message and error.value.field == "service"


def test_the_admin_form_check_names_the_unknown_figure(world, instruments):
    measure = Measure(group=group("households"), name="Value", source=MeasureSource.SURVEY,
                      target=4, instrument_code="client-service", question_code="nope")
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "nope" in str(error.value.message_dict["question_code"])


def test_a_known_survey_question_is_accepted(world, instruments):
    made = measure_create(group=group("households"), name="Value", target=4,
                          source=MeasureSource.SURVEY, instrument_code="client-service",
                          question_code="value")
    assert made.pk


# --- figures over the group's cases ---------------------------------------------------------

@pytest.fixture
def groups(world):
    return {"households": group("households", default=True), "schools": group("schools"),
            "departments": group("departments", client_type=ClientType.INTERNAL,
                                 default=True)}


@pytest.fixture
def cases(world, groups):
    """Q1 2026: households (unlinked, external) and schools (linked) cases, an
    internal case, and one case outside the quarter."""
    made = []
    spec = [  # opened day, hours to ack, hours to resolve, due after hours, breached, who
        (5, 2, 30, 40, False, "households"), (6, 5, 50, 40, False, "households"),
        (7, 1, 20, 40, False, "households"), (8, 30, 90, 40, True, "households"),
        (9, 3, 10, 40, False, "schools"), (10, 7, 60, 40, False, "schools"),
        (11, 4, 35, 40, False, "departments"),
    ]
    for day, ack, res, due, breached, who in spec:
        opened = at(2026, 2, day)
        made.append((case(world, opened_at=opened, acknowledged_at=opened + ack * H,
                          resolved_at=opened + res * H, resolve_due_at=opened + due * H,
                          breached_at=opened + due * H if breached else None,
                          client_type=ClientType.INTERNAL if who == "departments"
                          else ClientType.EXTERNAL), who))
    for made_case, who in made:
        if who == "schools":
            case_client_set(case=made_case, group=groups["schools"])
    outside = case(world, opened_at=at(2025, 12, 1), acknowledged_at=at(2025, 12, 1, 12),
                   resolved_at=at(2025, 12, 2), resolve_due_at=at(2025, 12, 5))
    return made, outside


def _independent(made, who, *, source):
    mine = [c for c, w in made if w == who]
    if source == MeasureSource.COMPLIANCE:
        on_time = [c.resolved_at <= c.resolve_due_at and c.resolve_breached_at is None
                   for c in mine]
        return round(100 * sum(on_time) / len(on_time), 1), len(on_time)
    end = "acknowledged_at" if source == MeasureSource.FIRST_RESPONSE else "resolved_at"
    hours = [(getattr(c, end) - c.opened_at).total_seconds() / 3600 for c in mine]
    return round(statistics.median(hours), 1), len(hours)


@pytest.mark.parametrize("source", [MeasureSource.COMPLIANCE, MeasureSource.FIRST_RESPONSE,
                                    MeasureSource.RESOLUTION])
@pytest.mark.parametrize("who", ["households", "schools", "departments"])
def test_case_figures_equal_an_independent_computation(groups, cases, source, who):
    made, _outside = cases
    measure = Measure.objects.create(group=groups[who], name="m", source=source, target=50)

    figure = measure_figure(measure, since=Q1[0], until=Q1[1])

    assert (figure.value, figure.count) == _independent(made, who, source=source)


def test_a_measure_of_one_service_counts_that_services_cases_only(world, groups, cases):
    other = ServiceFactory(code="pothole")
    made, _ = cases
    first = made[0][0]
    first.__class__.objects.filter(pk=first.pk).update(service=other)
    measure = Measure.objects.create(group=groups["households"], name="m", target=50,
                                     source=MeasureSource.COMPLIANCE, service=world.service)

    assert measure_figure(measure, since=Q1[0], until=Q1[1]).count == 3


def test_survey_means_count_linked_responses_and_responses_about_the_groups_cases(
        world, instruments, groups, cases):
    made, _ = cases
    school_case = next(c for c, w in made if w == "schools")
    household_case = next(c for c, w in made if w == "households")
    response(case=school_case, submitted_at=at(2026, 3, 1), answers={"overall": 2})
    linked = response(submitted_at=at(2026, 3, 2), answers={"overall": 5})
    response_client_set(response=linked, group=groups["schools"])
    # About a household's case but said to speak for a school: the link wins.
    relinked = response(case=household_case, submitted_at=at(2026, 3, 3), answers={"overall": 3})
    response_client_set(response=relinked, group=groups["schools"])
    response(case=household_case, submitted_at=at(2026, 3, 4), answers={"overall": 4})
    response(case=school_case, submitted_at=at(2026, 4, 5), answers={"overall": 1})  # Q2
    measure = Measure.objects.create(group=groups["schools"], name="m", target=4,
                                     source=MeasureSource.SURVEY,
                                     instrument_code="after-contact", question_code="overall")
    households = Measure.objects.create(group=groups["households"], name="m", target=4,
                                        source=MeasureSource.SURVEY,
                                        instrument_code="after-contact", question_code="overall")

    schools_figure = measure_figure(measure, since=Q1[0], until=Q1[1])
    households_figure = measure_figure(households, since=Q1[0], until=Q1[1])

    assert (schools_figure.value, schools_figure.count) == (round((2 + 5 + 3) / 3, 2), 3)
    assert (households_figure.value, households_figure.count) == (4.0, 1)


@pytest.mark.parametrize("source", [MeasureSource.COMPLIANCE, MeasureSource.FIRST_RESPONSE])
def test_figures_by_quarter_equal_the_figure_of_each_quarter(groups, cases, source):
    measure = Measure.objects.create(group=groups["households"], name="m", source=source,
                                     target=50)
    quarters = Quarter(2026, 1).last(3)

    by_quarter = measure_figures_by_quarter(measure, quarters, tz_name="Africa/Johannesburg")

    for quarter in quarters:
        since, until = quarter.bounds("Africa/Johannesburg")
        assert by_quarter[quarter] == measure_figure(measure, since=since, until=until)
    assert by_quarter[Quarter(2025, 4)].count == 1


def test_matrix_satisfaction_is_the_groups_mean_per_service(world, instruments, groups, cases):
    made, _ = cases
    school_case = next(c for c, w in made if w == "schools")
    response(case=school_case, submitted_at=at(2026, 3, 1),
             answers={"overall": 2, "concern": 4})
    response(case=school_case, submitted_at=at(2026, 3, 2), answers={"overall": 5})

    found = satisfaction_by_service_group(since=Q1[0], until=Q1[1])

    cell = found[(world.service.pk, groups["schools"].pk)]
    assert (cell.mean, cell.count) == (round((2 + 4 + 5) / 3, 2), 3)
    assert (world.service.pk, groups["households"].pk) not in found
