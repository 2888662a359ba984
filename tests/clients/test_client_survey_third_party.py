"""The annual survey run by an outside party: the sample exported, its results imported."""

import csv
import io

import pytest

from imbizo.clients.models import ContactPerson, ResponseClient
from imbizo.clients.survey import third_party_export, third_party_import, third_party_start
from imbizo.clients.survey_models import RoundRecipient
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Answer, Response
from imbizo.org.models import Role
from imbizo.privacy.models import PersonalDataAccess
from tests.clients.survey_factories import closed_case, groups, key_client, rule
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

HEADER = "respondent_id,answered_on,value,ease,integrity,relevance,management,relationship," \
         "referral,recommend\n"


@pytest.fixture
def drawn(world):
    _households, business = groups()
    key_client(world, business, people=[{"name": "Nomsa", "email": "owner@bakery.example"},
                                        {"name": "Pieter", "email": "clerk@bakery.example",
                                         "consent": False}])
    closed_case(world, phone="+27821110001")
    closed_case(world, phone="+27821110002", consent=False)
    manager = StaffFactory(role=Role.MANAGER, office=world.office)
    return third_party_start(rule=rule(), actor=manager), manager


def _ids(survey_round) -> list[str]:
    return list(RoundRecipient.objects.filter(round=survey_round).order_by("pk")
                .values_list("respondent", flat=True))


def test_the_sample_lists_only_people_who_agreed_with_a_pseudonymous_id(drawn):
    survey_round, manager = drawn

    rows = list(csv.DictReader(io.StringIO(third_party_export(survey_round=survey_round,
                                                              staff=manager))))

    assert sorted(r["name"] for r in rows) == ["Nomsa", "Thandi"]
    assert {r["respondent_id"] for r in rows} == set(_ids(survey_round))
    assert all(r["respondent_id"].startswith("R") and "Nomsa" not in r["respondent_id"]
               for r in rows)
    assert "clerk@bakery.example" not in str(rows)
    assert PersonalDataAccess.objects.filter(staff=manager, purpose="export", results=2).exists()


def test_consent_withdrawn_after_the_draw_takes_the_person_out(drawn):
    survey_round, manager = drawn
    ContactPerson.objects.filter(name="Nomsa").update(survey_consent=False)

    rows = list(csv.DictReader(io.StringIO(third_party_export(survey_round=survey_round))))

    assert [r["name"] for r in rows] == ["Thandi"]


def test_a_sample_with_nobody_who_agreed_is_refused(world):
    _households, business = groups()
    key_client(world, business, people=[{"email": "clerk@bakery.example", "consent": False}])

    with pytest.raises(DomainError) as refused:
        third_party_start(rule=rule(citizens=False), actor=None)

    assert "agreed to be surveyed" in refused.value.message


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def test_good_results_are_stored_as_third_party_responses_of_the_group(drawn):
    survey_round, _manager = drawn
    first, second = _ids(survey_round)

    result = third_party_import(survey_round=survey_round, content=_file(
        f"{first},2026-11-03,4,4,5,3,4,4,5,10", f"{second},,3,2,3,3,2,3,2,5"))

    assert result.imported == 2
    responses = Response.objects.filter(instrument__code="client-service")
    assert responses.count() == 2
    assert all(r.client_recipient.round.third_party for r in responses)
    assert set(ResponseClient.objects.values_list("group__code", flat=True)) == \
        {"business", "households"}
    assert Answer.objects.filter(driver="recommend").order_by("number").first().number == 5
    survey_round.refresh_from_db()
    assert survey_round.imported == 2


def test_the_same_file_twice_is_recognised_and_not_doubled(drawn):
    survey_round, _manager = drawn
    first, _second = _ids(survey_round)
    content = _file(f"{first},,4,4,5,3,4,4,5,10")
    third_party_import(survey_round=survey_round, content=content)

    again = third_party_import(survey_round=survey_round, content=content)

    assert again.already and again.imported == 0
    assert Response.objects.count() == 1


@pytest.mark.parametrize(("rows", "header", "expected"), [
    (["{0},,4,4,5,3,4,4,5,11"], HEADER, 'Row 2, column "recommend": give a whole number from 0 '
                                        "to 10."),
    (["{0},,4,4,5,3,4,4,5,9", "{1},,4,4,6,3,4,4,5,9"], HEADER,
     'Row 3, column "integrity": give a whole number from 1 to 5.'),
    (["R0000000000,,4,4,5,3,4,4,5,9"], HEADER,
     'Row 2, column "respondent_id": "R0000000000" is not a respondent of this sample.'),
    (["{0},,4,4,5,3,4,4,5,9", "{0},,4,4,5,3,4,4,5,9"], HEADER,
     'Row 3, column "respondent_id": "{0}" already has results.'),
    (["{0},,4,4,5,3,4,4,5,9,4"], HEADER.strip() + ",loyalty\n",
     'Column "loyalty" is not a question of the survey "client-service"'),
    (["{0},2026-13-01,4,4,5,3,4,4,5,9"], HEADER,
     'Row 2, column "answered_on": give the date as YYYY-MM-DD.'),
    (["{0},,4,,5,3,4,4,5,9"], HEADER, 'Row 2, column "ease": this question needs an answer.'),
])
def test_a_bad_file_is_refused_naming_row_and_column_and_stores_nothing(drawn, rows, header,
                                                                          expected):
    survey_round, _manager = drawn
    ids = _ids(survey_round)
    content = (header + "".join(r.format(*ids) + "\n" for r in rows)).encode()

    with pytest.raises(DomainError) as refused:
        third_party_import(survey_round=survey_round, content=content)

    assert expected.format(*ids) in refused.value.message
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not RoundRecipient.objects.filter(response__isnull=False).exists()
