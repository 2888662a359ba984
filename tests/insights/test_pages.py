"""The pages' figures equal independent computations over the raw rows, and
each page answers in a fixed number of queries."""

import csv
import datetime
import io
import statistics
from collections import Counter, defaultdict

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imbizo.cases.models import Case, CaseEvent
from imbizo.engagement.models import Answer
from imbizo.insights.models import RESOLVE_HOURS_EDGES
from imbizo.insights.rollups import rollups_fold
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.insights.conftest import END, at
from tests.support import SAST

pytestmark = pytest.mark.django_db
OPEN = {"received", "acknowledged", "assigned", "in_progress", "waiting_citizen",
        "waiting_third_party", "reopened"}
SINCE = datetime.date(2025, 4, 1)  # the last 12 months up to END's day (12m period)


@pytest.fixture
def folded(story):
    with at(END):
        rollups_fold()
    return story


@pytest.fixture
def analyst(client):
    staff = StaffFactory(role=Role.ANALYST, office=None)
    client.force_login(staff.user)
    return staff


def local_day(moment) -> datetime.date:
    return moment.astimezone(SAST).date()


def in_period(moment, since=SINCE, until=datetime.date(2026, 3, 24)) -> bool:
    return since <= local_day(moment) < until


def resolutions():
    """Resolution events, straight from the case history."""
    return [e for e in CaseEvent.objects.select_related("case").order_by("at", "id")
            if e.from_status in OPEN and e.to_status in ("resolved", "closed")]


def get(client, url, **params):
    with at(END):
        return client.get(url, params)


# --- scorecard ---------------------------------------------------------------------------


def test_the_scorecard_shows_the_share_resolved_and_acknowledged_in_time(client, folded):
    events = [e for e in resolutions() if in_period(e.at)]
    on_time = sum(e.details["on_time"] for e in events)
    cases = list(Case.objects.all())
    acked_in_time = sum(1 for c in cases if c.ack_breached_at is None and c.acknowledged_at
                        and c.acknowledged_at <= c.ack_due_at)
    ack_missed = sum(1 for c in cases if c.ack_breached_at is not None or (
        c.acknowledged_at and c.acknowledged_at > c.ack_due_at))

    response = get(client, reverse("insights:scorecard"), period="12m")

    row = response.context["card"].services[0]
    assert row.score.resolve_share == on_time / len(events)
    assert row.score.ack_share == acked_in_time / (acked_in_time + ack_missed)
    assert row.score.resolved == len(events)
    assert row.score.meets is None  # fewer than 20 cases: shown, not judged


def test_the_scorecards_show_automatic_receipts_apart_from_people(client, folded, analyst):
    from imbizo.cases.services import case_acknowledge
    from tests.insights.conftest import _open

    world = folded.world
    world.office.auto_acknowledge = True
    world.office.save()
    before = get(client, reverse("insights:scorecard"), period="12m")
    with at(END):
        receipts = [_open(world, world.ward), _open(world, world.ward)]
        case_acknowledge(case=receipts[0], actor=folded.supervisor)
        rollups_fold()

    public = get(client, reverse("insights:scorecard"), period="12m")
    offices = get(client, reverse("insights:scorecard_offices"), period="12m")

    row = public.context["card"].services[0]
    assert row.score.ack_auto == 2
    # One of the two was acknowledged by a person too: only that one counts as such.
    assert row.score.ack_cases == before.context["card"].services[0].score.ack_cases + 1
    assert "2 automatic receipts" in public.content.decode()
    depot = next(o for o in offices.context["offices"] if o.code == world.office.code)
    assert depot.score.ack_auto == 2


def test_a_service_below_its_target_is_shown_as_missed(client, folded, monkeypatch):
    monkeypatch.setattr("imbizo.insights.reports.MIN_CASES_TO_JUDGE", 1)

    body = get(client, reverse("insights:scorecard"), period="12m").content.decode()

    assert "Pledge missed" in body and "1 service missed its pledge" in body


def test_the_office_drill_down_counts_only_that_office(client, folded, analyst):
    other = folded.offices[1]
    moved = [e for e in resolutions() if e.case.office_id == other.pk]

    response = get(client, reverse("insights:scorecard_office", args=[other.code]))

    (row,) = response.context["card"].services
    assert row.score.resolved == len(moved)


# --- needs map ---------------------------------------------------------------------------


def test_the_needs_map_gives_cases_per_1000_residents_by_ward(client, folded):
    opened = Counter(c.ward.code for c in Case.objects.select_related("ward")
                     if c.ward and in_period(c.opened_at, datetime.date(2026, 1, 1)))

    response = get(client, reverse("insights:needs"), period="3m", group="Water")

    rates = {w.ward.code: w.per_1000 for w in response.context["report"].wards}
    for ward in folded.wards:
        assert rates[ward.code] == round(opened[ward.code] * 1000 / ward.population, 2)


def test_each_region_names_its_greatest_need(client, folded):
    response = get(client, reverse("insights:needs"), period="3m")

    needs = {r.region: (r.group, r.cases) for r in response.context["report"].regions}
    east = sum(1 for c in Case.objects.filter(ward__region__code="east"))
    assert needs["East"] == ("Water", east)
    assert "East: Water" in response.content.decode()


def test_a_group_with_no_cases_shows_zero_everywhere(client, folded):
    from tests.factories import ServiceFactory

    ServiceFactory(group="Licensing")

    response = get(client, reverse("insights:needs"), group="Licensing")

    assert {w.cases for w in response.context["report"].wards} == {0}


# --- ward page ---------------------------------------------------------------------------


def test_the_ward_page_matches_the_raw_rows(client, folded):
    ward = folded.wards[0]
    cases = list(Case.objects.filter(ward=ward))
    events = [e for e in resolutions() if e.case.ward_id == ward.pk]
    overall = [a.number for a in Answer.objects.filter(
        response__case__ward=ward, driver="overall", number__isnull=False)]

    report = get(client, reverse("insights:ward", args=[ward.code])).context["report"]

    assert report.opened == len(cases)
    assert report.resolved == len(events)
    assert report.resolve_share == sum(e.details["on_time"] for e in events) / len(events)
    assert report.open_now == sum(1 for c in cases if c.status in OPEN)
    assert report.overdue_now == sum(1 for c in cases if c.status in OPEN
                                     and c.resolve_breached_at)
    assert report.satisfaction == statistics.mean(overall)


def test_the_typical_time_to_resolve_falls_in_the_band_of_the_median_case(client, folded):
    ward = folded.wards[0]
    firsts = {}
    for e in resolutions():
        if e.case.ward_id == ward.pk:
            firsts.setdefault(e.case_id, (e.at - e.case.opened_at).total_seconds() / 86400)
    median_hours = statistics.median_low(firsts.values()) * 24
    edges = [0, *RESOLVE_HOURS_EDGES, float("inf")]
    low, high = next((a, b) for a, b in zip(edges, edges[1:], strict=False)
                     if a <= median_hours < b)

    report = get(client, reverse("insights:ward", args=[ward.code])).context["report"]

    assert low <= report.median_days * 24 <= high


def test_ward_open_data_downloads_carry_the_figures(client, folded):
    ward = folded.wards[0]
    url = reverse("insights:ward", args=[ward.code])

    data = get(client, url, format="json").json()
    months = get(client, url, export="months", format="csv").content.decode().splitlines()

    assert data["summary"]["reported"] == Case.objects.filter(ward=ward).count()
    assert months[0] == "Month,Reported,Resolved" and months[1].startswith("2026-03,")


def test_the_ward_index_links_every_ward_to_its_page_for_the_period(client, folded):
    body = get(client, reverse("insights:ward_index"), period="3m").content.decode()

    for ward in folded.wards:
        assert f'<a href="{reverse("insights:ward", args=[ward.code])}?period=3m">{ward.code}</a>' \
            in body


def test_an_unknown_ward_is_not_found(client, folded):
    assert get(client, reverse("insights:ward", args=["NOPE"])).status_code == 404


# --- war room ----------------------------------------------------------------------------


def test_the_war_room_counts_open_overdue_and_the_last_24_hours(client, folded, analyst):
    cases = list(Case.objects.all())
    since = END - datetime.timedelta(hours=24)
    last_day = Counter(e.kind for e in CaseEvent.objects.filter(at__gte=since))
    resolved = sum(1 for e in resolutions() if e.at >= since)

    room = get(client, reverse("insights:warroom")).context["room"]

    assert room.open == sum(1 for c in cases if c.status in OPEN)
    assert room.overdue == sum(1 for c in cases if c.status in OPEN and c.resolve_breached_at)
    assert room.last_24h["opened"] == last_day["opened"]
    assert room.last_24h["resolved"] == resolved
    assert [c.reference for c in room.oldest_overdue] == [
        c.reference for c in sorted(cases, key=lambda c: (c.resolve_due_at, c.pk))
        if c.status in OPEN and c.resolve_breached_at]


def test_the_war_room_gives_each_ward_its_open_load_and_last_24_hours(client, folded, analyst):
    since = END - datetime.timedelta(hours=24)
    cases = list(Case.objects.all())
    opened = Counter(e.case.ward_id for e in CaseEvent.objects.select_related("case").filter(
        at__gte=since, kind="opened"))

    room = get(client, reverse("insights:warroom")).context["room"]

    loads = {w.ward.id: w for w in room.wards}
    assert len(loads) == 3 and any(w.opened_24h for w in room.wards)
    assert {pk: w.open for pk, w in loads.items() if w.open} == dict(Counter(
        c.ward_id for c in cases if c.status in OPEN and c.ward_id))
    assert {pk: w.opened_24h for pk, w in loads.items() if w.opened_24h} == {
        pk: n for pk, n in opened.items() if pk}


def test_the_ward_pages_take_as_many_queries_for_many_wards_as_for_few(
        client, folded, analyst):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import WardFactory

    def queries(name):
        get(client, reverse(name))  # warm the per-process catalogue snapshot
        with CaptureQueriesContext(connection) as captured:
            assert get(client, reverse(name)).status_code == 200
        return len(captured)

    pages = ("insights:warroom", "insights:needs", "insights:ward_index")
    few = {name: queries(name) for name in pages}
    for n in range(40):
        WardFactory(code=f"MANY{n:02d}")
    many = {name: queries(name) for name in pages}

    assert many == few


def test_the_war_room_refresh_returns_only_the_live_part(client, folded, analyst):
    with at(END):
        response = client.get(reverse("insights:warroom"), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert 'id="warroom-live"' in body and "<html" not in body
    assert 'hx-trigger="every 30s"' in body


def test_the_war_room_names_a_ward_whose_week_stands_far_above_its_baseline(client, world,
                                                                         analyst):
    from imbizo.cases.intake import CaseDraft
    from imbizo.cases.services import case_open
    from tests.support import inside, sast

    for day in range(1, 29, 7):  # one case a week for four weeks: the baseline
        with at(sast(2026, 2, day, 10, 0)):
            case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                      channel="web", **inside(world.ward)))
    for hour in range(12):  # then twelve in one week
        with at(sast(2026, 3, 3, 8 + hour % 8, hour)):
            case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                      channel="web", **inside(world.ward)))
    with at(sast(2026, 3, 5, 12, 0)):
        rollups_fold()
        room = client.get(reverse("insights:warroom")).context["room"]

    (spot,) = room.hotspots
    assert spot.ward.code == world.ward.code and spot.verdict.recent == 12


def test_staff_pages_are_for_analysts_managers_supervisors_and_administrators(client, world):
    officer = StaffFactory(role=Role.OFFICER)
    urls = [reverse("insights:warroom"), reverse("insights:drivers"),
            reverse("insights:scorecard_offices")]

    anonymous = [client.get(url).status_code for url in urls]
    client.force_login(officer.user)
    as_officer = [client.get(url).status_code for url in urls]

    assert anonymous == [302] * 3 and as_officer == [403] * 3


# --- satisfaction drivers ------------------------------------------------------------------


def test_driver_importance_is_the_correlation_with_overall_satisfaction(client, world,
                                                                        analyst):
    from tests.insights.conftest import _open, _rate

    for n in range(32):
        with at(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SAST) + datetime.timedelta(hours=n)):
            case = _open(world, world.ward)
            civility, concern = 1 + n % 5, 1 + (n * 7) % 5
            overall = max(1, min(5, civility + (n % 3) - 1))
            _rate(case, {"concern": str(concern), "friendliness": "4",
                         "civility": str(civility), "overall": str(overall)}, f"p{n}@example.org")
    with at(END):
        rollups_fold()
    pairs = defaultdict(list)
    for answer in Answer.objects.select_related("response"):
        pairs[answer.response_id].append((answer.driver, answer.number))
    xs, ys = [], []
    for answers in pairs.values():
        d = dict(answers)
        xs.append(d["civility"])
        ys.append(d["overall"])

    report = get(client, reverse("insights:drivers")).context["report"]

    scores = {d.driver: d for d in report.scores}
    assert scores["civility"].importance == pytest.approx(statistics.correlation(xs, ys))
    assert scores["civility"].mean == pytest.approx(statistics.mean(xs))
    assert scores["friendliness"].importance is None  # no variation: no correlation
    assert report.scores[0].driver == "civility"


# --- exports and query counts ----------------------------------------------------------------


def test_every_table_exports_as_csv_and_excel(client, folded, analyst):
    pages = {reverse("insights:warroom"): ("wards", "hotspots", "overdue"),
             reverse("insights:needs"): ("wards", "regions"),
             reverse("insights:scorecard"): ("services", "offices"),
             reverse("insights:ward", args=["W001"]): ("groups", "months"),
             reverse("insights:ward_index"): ("wards",),
             reverse("insights:drivers"): ("drivers", "offices")}
    for url, names in pages.items():
        for name in names:
            text = get(client, url, export=name, format="csv").content.decode()
            lines = list(csv.reader(io.StringIO(text)))
            book = load_workbook(io.BytesIO(get(client, url, export=name, format="xlsx").content))
            sheet = book.active
            assert [c.value for c in sheet[1]] == lines[0], (url, name)
            assert sheet.max_row == len(lines) > 0, (url, name)


# The needs page, the ward page and the war room each add up to three queries
# for the door-to-door household layer (imbizo.field.selectors.needs_figures).
# The war room adds one for interruptions in progress and three for promises
# (due soon, longest late, counts); the ward page one for its interruptions,
# one for its hours without a service, two for its meetings and promises, and
# two for the alert sign-up form's ward and service lists. None grows with rows.
@pytest.mark.parametrize(("name", "args", "staff", "most"), [
    ("insights:warroom", [], True, 16), ("insights:needs", [], False, 9),
    ("insights:scorecard", [], False, 9), ("insights:scorecard_offices", [], True, 8),
    ("insights:ward", ["W001"], False, 15), ("insights:ward_index", [], False, 6),
    ("insights:drivers", [], True, 12),
])
def test_each_page_takes_a_fixed_number_of_queries(client, folded, django_assert_max_num_queries,
                                                    name, args, staff, most):
    if staff:
        client.force_login(StaffFactory(role=Role.MANAGER).user)
    get(client, reverse(name, args=args))  # warm the per-process catalogue snapshot

    with django_assert_max_num_queries(most):
        response = get(client, reverse(name, args=args))

    assert response.status_code == 200
