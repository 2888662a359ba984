"""The client review pages and the services x groups matrix, through the doors
people use: who may open what, the forms' errors, and query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.models import ClientType
from imbizo.catalogue.models import Offering
from imbizo.clients.group_models import Measure, MeasureSource, ServiceBenefit, Suggestion
from imbizo.clients.reviews import review_open, suggestion_record
from imbizo.quality.models import Action, ActionSource
from tests.clients.factories import at, case, group, people, response
from tests.factories import ServiceFactory, ServiceStandardFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC)


@pytest.fixture
def staff(world):
    return people(world)


@pytest.fixture
def review(world, staff):
    households = group("households", name="Households", default=True)
    for i, source in enumerate((MeasureSource.COMPLIANCE, MeasureSource.FIRST_RESPONSE,
                                MeasureSource.RESOLUTION, MeasureSource.MANUAL)):
        Measure.objects.create(group=households, name=f"Measure {i}", source=source, target=50)
    with time_machine.travel(NOW, tick=False):
        made = review_open(group=households, year=2026, quarter=1, actor=staff["supervisor"])
        for text in ("Say when the water is back", "Open on Saturdays", "One reference",
                     "Call back after closing"):
            suggestion_record(review=made, actor=staff["supervisor"], text=text)
    return made


@time_machine.travel(NOW, tick=False)
def test_an_analyst_reads_the_review_without_forms(client, review, staff):
    client.force_login(staff["analyst"].user)

    page = client.get(reverse("backoffice:client_review", args=[review.pk]))

    assert page.status_code == 200
    assert "Say when the water is back" in page.content.decode()
    assert b'id="suggestion-form"' not in page.content and b'id="hold-form"' not in page.content


@time_machine.travel(NOW, tick=False)
def test_an_officer_may_not_open_the_reviews(client, review, staff):
    client.force_login(staff["officer"].user)
    assert client.get(reverse("backoffice:client_reviews")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_choosing_four_suggestions_on_the_page_says_at_most_three(client, review, staff):
    client.force_login(staff["supervisor"].user)
    ids = list(review.suggestions.values_list("pk", flat=True))

    page = client.post(reverse("backoffice:client_suggestions_choose", args=[review.pk]),
                       {"chosen": ids}, follow=True)

    assert "Choose at most three suggestions" in page.content.decode()
    assert not Suggestion.objects.filter(chosen=True).exists()


@time_machine.travel(NOW, tick=False)
def test_a_chosen_suggestion_becomes_an_action_through_the_form(client, review, staff):
    client.force_login(staff["supervisor"].user)
    idea = review.suggestions.order_by("pk").first()
    client.post(reverse("backoffice:client_suggestions_choose", args=[review.pk]),
                {"chosen": [idea.pk]})
    url = reverse("backoffice:client_suggestion_action", args=[idea.pk])
    form = {f"s{idea.pk}-title": "SMS when the water is back", f"s{idea.pk}-principle":
            "information", f"s{idea.pk}-metric": "share_resolved_in_time",
            f"s{idea.pk}-office": staff["supervisor"].office.code}

    refused = client.post(url, form)
    form.update({f"s{idea.pk}-owner": staff["supervisor"].pk,
                 f"s{idea.pk}-due_on": "2026-06-30"})
    agreed = client.post(url, form)

    assert refused.status_code == 200
    assert "Name the action&#x27;s owner" in refused.content.decode()
    assert agreed.status_code == 302
    action = Action.objects.get()
    assert action.source == ActionSource.CLIENT_REVIEW
    assert action.title == "SMS when the water is back"


@time_machine.travel(NOW, tick=False)
def test_holding_through_the_form_asks_for_the_measures_kept_by_hand(client, review, staff):
    client.force_login(staff["manager"].user)
    manual = Measure.objects.get(source=MeasureSource.MANUAL)

    held = client.post(reverse("backoffice:client_review_hold", args=[review.pk]),
                       {"held_on": "2026-04-15", f"measure_{manual.pk}": "61"})

    assert held.status_code == 302
    page = client.get(reverse("backoffice:client_review", args=[review.pk]))
    assert "61" in page.content.decode() and b"frozen" in page.content


@time_machine.travel(NOW, tick=False)
def test_the_review_and_group_pages_take_a_fixed_number_of_queries(
        client, world, review, staff, django_assert_max_num_queries):
    opened = at(2026, 2, 3)
    for i in range(6):
        case(world, opened_at=opened, acknowledged_at=opened + datetime.timedelta(hours=i + 1),
             resolved_at=opened + datetime.timedelta(hours=10 * i + 5),
             resolve_due_at=opened + datetime.timedelta(hours=40))
    client.force_login(staff["supervisor"].user)

    with django_assert_max_num_queries(30):
        assert client.get(reverse("backoffice:client_review", args=[review.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("backoffice:client_group",
                                  args=[review.group.code])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("backoffice:client_reviews")).status_code == 200


@pytest.fixture
def matrix(world, instruments, settings):
    settings.MIN_ANSWERS_SHOWN = 3
    households = group("households", name="Households", default=True)
    schools = group("schools", name="Schools")
    departments = group("departments", name="Other departments",
                        client_type=ClientType.INTERNAL)
    ServiceBenefit.objects.create(service=world.service, group=households,
                                  benefit="Water stays in the pipes")
    ServiceBenefit.objects.create(service=world.service, group=schools,
                                  benefit="Learners have water all day")
    ServiceBenefit.objects.create(service=world.service, group=departments,
                                  benefit="Roads are not flooded")
    for i in range(8):
        other = ServiceFactory(code=f"svc-extra-{i}", offering=Offering.CUSTOMISED)
        ServiceStandardFactory(service=other)
        ServiceBenefit.objects.create(service=other, group=households, benefit=f"Benefit {i}")
    now = datetime.datetime.now(datetime.UTC)
    water = case(world, opened_at=now - datetime.timedelta(days=10))
    for score in (4, 5, 3):
        response(case=water, submitted_at=now - datetime.timedelta(days=5),
                 answers={"overall": score})
    return households, schools


def test_the_public_matrix_shows_external_groups_with_their_satisfaction(client, matrix):
    page = client.get(reverse("portal:client_matrix"))
    html = page.content.decode()

    assert page.status_code == 200
    assert "Households" in html and "Schools" in html
    assert "Other departments" not in html and "Roads are not flooded" not in html
    assert "Water stays in the pipes" in html
    assert "<strong>4.0</strong>/5" in html  # (4 + 5 + 3) / 3, from 3 answers
    assert "too few answers yet" in html  # the schools' cell has none


def test_below_the_minimum_the_satisfaction_is_hidden(client, matrix, settings):
    settings.MIN_ANSWERS_SHOWN = 4
    html = client.get(reverse("portal:client_matrix")).content.decode()
    assert "<strong>4.0</strong>" not in html


def test_the_staff_matrix_shows_internal_groups_too(client, matrix, world, staff):
    client.force_login(staff["analyst"].user)
    html = client.get(reverse("backoffice:client_matrix")).content.decode()
    assert "Other departments" in html and "Roads are not flooded" in html


def test_the_matrix_pages_take_a_fixed_number_of_queries(
        client, matrix, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:client_matrix")).status_code == 200
    client.force_login(staff["analyst"].user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("backoffice:client_matrix")).status_code == 200


def test_the_catalogue_says_whether_a_service_is_customised(client, world):
    custom = ServiceFactory(code="bulk-connection", name="Bulk connection",
                            offering=Offering.CUSTOMISED)
    ServiceStandardFactory(service=custom)

    listing = client.get(reverse("portal:service_list")).content.decode()
    detail = client.get(reverse("portal:service_detail", args=["bulk-connection"])).content
    standard = client.get(reverse("portal:service_detail", args=["water-leak"])).content

    assert "customised" in listing
    assert b"We agree with you what will be done" in detail
    assert b"Standard: the same for everyone" in standard


def test_a_citizen_may_show_their_own_groups_column_only(client, matrix):
    html = client.get(reverse("portal:client_matrix") + "?group=schools").content.decode()
    assert "Learners have water all day" in html and "Water stays in the pipes" not in html
    everything = client.get(reverse("portal:client_matrix") + "?group=departments").content
    assert b"Water stays in the pipes" in everything and b"Roads are not flooded" not in everything


@time_machine.travel(NOW, tick=False)
def test_the_group_list_counts_each_held_review_once(client, review, staff):
    from imbizo.clients.reviews import review_hold

    review_hold(review=review, actor=staff["manager"])
    client.force_login(staff["analyst"].user)

    page = client.get(reverse("backoffice:client_reviews"))

    row = page.content.decode().split("Households</a>")[1].split("</tr>")[0]
    assert "<td>4</td><td>1</td>" in row.replace("\n", "").replace(" ", "")


def test_the_public_matrix_reads_in_the_citizens_language(
        client, matrix, world, django_assert_max_num_queries):
    from imbizo.core.catalogues import compile_catalogues
    from imbizo.texts.services import translation_save

    compile_catalogues()
    households, _schools = matrix
    benefit = ServiceBenefit.objects.get(service=world.service, group=households)
    translation_save(obj=households, key="name", language="zu", text="Amakhaya")
    translation_save(obj=benefit, key="benefit", language="zu", text="Amanzi ahlala emapayipini")
    translation_save(obj=world.service, key="name", language="zu", text="Ukuvuza kwamanzi")
    client.cookies["django_language"] = "zu"

    with django_assert_max_num_queries(15):  # one more per translated model
        html = client.get(reverse("portal:client_matrix")).content.decode()

    assert "Amakhaya" in html and "Amanzi ahlala emapayipini" in html
    assert "Ukuvuza kwamanzi" in html
    assert "Water stays in the pipes" not in html
    # A group with no isiZulu name yet is shown in English, and says so.
    assert 'lang="en"' in html
