"""The closed loop from every survey: rules that watch any question of any
instrument, exactly one follow-up per response, the thank-you page saying what
the rule that fired promises, and the follow-up case showing the rating."""

import re

import pytest
from django.core.exceptions import ValidationError

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open, case_resolve
from imbizo.engagement.models import Invitation, LoopRule, Response
from imbizo.engagement.scores import LoopWatch, Rated, loop_fires
from imbizo.engagement.services import (
    invitation_create,
    invitation_get,
    loop_close,
    response_submit,
)
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.factories import OfficeFactory, ServiceFactory, ServiceStandardFactory, StaffFactory
from tests.support import inside

pytestmark = pytest.mark.django_db

POST_TRANSACTION = ("satisfaction", "trust", "effectiveness", "ease", "efficiency", "fairness",
                    "helpfulness")
ALL_ONES = dict.fromkeys(POST_TRANSACTION, "1")
ALL_FIVES = dict.fromkeys(POST_TRANSACTION, "5")
PROMISE = "The office supervisor will call you within 2 working days."
PLEDGE = "When you rate us poorly, a supervisor contacts you within 2 working days."


@pytest.fixture
def follow_up_service(world):
    service = ServiceFactory(code="feedback-follow-up", name="Follow-up on a poor rating",
                             department=world.office.department)
    ServiceStandardFactory(service=service, resolve_amount=2, pledge=PLEDGE)
    return service


@pytest.fixture
def post_transaction_rule(follow_up_service):
    return LoopRule.objects.create(name="Any answer of 1 or 2 after a transaction",
                                   instrument_code="post-transaction", max_score=2,
                                   follow_up_service=follow_up_service, promise=PROMISE)


@pytest.fixture
def supervisor(world):
    return StaffFactory(office=world.office, role=Role.SUPERVISOR)


@pytest.fixture
def resolved_case(world):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="web", citizen_email="thandi@example.org",
                                     contact_consent=True, **inside(world.ward)))
    case_resolve(case=case, actor=None, outcome="fixed", note="Pipe replaced")
    return case


def survey_link(case) -> str:
    message = OutboxMessage.objects.get(case=case, template="case_resolved", channel="email")
    return re.search(r"https?://[^/\s]+(/survey/[^/\s]+/)", message_text(message)[1]).group(1)


def follow_ups():
    return Case.objects.filter(service__code="feedback-follow-up")


# --- the rule, pure ---------------------------------------------------------------------


def _rated(question, number, type="scale5", driver=None):
    return Rated(question=question, type=type, driver=driver or question, number=number)


def test_a_survey_rule_watches_every_one_to_five_question_of_its_survey_only():
    watch = LoopWatch(instrument="post-transaction", max_score=2)

    assert loop_fires(instrument="post-transaction", answers=[_rated("fairness", 2)], watch=watch)
    assert not loop_fires(instrument="post-transaction", answers=[_rated("fairness", 3)],
                          watch=watch)
    assert not loop_fires(instrument="after-contact", answers=[_rated("overall", 1)],
                          watch=watch)
    # Free text and 0-10 answers are not on the rule's 1-to-5 scale.
    assert not loop_fires(instrument="post-transaction",
                          answers=[_rated("why", None, "text"), _rated("nps", 1, "scale11")],
                          watch=watch)


def test_a_rule_naming_questions_watches_only_those():
    watch = LoopWatch(instrument="client-service", questions=("integrity",), max_score=2)

    assert loop_fires(instrument="client-service", answers=[_rated("integrity", 1)], watch=watch)
    assert not loop_fires(instrument="client-service", answers=[_rated("value", 1)], watch=watch)


def test_a_rule_must_watch_something_its_survey_asks(follow_up_service):
    with pytest.raises(ValidationError):
        LoopRule(name="nothing", max_score=2, follow_up_service=follow_up_service).full_clean()
    with pytest.raises(ValidationError, match="asks no question"):
        LoopRule(name="typo", instrument_code="post-transaction", questions=["satisfation"],
                 max_score=2, follow_up_service=follow_up_service).full_clean()
    LoopRule(name="ok", instrument_code="post-transaction", questions=["satisfaction"],
             max_score=2, follow_up_service=follow_up_service).full_clean()


# --- the service ------------------------------------------------------------------------


def test_one_out_of_five_on_everything_opens_exactly_one_follow_up_for_the_supervisor(
        post_transaction_rule, supervisor, resolved_case, follow_up_service):
    # A second rule that also fires must not open a second case.
    LoopRule.objects.create(name="Low helpfulness", drivers=["helpfulness"], max_score=2,
                            follow_up_service=follow_up_service, promise="Someone else calls.")
    invitation = Invitation.objects.get(case=resolved_case)

    response = response_submit(invitation=invitation, answers=ALL_ONES)

    follow_up = follow_ups().get()
    assert response.follow_up == follow_up
    assert response.follow_up_rule == post_transaction_rule
    assert follow_up.assignee == supervisor
    assert follow_up.office == resolved_case.office
    assert follow_up.citizen_email == "thandi@example.org"
    assert resolved_case.reference in follow_up.description


def test_closing_the_loop_again_opens_nothing_more(post_transaction_rule, supervisor,
                                                   resolved_case):
    invitation = Invitation.objects.get(case=resolved_case)
    response = response_submit(invitation=invitation, answers=ALL_ONES)

    again = loop_close(response=Response.objects.get(pk=response.pk),
                       answers=[_rated("trust", 1)])

    assert again is None
    assert follow_ups().count() == 1


def test_a_good_rating_opens_nothing(post_transaction_rule, supervisor, resolved_case):
    response = response_submit(invitation=Invitation.objects.get(case=resolved_case),
                               answers=ALL_FIVES)

    assert response.follow_up is None and response.follow_up_rule is None
    assert not follow_ups().exists()


def test_a_rule_for_another_survey_does_not_fire(follow_up_service, supervisor, resolved_case):
    LoopRule.objects.create(name="Client service", instrument_code="client-service",
                            max_score=2, follow_up_service=follow_up_service)

    response_submit(invitation=Invitation.objects.get(case=resolved_case), answers=ALL_ONES)

    assert not follow_ups().exists()


def test_the_seven_measures_survey_closes_the_loop_too(world, follow_up_service, supervisor):
    LoopRule.objects.create(name="Client service", instrument_code="client-service",
                            max_score=2, follow_up_service=follow_up_service)
    token = invitation_create(instrument_code="client-service", source="email",
                              office=world.office, identifier="nomsa@example.org")
    answers = {"value": "4", "ease": "4", "integrity": "1", "relevance": "4",
               "management": "4", "relationship": "4", "referral": "4"}

    response = response_submit(invitation=invitation_get(token), answers=answers)

    assert response.follow_up is not None
    assert response.follow_up.assignee == supervisor


def test_the_anything_else_box_is_optional_and_kept(post_transaction_rule, supervisor,
                                                    resolved_case):
    invitation = Invitation.objects.get(case=resolved_case)

    response = response_submit(invitation=invitation, answers={
        **ALL_ONES, "anything_else": "Nobody came back to check the repair."})

    assert response.answers.get(question__code="anything_else").text == (
        "Nobody came back to check the repair.")


# --- the thank-you page -----------------------------------------------------------------


def test_the_thank_you_page_gives_the_fired_rules_promise(client, post_transaction_rule,
                                                          supervisor, resolved_case):
    page = client.post(survey_link(resolved_case), ALL_ONES).content.decode()

    assert PROMISE in page
    assert follow_ups().get().reference in page
    assert "nobody will contact you" not in page


def test_without_its_own_words_the_rule_promises_the_follow_up_services_pledge(
        client, post_transaction_rule, supervisor, resolved_case):
    LoopRule.objects.filter(pk=post_transaction_rule.pk).update(promise="")

    page = client.post(survey_link(resolved_case), ALL_ONES).content.decode()

    assert PLEDGE in page


def test_a_good_rating_is_told_that_nothing_will_happen(client, post_transaction_rule,
                                                        supervisor, resolved_case):
    page = client.post(survey_link(resolved_case), ALL_FIVES).content.decode()

    assert "nobody will contact you" in page
    assert PROMISE not in page
    assert "supervisor will" not in page


def test_an_anonymous_counter_answer_is_not_promised_a_call(client, world, follow_up_service,
                                                            supervisor):
    from imbizo.engagement.services import counter_token

    LoopRule.objects.create(name="Low personal factor", max_score=2,
                            drivers=["concern", "friendliness", "civility", "overall"],
                            follow_up_service=follow_up_service, promise=PROMISE)

    page = client.post(f"/survey/{counter_token(world.office)}/", {
        "concern": "1", "friendliness": "1", "civility": "1", "overall": "1"}).content.decode()

    assert follow_ups().count() == 1
    assert PROMISE not in page
    assert "no contact details for you" in page


def test_a_held_back_counter_answer_is_told_nobody_will_call(client, world, follow_up_service,
                                                            supervisor, settings):
    from imbizo.engagement.services import counter_token

    settings.COUNTER_FOLLOW_UPS_PER_HOUR = 0
    LoopRule.objects.create(name="Low personal factor", max_score=2,
                            drivers=["concern", "friendliness", "civility", "overall"],
                            follow_up_service=follow_up_service, promise=PROMISE)

    page = client.post(f"/survey/{counter_token(world.office)}/", {
        "concern": "1", "friendliness": "1", "civility": "1", "overall": "1"}).content.decode()

    assert not follow_ups().exists()
    assert Response.objects.get().follow_up_held
    assert "nobody will contact you" in page and PROMISE not in page


def test_a_refused_survey_keeps_what_the_citizen_already_answered(client, post_transaction_rule,
                                                                  resolved_case):
    answers = {**ALL_FIVES, "anything_else": "The plumber was kind."}
    del answers["fairness"]

    page = client.post(survey_link(resolved_case), answers).content.decode()

    assert "Please answer: I was treated fairly." in page
    assert 'id="trust-5" value="5" checked' in page
    assert "The plumber was kind.</textarea>" in page


# --- the follow-up case page ------------------------------------------------------------


@pytest.fixture
def follow_up(post_transaction_rule, supervisor, resolved_case):
    response_submit(invitation=Invitation.objects.get(case=resolved_case), answers={
        **ALL_ONES, "satisfaction": "2", "anything_else": "Call me on 082 555 0101 please."})
    return follow_ups().get()


def test_the_supervisor_sees_the_answers_comments_and_rated_case(client, follow_up, supervisor,
                                                                 resolved_case):
    client.force_login(supervisor.user)

    page = client.get(f"/staff/cases/{follow_up.reference}/").content.decode()

    assert 'id="rating-behind"' in page
    assert "I am satisfied with the service I received." in page and "2 of 5" in page
    assert "Call me on 082 555 0101 please." in page
    assert f'href="/staff/cases/{resolved_case.reference}/"' in page


def test_an_auditor_sees_the_case_but_not_the_rating(client, follow_up):
    client.force_login(StaffFactory(office=None, department=None, role=Role.AUDITOR).user)

    page = client.get(f"/staff/cases/{follow_up.reference}/")

    assert page.status_code == 200
    assert b'id="rating-behind"' not in page.content


def test_staff_of_another_office_cannot_open_the_follow_up(client, follow_up):
    client.force_login(StaffFactory(office=OfficeFactory(), role=Role.OFFICER).user)

    assert client.get(f"/staff/cases/{follow_up.reference}/").status_code in (403, 404)


def test_the_rated_case_is_not_linked_for_a_viewer_who_cannot_open_it(client, follow_up,
                                                                      resolved_case):
    other = OfficeFactory()
    Case.objects.filter(pk=resolved_case.pk).update(office=other)
    officer = StaffFactory(office=follow_up.office, role=Role.OFFICER)
    client.force_login(officer.user)

    page = client.get(f"/staff/cases/{follow_up.reference}/").content.decode()

    assert resolved_case.reference in page
    assert f'href="/staff/cases/{resolved_case.reference}/"' not in page
