"""Learning from real cases: anonymised stories, answers scored against the key."""

import datetime

import pytest

from imbizo.cases.models import Principle
from imbizo.core.errors import DomainError
from imbizo.quality import selectors
from imbizo.quality.errors import QualityError
from imbizo.quality.models import Strategy
from imbizo.quality.services import story_answer, story_create
from tests.quality.factories import finished_case
from tests.support import sast

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_case(world, staff):
    case = finished_case(
        world, opened_at=sast(2026, 2, 2, 9), took=datetime.timedelta(days=12), close=True,
        kind="complaint", root_cause="Nobody phoned Mr Dube back; call 082 555 0000",
        description="Mr Sipho Dube of 7 Protea Road waited two weeks; mail sipho@example.org",
        citizen_name="Sipho Dube", citizen_phone="0825550000", citizen_email="sipho@example.org",
        address="7 Protea Road", contact_consent=True)
    return case


def test_a_closed_case_is_drafted_as_a_story_without_the_people_in_it(closed_case):
    title, text = selectors.story_draft(case=closed_case)

    assert title.startswith("Complaint about")
    assert "resolved after the promised date" in text
    for private in ("Sipho", "Dube", "Protea", "082 555 0000", "sipho@example.org"):
        assert private not in text
    assert "[name]" in text and "[address]" in text and "[number]" in text


def test_the_story_text_is_anonymised_again_on_saving(closed_case, staff):
    story = story_create(actor=staff.supervisor, case=closed_case, title="A long wait",
                         text="Sipho Dube (0825550000) was never called back.",
                         key_outcome="failure", key_principle=Principle.INFORMATION,
                         key_strategy=Strategy.objects.get(code="keep-informed"))

    assert story.text == "[name] [name] ([number]) was never called back."


def test_an_open_case_is_not_a_story(world, staff):
    resolved = finished_case(world, opened_at=sast(2026, 2, 2, 9), took=datetime.timedelta(days=1))

    with pytest.raises(DomainError) as error:
        story_create(actor=staff.supervisor, case=resolved, title="t", text="x",
                     key_outcome="success", key_principle=Principle.COURTESY)

    assert error.value.code == QualityError.CASE_NOT_CLOSED


def test_officers_do_not_write_stories(closed_case, staff):
    with pytest.raises(DomainError) as error:
        story_create(actor=staff.officer, case=closed_case, title="t", text="x",
                     key_outcome="success", key_principle=Principle.COURTESY)

    assert error.value.code == QualityError.FORBIDDEN


def test_a_failure_needs_the_strategy_that_would_fix_it(closed_case, staff):
    with pytest.raises(DomainError) as error:
        story_create(actor=staff.supervisor, case=closed_case, title="t", text="x",
                     key_outcome="failure", key_principle=Principle.INFORMATION)

    assert error.value.field == "key_strategy"


@pytest.fixture
def story(closed_case, staff):
    return story_create(actor=staff.supervisor, case=closed_case, title="A long wait",
                        text="The citizen waited two weeks for a call back.",
                        key_outcome="failure", key_principle=Principle.INFORMATION,
                        key_strategy=Strategy.objects.get(code="keep-informed"))


def test_an_answer_is_scored_against_the_supervisors_classification_and_kept(story, staff,
                                                                            django_assert_max_num_queries):
    story_answer(story=story, actor=staff.officer, outcome="failure",
                 principle=Principle.COURTESY, strategy=Strategy.objects.get(code="keep-informed"))

    with django_assert_max_num_queries(2):
        record = selectors.my_learning(staff=staff.officer)
        shown = [(a.story.title, a.points, a.out_of, a.strategy.name) for a in record.answers]

    assert [(t, p, o) for t, p, o, _s in shown] == [("A long wait", 2, 3)]
    assert record.percent == 67 and record.to_answer == []


def test_a_story_is_answered_once(story, staff):
    story_answer(story=story, actor=staff.officer, outcome="success",
                 principle=Principle.COURTESY)

    with pytest.raises(DomainError) as error:
        story_answer(story=story, actor=staff.officer, outcome="failure",
                     principle=Principle.INFORMATION,
                     strategy=Strategy.objects.get(code="keep-informed"))

    assert error.value.code == QualityError.ALREADY_ANSWERED


def test_the_author_does_not_answer_their_own_story(story, staff):
    with pytest.raises(DomainError) as error:
        story_answer(story=story, actor=staff.supervisor, outcome="failure",
                     principle=Principle.INFORMATION,
                     strategy=Strategy.objects.get(code="keep-informed"))

    assert error.value.code == QualityError.INVALID_ANSWER


def test_unanswered_stories_wait_in_the_learning_record(story, staff):
    assert [s.pk for s in selectors.my_learning(staff=staff.officer).to_answer] == [story.pk]
