import re
from datetime import timedelta

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open, case_resolve
from imbizo.core import clock
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Answer, Invitation, LoopRule, Response
from imbizo.engagement.scores import LoopWatch, Rated, loop_fires, recommend_category
from imbizo.engagement.services import invitation_create
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside

ALL_GOOD = {"satisfaction": "5", "trust": "4", "effectiveness": "5", "ease": "4",
            "efficiency": "4", "fairness": "5", "helpfulness": "5"}


@pytest.fixture
def loop(world):
    follow_up = ServiceFactory(code="feedback-follow-up", department=world.office.department)
    ServiceStandardFactory(service=follow_up, resolve_amount=2)
    return LoopRule.objects.create(name="Low personal factor or detractor",
                                   drivers=["concern", "friendliness", "civility", "overall",
                                            "helpfulness"],
                                   max_score=2, detractor=True, follow_up_service=follow_up)


@pytest.fixture
def resolved_case(world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="hotline", citizen_email="sipho@example.org",
                                     contact_consent=True, **inside(world.ward)))
    case_resolve(case=case, actor=None, outcome="fixed", note="Pipe replaced")
    return case


def survey_link(case) -> str:
    message = OutboxMessage.objects.get(case=case, template="case_resolved", channel="email")
    _subject, body = message_text(message)
    return re.search(r"https?://[^/\s]+(/survey/[^/\s]+/)", body).group(1)


def test_the_resolution_message_carries_a_one_use_survey_link(resolved_case):
    link = survey_link(resolved_case)

    invitation = Invitation.objects.get(case=resolved_case)
    assert invitation.instrument.code == "post-transaction"
    assert link.split("/")[2] not in invitation.token_hash  # only the hash is stored


def test_a_citizen_rates_the_service_from_the_link(client, resolved_case):
    link = survey_link(resolved_case)
    assert client.get(link).status_code == 200

    response = client.post(link, ALL_GOOD)

    assert b"Thank you" in response.content
    stored = Response.objects.get()
    assert stored.case == resolved_case
    assert dict(stored.answers.values_list("driver", "number"))["satisfaction"] == 5
    assert stored.follow_up is None


def test_a_used_link_says_so_and_nothing_is_counted_twice(client, resolved_case):
    link = survey_link(resolved_case)
    client.post(link, ALL_GOOD)

    again = client.post(link, ALL_GOOD)

    assert again.status_code == 409
    assert b"already been answered" in again.content
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 7


def test_an_expired_link_says_so(client, resolved_case):
    link = survey_link(resolved_case)

    with time_machine.travel(clock.now() + timedelta(days=15)):
        response = client.get(link)

    assert response.status_code == 410
    assert b"expired" in response.content


def test_an_unknown_link_says_so(client, world):
    response = client.get("/survey/not-a-real-token/")

    assert response.status_code == 404
    assert b"not valid" in response.content


@pytest.mark.parametrize("value", ["0", "6", "five", "-1"])
def test_an_out_of_range_answer_is_refused_with_the_reason(client, resolved_case, value):
    link = survey_link(resolved_case)

    response = client.post(link, {**ALL_GOOD, "trust": value})

    assert response.status_code == 400
    assert "give a whole number from 1 to 5" in response.content.decode()
    assert Response.objects.count() == 0
    assert Invitation.objects.get().used_at is None  # the link still works


def test_a_missing_required_answer_is_named(client, resolved_case):
    link = survey_link(resolved_case)
    answers = dict(ALL_GOOD)
    del answers["fairness"]

    response = client.post(link, answers)

    assert "Please answer: I was treated fairly." in response.content.decode()


def test_a_low_rating_opens_exactly_one_follow_up_case_for_the_supervisor(
    client, world, loop, resolved_case
):
    supervisor = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    link = survey_link(resolved_case)

    client.post(link, {**ALL_GOOD, "helpfulness": "1", "fairness": "2"})
    client.post(link, {**ALL_GOOD, "helpfulness": "1"})  # a second try changes nothing

    follow_ups = Case.objects.filter(service__code="feedback-follow-up")
    assert follow_ups.count() == 1
    follow_up = follow_ups.get()
    assert follow_up.assignee == supervisor
    assert resolved_case.reference in follow_up.description
    assert Response.objects.get().follow_up == follow_up


def test_no_citizen_is_asked_twice_within_the_quiet_period(world, resolved_case):
    assert invitation_create(instrument_code="after-contact", source="email",
                             identifier="sipho@example.org") is None
    assert invitation_create(instrument_code="after-contact", source="email",
                             identifier="someone-else@example.org") is not None


def test_counter_surveys_take_one_answer_per_device_per_hour(client, world):
    token = invitation_create(instrument_code="after-contact", source="counter",
                              office=world.office)
    link = f"/survey/{token}/"
    client.get(link)  # sets the device cookie
    answers = {"concern": "4", "friendliness": "5", "civility": "5", "overall": "4"}

    first = client.post(link, answers)
    second = client.post(link, answers)

    assert b"Thank you" in first.content
    assert second.status_code == 409
    assert Response.objects.filter(office=world.office).count() == 1


def test_pseudonyms_are_stable_and_reveal_nothing():
    key = citizen_key(" Sipho@Example.org ")

    assert key == citizen_key("sipho@example.org")
    assert "sipho" not in key and len(key) == 64


@pytest.mark.parametrize(("score", "category"), [(0, "detractor"), (6, "detractor"),
                                                 (7, "passive"), (8, "passive"),
                                                 (9, "promoter"), (10, "promoter")])
def test_recommend_categories(score, category):
    assert recommend_category(score) == category


def _rated(driver: str, number: int | None, type: str = "scale5") -> Rated:
    return Rated(question=driver, type=type, driver=driver, number=number)


def test_loop_rules_fire_on_low_personal_factors_or_detractors():
    watch = LoopWatch(drivers=("concern", "civility"), max_score=2, detractor=True)

    def fires(*answers):
        return loop_fires(instrument="after-contact", answers=answers, watch=watch)

    assert fires(_rated("concern", 2))
    assert not fires(_rated("concern", 3), _rated("overall", 1))
    assert fires(_rated("recommend", 6, "scale11"))
    assert not fires(_rated("recommend", 7, "scale11"), _rated("start", None, "text"))


def test_the_survey_page_works_without_javascript(client, resolved_case):
    page = client.get(survey_link(resolved_case)).content.decode()

    assert "<script>" not in page
    assert 'type="radio"' in page and "<fieldset" in page and "<legend" in page


def test_instruments_are_seeded_with_their_drivers(db):
    from imbizo.engagement.models import Instrument

    codes = set(Instrument.objects.values_list("code", flat=True))
    assert {"after-contact", "client-service", "post-transaction", "recommend",
            "annual"} <= codes
    after = Instrument.objects.get(code="after-contact")
    assert {"concern", "friendliness", "civility", "overall", "start", "stop", "keep",
            "other"} == set(after.questions.values_list("driver", flat=True))
    assert Instrument.objects.get(code="client-service", version=1).questions.filter(
        type="scale5").count() == 7


def test_every_survey_ends_with_an_optional_anything_else_box(db):
    from imbizo.engagement.models import Instrument

    for instrument in Instrument.objects.all():
        last = instrument.questions.order_by("order").last()
        assert (last.code, last.type, last.required) == ("anything_else", "text", False), \
            instrument.code


def test_the_citizen_is_told_what_changed_when_the_follow_up_is_resolved(
    client, world, loop, resolved_case
):
    link = survey_link(resolved_case)
    client.post(link, {**ALL_GOOD, "helpfulness": "1"})
    follow_up = Case.objects.get(service__code="feedback-follow-up")

    case_resolve(case=follow_up, actor=None, outcome="fixed",
                 note="We retrained the depot team on how to speak with residents.")

    message = OutboxMessage.objects.get(case=follow_up, template="case_resolved",
                                        channel="email")
    assert message.recipient == "sipho@example.org"
    assert "We retrained the depot team" in message_text(message)[1]
