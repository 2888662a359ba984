import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.core.errors import DomainError
from imbizo.people.feedback import (
    client_ratings,
    feedback_answer,
    feedback_ask,
    feedback_patterns,
    feedback_waiting_for,
    themes_of,
)
from imbizo.people.feedback_models import FeedbackRequest
from tests.factories import StaffFactory

from .factories import rated_contact

pytestmark = pytest.mark.django_db
SAST = ZoneInfo("Africa/Johannesburg")
NOW = datetime.datetime(2026, 12, 4, 15, 0, tzinfo=SAST)
SINCE = NOW - datetime.timedelta(days=180)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(world):
    manager = StaffFactory(office=world.office, role="supervisor")
    officer = StaffFactory(office=world.office, manager=manager)
    colleague = StaffFactory(office=world.office, manager=manager)
    return manager, officer, colleague


def test_a_colleague_is_asked_and_answers(team):
    _manager, officer, colleague = team
    request = feedback_ask(asker=officer, giver=colleague, relation="colleague",
                           question="How I explain delays")

    assert feedback_waiting_for(giver=colleague) == [request]
    feedback_answer(request_id=request.pk, giver=colleague, start="Phone back the same day",
                    keep="Your calm tone")

    request.refresh_from_db()
    assert request.answered_at == NOW and request.keep == "Your calm tone"
    assert feedback_waiting_for(giver=colleague) == []


def test_asking_oneself_is_refused(team):
    _manager, officer, _colleague = team
    with pytest.raises(DomainError) as refused:
        feedback_ask(asker=officer, giver=officer, relation="colleague")
    assert refused.value.code == "oneself"
    assert not FeedbackRequest.objects.exists()


@pytest.mark.parametrize("how", ["left_at", "inactive"])
def test_asking_someone_who_has_left_is_refused(team, how):
    _manager, officer, colleague = team
    if how == "left_at":
        colleague.left_at = NOW - datetime.timedelta(days=3)
    else:
        colleague.active = False
    colleague.save()

    with pytest.raises(DomainError) as refused:
        feedback_ask(asker=officer, giver=colleague, relation="colleague")

    assert refused.value.code == "left" and str(colleague) in refused.value.message
    assert not FeedbackRequest.objects.exists()


def test_only_ones_own_manager_is_asked_as_the_manager(team):
    _manager, officer, colleague = team
    with pytest.raises(DomainError) as refused:
        feedback_ask(asker=officer, giver=colleague, relation="manager")
    assert refused.value.code == "not_your_manager"


def test_a_second_open_request_to_the_same_person_is_refused(team):
    manager, officer, _colleague = team
    feedback_ask(asker=officer, giver=manager, relation="manager")
    with pytest.raises(DomainError) as refused:
        feedback_ask(asker=officer, giver=manager, relation="manager")
    assert refused.value.code == "already_asked"
    assert FeedbackRequest.objects.count() == 1


def test_only_the_person_asked_may_answer_and_only_once(team):
    manager, officer, colleague = team
    request = feedback_ask(asker=officer, giver=colleague, relation="colleague")
    with pytest.raises(DomainError) as refused:
        feedback_answer(request_id=request.pk, giver=manager, keep="x")
    assert refused.value.code == "not_yours"
    with pytest.raises(DomainError) as empty:
        feedback_answer(request_id=request.pk, giver=colleague, start="  ")
    assert empty.value.code == "empty"
    feedback_answer(request_id=request.pk, giver=colleague, keep="x")
    with pytest.raises(DomainError) as again:
        feedback_answer(request_id=request.pk, giver=colleague, keep="y")
    assert again.value.code == "already_answered"


def test_client_ratings_come_from_the_persons_own_contacts_only(team, instruments):
    _manager, officer, colleague = team
    for overall in (5, 4, 4, 3, 4):
        rated_contact(officer, NOW - datetime.timedelta(days=10), overall=overall)
    rated_contact(colleague, NOW - datetime.timedelta(days=10), overall=1)

    ratings = client_ratings(staff=officer, since=SINCE)

    assert ratings.rated_contacts == 5 and ratings.shown
    overall = next(f for f in ratings.figures if f.driver == "overall")
    assert (overall.average, overall.answers, overall.shown) == (4.0, 5, True)


def test_four_rated_contacts_are_too_few_to_show(team, instruments):
    _manager, officer, _colleague = team
    for _ in range(4):
        rated_contact(officer, NOW - datetime.timedelta(days=10))

    ratings = client_ratings(staff=officer, since=SINCE)

    assert ratings.rated_contacts == 4 and not ratings.shown
    assert not any(f.shown for f in ratings.figures)


def test_the_threshold_is_the_one_setting(team, instruments, settings):
    settings.MIN_ANSWERS_SHOWN = 3
    _manager, officer, _colleague = team
    for _ in range(3):
        rated_contact(officer, NOW - datetime.timedelta(days=10))
    assert client_ratings(staff=officer, since=SINCE).shown


@pytest.mark.parametrize(("text", "themes"), [
    ("Phone back when you say you will", ["touch"]),
    ("You explain the procedure clearly and patiently", ["explain", "manner"]),
    ("Stop sending me from one window to another", ["ownership"]),
    ("Nice hat", ["other"]),
])
def test_comments_are_grouped_by_keyword_themes(text, themes):
    assert themes_of(text) == themes


def test_patterns_count_themes_per_month_and_quote_colleagues_only(team, instruments):
    manager, officer, colleague = team
    with time_machine.travel(NOW - datetime.timedelta(days=40), tick=False):
        request = feedback_ask(asker=officer, giver=manager, relation="manager")
        feedback_answer(request_id=request.pk, giver=manager, start="Tell people when you will call back")
    request = feedback_ask(asker=officer, giver=colleague, relation="colleague")
    feedback_answer(request_id=request.pk, giver=colleague, keep="Your friendly manner")
    rated_contact(officer, NOW - datetime.timedelta(days=5),
                  comment={"start": "Send an SMS update", "keep": "Friendly staff"})

    patterns = feedback_patterns(staff=officer, since=NOW - datetime.timedelta(days=60))

    by_key = {t.key: t for t in patterns.themes}
    assert by_key["touch"].total == 2 and by_key["touch"].slots["start"] == 2
    assert by_key["touch"].per_month == [1, 1, 0]  # October (manager), November (client)
    assert by_key["manner"].total == 2 and by_key["manner"].slots["keep"] == 2
    quoted = [text for theme in patterns.themes for _at, _who, text in theme.quotes]
    assert "Send an SMS update" not in quoted and "Your friendly manner" in quoted
    assert (patterns.colleague_answers, patterns.client_comments) == (2, 2)
