import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F

from imbizo.cases.models import Case, CaseEvent, EventKind
from imbizo.cases.reference import reference_parse
from imbizo.cases.sweep import clocks_sweep
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build

pytestmark = pytest.mark.django_db
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


@pytest.fixture
def history():
    demo_build(seed=3)
    return history_build(seed=3, cases=3000, until=UNTIL)


def test_the_history_has_the_asked_number_of_cases_over_eighteen_months(history):
    assert history == Case.objects.count() == 3000
    first = Case.objects.order_by("opened_at").first().opened_at
    assert UNTIL - first > datetime.timedelta(days=450)
    assert Case.objects.filter(opened_at__gt=UNTIL).count() == 0


def test_references_are_valid_and_unique(history):
    references = list(Case.objects.values_list("reference", flat=True))

    assert len(set(references)) == len(references)
    assert all(reference_parse(r) == r for r in references[:200])


def test_most_history_is_done_and_some_is_open(history):
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("id")))

    assert statuses["closed"] > 2500
    assert 0 < statuses.get("assigned", 0) + statuses.get("received", 0) < 300


def test_breaches_follow_the_clock(history):
    late = Case.objects.filter(resolved_at__gt=F("resolve_due_at"), reopen_count=0)
    on_time = Case.objects.filter(resolved_at__lte=F("resolve_due_at"), reopen_count=0)

    assert late.exists() and on_time.exists()
    assert not late.filter(resolve_breached_at__isnull=True).exists()
    assert not on_time.filter(resolve_breached_at__isnull=False).exists()
    assert late.filter(escalation_level__gte=1).count() == late.count()


def test_every_case_has_its_opening_event_and_breaches_have_theirs(history):
    assert CaseEvent.objects.filter(kind=EventKind.OPENED).count() == 3000
    assert (CaseEvent.objects.filter(kind=EventKind.BREACHED).count()
            == Case.objects.filter(resolve_breached_at__isnull=False).count())


def test_the_clocks_are_consistent_so_the_first_sweep_has_nothing_to_catch_up(history):
    assert clocks_sweep(now=UNTIL).cases == 0


def test_the_same_seed_gives_the_same_history():
    demo_build(seed=3)
    history_build(seed=3, cases=200, until=UNTIL)
    first = list(Case.objects.order_by("pk").values_list("reference", "service__code",
                                                         "ward__code", "opened_at", "status"))
    Case.objects.all().delete()

    history_build(seed=3, cases=200, until=UNTIL)

    assert list(Case.objects.order_by("pk").values_list(
        "reference", "service__code", "ward__code", "opened_at", "status")) == first


def test_demo_ratings_exist_and_the_slow_office_dips_in_its_bad_months(history):
    from django.db.models import Avg

    from imbizo.demo.feedback import feedback_build
    from imbizo.engagement.models import Answer
    from imbizo.org.models import Office

    rated = feedback_build(seed=3, share=1.0)

    assert rated > 300
    slow = Office.objects.order_by("pk").first()
    answers = Answer.objects.filter(response__office=slow, number__isnull=False)
    bad = answers.filter(response__case__resolved_at__month__in=(5, 6, 7)).aggregate(
        a=Avg("number"))["a"]
    rest = answers.exclude(response__case__resolved_at__month__in=(5, 6, 7)).aggregate(
        a=Avg("number"))["a"]
    assert bad is not None and rest is not None
    assert bad < rest - 0.5


def test_resolutions_are_recorded_from_the_status_the_case_was_in(history):
    from imbizo.cases.models import CaseEvent

    sources = set(CaseEvent.objects.filter(to_status="resolved").values_list("from_status",
                                                                             flat=True))

    assert sources and "resolved" not in sources
